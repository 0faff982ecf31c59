import { FormatError } from '../core/index.ts';
import type { FormatSpec, LineOrigin } from './types.ts';

/**
 * The cascade's Python web service (checkout) as the awslogs driver ships it: log group `/ecs/<app>`,
 * stream `ecs/<container>/<task-id>`. Like most real services it writes two shapes into one stream:
 *
 *  - plain `logging` lines (format `%(asctime)s %(levelname)s [%(name)s] %(message)s`):
 *      2026-05-01 12:00:00,123 INFO [checkout.api] GET /api/cart 200 12ms user=alice
 *    an ERROR logged with `logger.exception` carries its traceback in the SAME CloudWatch event
 *    (the awslogs driver with a multiline pattern keeps it together), lines joined by '\n';
 *  - structlog JSON lines (`JSONRenderer`, i.e. Python `json.dumps` with its default `", "` / `": "`
 *    separators): {"event": "request", "level": "info", "logger": "checkout.api", ...}.
 */
export const APP_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type AppLevel = (typeof APP_LEVELS)[number];

export type JsonScalar = string | number | boolean | null;

export interface AppPlainRecord {
  kind: 'plain';
  /** Epoch ms (asctime has millisecond precision). */
  time: number;
  level: AppLevel;
  logger: string;
  /** The message's first line. */
  text: string;
  /** Traceback lines after the first line (empty when none). */
  traceback: string[];
}

export interface AppJsonRecord {
  kind: 'json';
  /** Epoch ms, from the `timestamp` key. */
  time: number;
  /** The object in key order; must hold `event`, `level`, `logger` and an ISO `timestamp`. */
  fields: Record<string, JsonScalar>;
}

export type AppRecord = AppPlainRecord | AppJsonRecord;

const LEVEL_SET: ReadonlySet<string> = new Set(APP_LEVELS);
const PLAIN_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3}) ([A-Z]+) \[([^\]]+)\] (.*)$/;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/;
const REQUEST_RE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+) (\d{3}) (\d+(?:\.\d+)?)ms\b/;
const EXC_RE = /^([A-Za-z_][\w.]*(?:Error|Exception|Timeout|Warning|Exit|Interrupt))(?::|$)/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

// Generators format many lines per second of event time: the date-and-time part is cached per second.
let cachedSecond = NaN;
let cachedPrefix = '';

/** Python logging's default asctime: `2026-05-01 12:00:00,123`. */
export function formatAsctime(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== cachedSecond) {
    const d = new Date(sec * 1000);
    cachedPrefix = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},`;
    cachedSecond = sec;
  }
  return cachedPrefix + pad(ms - sec * 1000, 3);
}

/** structlog's `TimeStamper(fmt="iso", utc=True)`: microseconds and a Z suffix. */
export function formatStructlogTimestamp(ms: number, micros = 0): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${pad(micros, 3)}Z`;
}

// json.dumps escapes every code unit above 0x7F (astral characters as their surrogate pairs, as here).
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_G = /[\u0080-\uffff]/g;

/** Python `json.dumps` default output: `", "` and `": "` separators, non-ASCII escaped. */
export function pythonJsonDumps(obj: Record<string, JsonScalar>): string {
  let out = '{';
  let first = true;
  for (const k in obj) {
    // Python prints an integral float as 1.0 where JS prints 1: generators emit integers or true fractions only.
    out += `${first ? '' : ', '}${JSON.stringify(k)}: ${JSON.stringify(obj[k])}`;
    first = false;
  }
  out += '}';
  // ensure_ascii=True is json.dumps's default; non-ASCII can only sit inside strings, so one pass suffices.
  return NON_ASCII.test(out) ? out.replace(NON_ASCII_G, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : out;
}


export function serializeApp(r: AppRecord): string {
  if (r.kind === 'json') return pythonJsonDumps(r.fields);
  const head = `${formatAsctime(r.time)} ${r.level} [${r.logger}] ${r.text}`;
  return r.traceback.length === 0 ? head : `${head}\n${r.traceback.join('\n')}`;
}

function parseIso(text: string): number | undefined {
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].padEnd(6, '0').slice(0, 3)) : 0;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
}

