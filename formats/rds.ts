import { FormatError } from '../core/index.ts';
import { zoneOffsetMinutes } from './generic.ts';
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
 *
 * That is what the generators write (RdsRecord). parse also reads, as RdsOtherRecord (kept as written):
 *  - PostgreSQL with other log_line_prefix settings (self-managed, or what a team configured):
 *      `%m [%p] `                        2024-01-15 10:30:45.123 UTC [1234] LOG:  checkpoint starting: time
 *      `%m [%p] %q%u@%d `                2024-01-15 10:30:45.123 UTC [1234] app@orders FATAL:  …
 *      `%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h `   (pgBadger's recommendation)
 *  - the MySQL / MariaDB error log (`/aws/rds/instance/<db>/error`):
 *      8.0+   2023-08-28T16:19:11.712463Z 0 [System] [MY-010116] [Server] /rdsdbbin/mysql/bin/mysqld … starting
 *      5.7    2019-09-02T22:03:45.063432Z 703463 [Note] Aborted connection 703463 to db: 'x' user: 'y' host: 'z' …
 *      MariaDB / 5.6   2020-02-01 22:38:26 0 [Note] InnoDB: Using Linux native AIO
 *      5.5    151004 10:47:10 [Warning] Aborted connection …
 * A hint's shape (`postgresql` | `mysql`) restricts parse to that engine.
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

/** The shapes a source map may declare for a database log group. */
export const RDS_SHAPES = ['auto', 'postgresql', 'mysql'] as const;
export type RdsShape = (typeof RDS_SHAPES)[number];

/** A line of a prefix or engine the generators do not write, as parse read it. */
export interface RdsOtherRecord {
  engine: 'postgresql' | 'mysql';
  /** The line as it arrived: serialize gives it back. */
  raw: string;
  time: number;
  clientHost: string | null;
  clientPort: number | null;
  user: string | null;
  database: string | null;
  /** PostgreSQL's backend pid (null when the prefix has no %p, and for MySQL). */
  pid: number | null;
  /** Upper-cased as written: PostgreSQL LOG/ERROR/FATAL …, MySQL SYSTEM/NOTE/WARNING/ERROR. */
  severity: string;
  text: string;
  /** MySQL 8.0+: the error code (MY-010116) and subsystem (Server, InnoDB, Repl …); the thread id of 5.7+. */
  errorCode: string | null;
  subsystem: string | null;
  threadId: number | null;
}

export type RdsLine = RdsRecord | RdsOtherRecord;

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

/** What the RDS PostgreSQL prefix gives (the generators' records), else the other shapes. */
export function parseRdsLine(line: string, origin?: LineOrigin): RdsLine {
  const shape = (origin?.hint?.shape ?? 'auto') as RdsShape;
  if (!(RDS_SHAPES as readonly string[]).includes(shape)) {
    throw new FormatError('database log group declares an unknown shape', { expected: RDS_SHAPES.join(' | '), seen: JSON.stringify(shape) });
  }
  if (shape !== 'mysql') {
    const m = LINE_RE.exec(line);
    if (m) return parseRds(line, m);
    const pg = parsePostgresOther(line);
    if (pg) return pg;
  }
  if (shape !== 'postgresql') {
    const my = parseMysql(line);
    if (my) return my;
  }
  throw new FormatError(`${shape === 'auto' ? 'database' : shape} log line matches no known ${shape === 'mysql' ? 'MySQL error log' : 'log_line_prefix'} shape`, {
    expected: shape === 'mysql' ? "'<ISO time> <thread> [Note|Warning|ERROR] …'" : "'YYYY-MM-DD hh:mm:ss UTC:<host>(<port>):<user>@<db>:[<pid>]:<SEVERITY>:  <message>' (or another prefix ending in SEVERITY:  ), or a MySQL error log line",
    seen: JSON.stringify(line.slice(0, 160)),
    fix: "declare the log group's engine (postgresql | mysql) in the source map",
  });
}

const PG_SEVERITY = '(DEBUG[1-5]?|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|STATEMENT|DETAIL|HINT|CONTEXT|QUERY|LOCATION)';
// %m / %t first (the usual place), then anything the prefix adds, then SEVERITY:<spaces>message.
const PG_OTHER_RE = new RegExp(`^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})(?:\\.(\\d{1,6}))?(?: ([A-Z]{2,5}|[+-]\\d{2}(?::?\\d{2})?))?([^\\n]*?)\\b${PG_SEVERITY}:\\s+([\\s\\S]*)$`);

function pgTime(date: string, frac: string | undefined, zone: string | undefined): number {
  // Named zones other than UTC/GMT cannot be resolved without a zone database: RDS logs in UTC, and a
  // self-managed server's log_timezone is almost always UTC too. Numeric offsets are applied.
  const base = Date.parse(`${date.replace(' ', 'T')}Z`);
  return base + (frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0) - zoneOffsetMinutes(zone && /^[+-]/.test(zone) ? zone : undefined) * 60_000;
}

function parsePostgresOther(line: string): RdsOtherRecord | undefined {
  const m = PG_OTHER_RE.exec(line);
  if (!m) return undefined;
  const prefix = m[4]!;
  const pid = /\[(\d+)\]/.exec(prefix)?.[1];
  let user = /\buser=([^,\s]*)/.exec(prefix)?.[1] ?? null;
  let database = /\bdb=([^,\s]*)/.exec(prefix)?.[1] ?? null;
  const ud = /(?:^|\s)([^\s@[\]:]+)@([^\s@[\]:]+)(?=\s|$)/.exec(prefix.trim());
  if (ud && user === null) user = ud[1]!;
  if (ud && database === null) database = ud[2]!;
  let clientHost = /\bclient=([^,\s]*)/.exec(prefix)?.[1] ?? /\bhost=([^,\s]*)/.exec(prefix)?.[1] ?? null;
  let clientPort: number | null = null;
  const hp = clientHost ? /^(.*)\((\d{1,5})\)$/.exec(clientHost) : null;
  if (hp) {
    clientHost = hp[1]!;
    clientPort = Number(hp[2]);
  }
  return {
    engine: 'postgresql', raw: line, time: pgTime(m[1]!, m[2], m[3]), clientHost: clientHost || null, clientPort, user: user || null, database: database || null,
    pid: pid === undefined ? null : Number(pid), severity: m[5]!, text: m[6]!, errorCode: null, subsystem: null, threadId: null,
  };
}

const MYSQL_RES: RegExp[] = [
  // 8.0+: time, thread, [Label], [MY-nnnnnn], [Subsystem], message
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2}))\s+(\d+)\s+\[(\w+)\]\s+\[(MY-\d+)\]\s+\[(\w+)\]\s+([\s\S]*)$/,
  // 5.7: time, thread, [Label], message
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2}))\s+(\d+)\s+\[(\w+)\]()()\s+([\s\S]*)$/,
  // MariaDB, 5.6: local date time, thread, [Label], message
  /^(\d{4}-\d{2}-\d{2} {1,2}\d{1,2}:\d{2}:\d{2})\s+(\d+)\s+\[(\w+)\]()()\s+([\s\S]*)$/,
  // 5.5: YYMMDD H:MM:SS [Label] message
  /^(\d{6} {1,2}\d{1,2}:\d{2}:\d{2})()\s+\[(\w+)\]()()\s+([\s\S]*)$/,
];
const MYSQL_LABELS = new Set(['SYSTEM', 'NOTE', 'WARNING', 'ERROR', 'INFORMATION', 'WARN']);

