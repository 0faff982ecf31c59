import { FormatError } from '../core/index.ts';
import type { FormatSpec, LineOrigin } from './types.ts';

/**
 * RDS for PostgreSQL error log, as published to CloudWatch Logs (`/aws/rds/instance/<db>/postgresql`,
 * stream = db instance id). RDS pins `log_line_prefix` to `%t:%r:%u@%d:[%p]:`, so a line is
 *
 *   2026-05-01 12:00:00 UTC:10.0.1.23(54321):app@orders:[12345]:FATAL:  sorry, too many clients already
 *
 * and background processes (checkpointer, autovacuum, postmaster) leave %r, %u and %d empty:
 *
 *   2026-05-01 12:00:00 UTC::@:[389]:LOG:  checkpoint starting: time
 *
 * PostgreSQL writes TWO spaces after the severity colon; AWS's own documentation pages often show one
 * (their renderer collapses whitespace), so parse accepts one or more and serialize always writes two.
 */
export const RDS_SEVERITIES = [
  'DEBUG1', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'DEBUG5', 'DEBUG',
  'INFO', 'NOTICE', 'WARNING', 'ERROR', 'LOG', 'FATAL', 'PANIC',
  'STATEMENT', 'DETAIL', 'HINT', 'CONTEXT', 'QUERY', 'LOCATION',
] as const;
export type RdsSeverity = (typeof RDS_SEVERITIES)[number];

export interface RdsRecord {
  /** Event time, epoch ms; %t has whole seconds, so this is always a multiple of 1000. */
  time: number;
  /** %r without the port: a client IP, `[local]`, or '' for background processes. */
  clientHost: string;
  /** The client's source port from %r, or null when %r is empty or `[local]`. */
  clientPort: number | null;
  user: string;
  database: string;
  pid: number;
  severity: RdsSeverity;
  /** Everything after `SEVERITY:  `; may contain newlines (multi-line statements). */
  text: string;
}

const SEVERITY_SET: ReadonlySet<string> = new Set(RDS_SEVERITIES);

// The host part is matched lazily up to the `:user@db:[pid]:SEV:` tail so that IPv6 clients (`::1(5432)`)
// still parse; user and database names cannot contain '@' or ':' in practice.
const LINE_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC:(.*?):([^@:\n]*)@([^:\n]*):\[(\d+)\]:([A-Z0-9]+):[ ]+([\s\S]*)$/;
const HOST_RE = /^(.*)\((\d{1,5})\)$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

// Many lines share a second: the last formatted one is cached.
let cachedSecond = NaN;
let cachedText = '';

/** `%t` as PostgreSQL prints it with log_timezone = UTC (RDS's default). */
export function formatPgTimestamp(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== cachedSecond) {
    const d = new Date(sec * 1000);
    cachedText = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
    cachedSecond = sec;
  }
  return cachedText;
}

export function serializeRds(r: RdsRecord): string {
  const remote = r.clientHost === '' ? '' : r.clientPort === null ? r.clientHost : `${r.clientHost}(${r.clientPort})`;
  return `${formatPgTimestamp(r.time)}:${remote}:${r.user}@${r.database}:[${r.pid}]:${r.severity}:  ${r.text}`;
}

export function parseRds(line: string): RdsRecord {
  const m = LINE_RE.exec(line);
  if (!m) {
    throw new FormatError('RDS PostgreSQL line does not match the RDS log_line_prefix', {
      expected: "'YYYY-MM-DD hh:mm:ss UTC:<host>(<port>):<user>@<db>:[<pid>]:<SEVERITY>:  <message>'",
      seen: JSON.stringify(line.slice(0, 160)),
      fix: 'check that the log group is an RDS for PostgreSQL log export with the default prefix %t:%r:%u@%d:[%p]:',
    });
  }
  const severity = m[11]!;
  if (!SEVERITY_SET.has(severity)) {
    throw new FormatError('RDS PostgreSQL line has an unknown severity', {
      expected: RDS_SEVERITIES.join(' | '),
      seen: severity,
    });
  }
  const time = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const remote = m[7]!;
  let clientHost = remote;
  let clientPort: number | null = null;
  const hm = HOST_RE.exec(remote);
  if (hm) {
    clientHost = hm[1]!;
    clientPort = Number(hm[2]);
  }
  return {
    time,
    clientHost,
    clientPort,
    user: m[8]!,
    database: m[9]!,
    pid: Number(m[10]),
    severity: severity as RdsSeverity,
    text: m[12]!,
  };
}

/** The db instance id from `/aws/rds/instance/<db>/postgresql`, else the stream name (which is the id too). */
export function rdsInstanceOf(origin?: LineOrigin): string | undefined {
  const g = origin?.logGroup;
  const m = g ? /^\/aws\/rds\/(?:instance|cluster)\/([^/]+)\/postgresql$/.exec(g) : null;
  return m?.[1] ?? origin?.logStream;
}

export const rdsFormat: FormatSpec<RdsRecord> = {
  source: 'rds',
  title: 'RDS for PostgreSQL log',
  serialize: serializeRds,
  parse: (line) => parseRds(line),
  normalize(r, origin) {
    const db = rdsInstanceOf(origin);
    return {
      time: r.time,
      entities: db ? { database: db } : {},
      fields: {
        clientHost: r.clientHost === '' ? null : r.clientHost,
        user: r.user === '' ? null : r.user,
        database: r.database === '' ? null : r.database,
        pid: r.pid,
        severity: r.severity,
        text: r.text,
      },
    };
  },
};