export function parseApp(line: string): AppRecord {
  if (line.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (cause) {
      throw new FormatError('app JSON line is not valid JSON', { expected: 'one structlog JSON object', seen: JSON.stringify(line.slice(0, 160)), cause });
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      throw new FormatError('app JSON line is not an object', { expected: 'a JSON object', seen: JSON.stringify(line.slice(0, 160)) });
    }
    const fields: Record<string, JsonScalar> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (v !== null && typeof v === 'object') {
        throw new FormatError('app JSON line has a nested value', { expected: 'flat structlog key/values', seen: `${k}: ${JSON.stringify(v).slice(0, 80)}` });
      }
      fields[k] = v as JsonScalar;
    }
    const ts = typeof fields.timestamp === 'string' ? parseIso(fields.timestamp) : undefined;
    if (ts === undefined || typeof fields.event !== 'string' || typeof fields.level !== 'string') {
      throw new FormatError('app JSON line lacks structlog keys', {
        expected: 'string keys event, level and an ISO-8601 UTC timestamp',
        seen: JSON.stringify(line.slice(0, 160)),
      });
    }
    return { kind: 'json', time: ts, fields };
  }
  const nl = line.indexOf('\n');
  const first = nl < 0 ? line : line.slice(0, nl);
  const m = PLAIN_RE.exec(first);
  if (!m || !LEVEL_SET.has(m[8]!)) {
    throw new FormatError('app line matches neither the logging format nor structlog JSON', {
      expected: "'YYYY-MM-DD hh:mm:ss,mmm LEVEL [logger] message' or a JSON object",
      seen: JSON.stringify(first.slice(0, 160)),
    });
  }
  const time = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
  return {
    kind: 'plain',
    time,
    level: m[8] as AppLevel,
    logger: m[9]!,
    text: m[10]!,
    traceback: nl < 0 ? [] : line.slice(nl + 1).split('\n'),
  };
}

/** The exception class of a traceback: its last line that looks like `module.ClassName: message`. */
export function exceptionOf(traceback: readonly string[]): string | null {
  for (let i = traceback.length - 1; i >= 0; i--) {
    const m = EXC_RE.exec(traceback[i]!);
    if (m) return m[1]!;
  }
  return null;
}

/** The service from `/ecs/<service>`. */
export function appServiceOf(origin?: LineOrigin): string | undefined {
  const m = origin?.logGroup ? /^\/ecs\/([^/]+)$/.exec(origin.logGroup) : null;
  return m?.[1];
}

function num(v: JsonScalar | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export const appFormat: FormatSpec<AppRecord> = {
  source: 'app',
  title: 'ECS app service log (Python logging + structlog JSON)',
  serialize: serializeApp,
  parse: (line) => parseApp(line),
  normalize(r, origin) {
    const service = appServiceOf(origin);
    const entities = service ? { service } : {};
    if (r.kind === 'json') {
      const f = r.fields;
      const exc = typeof f.exception === 'string' ? (exceptionOf(f.exception.split('\n')) ?? null) : typeof f.exc_type === 'string' ? f.exc_type : null;
      return {
        time: r.time,
        entities,
        fields: {
          level: String(f.level).toUpperCase(),
          logger: typeof f.logger === 'string' ? f.logger : null,
          text: String(f.event),
          json: true,
          exception: exc,
          durationMs: num(f.duration_ms),
          httpStatus: num(f.status),
          path: typeof f.path === 'string' ? f.path : null,
        },
      };
    }
    const req = REQUEST_RE.exec(r.text);
    return {
      time: r.time,
      entities,
      fields: {
        level: r.level,
        logger: r.logger,
        text: r.text,
        json: false,
        exception: exceptionOf(r.traceback),
        durationMs: req ? Number(req[4]) : null,
        httpStatus: req ? Number(req[3]) : null,
        path: req ? req[2]! : null,
      },
    };
  },
};