function mysqlTime(stamp: string): number {
  let m = /^(\d{2})(\d{2})(\d{2}) {1,2}(\d{1,2}):(\d{2}):(\d{2})$/.exec(stamp);
  if (m) return Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = /^(\d{4})-(\d{2})-(\d{2}) {1,2}(\d{1,2}):(\d{2}):(\d{2})$/.exec(stamp);
  if (m) return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Date.parse(stamp);
}

function parseMysql(line: string): RdsOtherRecord | undefined {
  for (const re of MYSQL_RES) {
    const m = re.exec(line);
    if (!m || !MYSQL_LABELS.has(m[3]!.toUpperCase())) continue;
    const text = m[6]!;
    // Connection-level messages name who: "… to db: 'orders' user: 'app' host: '10.0.1.23' …", "Access denied for user 'app'@'10.0.1.23'".
    const who = /db: '([^']*)' user: '([^']*)'(?: host: '([^']*)')?/.exec(text);
    const denied = /for user '([^']*)'@'([^']*)'/.exec(text);
    return {
      engine: 'mysql', raw: line, time: mysqlTime(m[1]!), clientHost: who?.[3] ?? denied?.[2] ?? null, clientPort: null,
      user: who?.[2] ?? denied?.[1] ?? null, database: who?.[1] && who[1] !== 'unconnected' ? who[1] : null, pid: null,
      severity: m[3]!.toUpperCase(), text, errorCode: m[4] || null, subsystem: m[5] || null, threadId: m[2] ? Number(m[2]) : null,
    };
  }
  return undefined;
}

/** A line with RDS's prefix, as the generators write it (`m`: the line's LINE_RE match when the caller has it already). */
export function parseRds(line: string, m: RegExpExecArray | null = LINE_RE.exec(line)): RdsRecord {
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

/** The db instance id from `/aws/rds/instance/<db>/<log>` (postgresql, error, slowquery …), else the stream name (which is the id too). */
export function rdsInstanceOf(origin?: LineOrigin): string | undefined {
  const g = origin?.logGroup;
  const m = g ? /^\/aws\/rds\/(?:instance|cluster|proxy)\/([^/]+)\/[\w-]+$/.exec(g) : null;
  return m?.[1] ?? origin?.logStream;
}

export const rdsFormat: FormatSpec<RdsLine> = {
  source: 'rds',
  title: 'RDS database log (PostgreSQL, MySQL / MariaDB error log)',
  shapes: RDS_SHAPES,
  serialize: (r) => ('raw' in r ? r.raw : serializeRds(r)),
  parse: (line, origin) => parseRdsLine(line, origin),
  entitiesOf(origin) {
    const db = rdsInstanceOf(origin);
    return db ? { database: db } : {};
  },
  normalize(r, origin) {
    const db = rdsInstanceOf(origin);
    const other = 'raw' in r ? r : undefined;
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
        engine: other?.engine ?? 'postgresql',
        errorCode: other?.errorCode ?? null,
        subsystem: other?.subsystem ?? null,
        threadId: other?.threadId ?? null,
      },
    };
  },
};
