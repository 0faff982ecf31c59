import { FormatError } from '../core/index.ts';
import { jsonObjectOf, parseIsoLike, parseLogfmt, readGeneric, readStructured, type LogObject } from './generic.ts';
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
 *
 * Those two are what the generators write (record kinds `plain` and `json`). Services nobody here wrote log in
 * other shapes, which parse reads as kind `line` (the line kept as written, so serialize gives it back):
 *  - `python`: logging's defaults — basicConfig `WARNING:root:msg` and the cookbook's
 *    `%(asctime)s - %(name)s - %(levelname)s - %(message)s`;
 *  - `log4j`: log4j / logback / Spring Boot layouts — `2024-01-15 10:30:45,123 [main] INFO  com.x.App - msg`,
 *    `10:30:45.123 [main] INFO  com.x.App - msg`, `2024-01-15 10:30:45.123  INFO 4242 --- [main] c.x.App : msg`;
 *  - `json`: any JSON object (time, level, message and logger found by the keys logging libraries use);
 *  - `logfmt`: `time=… level=error msg="…" key=value`;
 *  - `plain`: anything else: `<date> <time> <LEVEL> <message>` (seed 002's format), or free text — time and
 *    level read where the line has them (formats/generic.ts).
 * A hint's shape (source map) restricts parse to that shape; without one (or `auto`) the shape is detected in
 * that order and `plain` takes whatever is left, so an app line of text always parses.
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

/** A line of a shape the generators do not write, as parse read it. */
export interface AppLineRecord {
  kind: 'line';
  shape: Exclude<AppShape, 'auto'>;
  /** The line as it arrived: serialize gives it back. */
  raw: string;
  /** Epoch ms, or null when the line has no stamp of its own (the CloudWatch event time is used then). */
  time: number | null;
  /** As written, upper-cased (compare with levelRank from formats/generic.ts). */
  level: string | null;
  logger: string | null;
  /** The message's first line. */
  text: string;
  /** Lines after the first (stack traces). */
  traceback: string[];
  /** JSON / logfmt lines: their top-level scalar values. */
  values?: Record<string, JsonScalar>;
}

export type AppRecord = AppPlainRecord | AppJsonRecord | AppLineRecord;

/** The shapes a source map may declare for an application log group. */
export const APP_SHAPES = ['auto', 'json', 'logfmt', 'python', 'log4j', 'plain'] as const;
export type AppShape = (typeof APP_SHAPES)[number];

const LEVEL_SET: ReadonlySet<string> = new Set(APP_LEVELS);
const PLAIN_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3}) ([A-Z]+) \[([^\]]+)\] (.*)$/;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/;
const REQUEST_RE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+) (\d{3}) (\d+(?:\.\d+)?)ms\b/;
const EXC_RE = /^(?:Caused by: )?([A-Za-z_][\w.$]*(?:Error|Exception|Timeout|Warning|Exit|Interrupt))(?::|$)/;

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
  if (r.kind === 'line') return r.raw;
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

/** structlog's flat JSON (what the generators write), or undefined when the object is another JSON shape. */
function asStructlog(obj: LogObject): AppJsonRecord | undefined {
  const fields: Record<string, JsonScalar> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v === 'object') return undefined;
    fields[k] = v as JsonScalar;
  }
  const ts = typeof fields.timestamp === 'string' ? parseIso(fields.timestamp) : undefined;
  if (ts === undefined || typeof fields.event !== 'string' || typeof fields.level !== 'string') return undefined;
  return { kind: 'json', time: ts, fields };
}

function scalars(obj: Record<string, unknown>): Record<string, JsonScalar> {
  const out: Record<string, JsonScalar> = {};
  for (const [k, v] of Object.entries(obj)) if (v === null || typeof v !== 'object') out[k] = v as JsonScalar;
  return out;
}

const PY_LEVELS = '(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)';
// `%(asctime)s - %(name)s - %(levelname)s - %(message)s` (the logging cookbook's, and many services').
const PY_DASH_RE = new RegExp(`^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:,\\d{3})?) - (\\S.*?) - ${PY_LEVELS} - ([\\s\\S]*)$`);
// logging.basicConfig()'s default `%(levelname)s:%(name)s:%(message)s`.
const PY_BASIC_RE = new RegExp(`^${PY_LEVELS}:([^:\\s]*):([\\s\\S]*)$`);

const J_LEVELS = '(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE)';
const J_TS = '(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})?|\\d{2}:\\d{2}:\\d{2}[.,]\\d{3})';
/** log4j / logback layouts: [regex, group of the stamp, level, logger, message]. */
const LOG4J_RES: [RegExp, number, number, number, number][] = [
  // Spring Boot: `2024-01-15 10:30:45.123  INFO 4242 --- [           main] c.e.demo.App   : msg` (3.x adds `[app] ` before the thread)
  [new RegExp(`^${J_TS}\\s+${J_LEVELS}\\s+\\d+\\s+---\\s+(?:\\[[^\\]]*\\]\\s+)?\\[\\s*([^\\]]*)\\]\\s+(\\S+)\\s*:\\s([\\s\\S]*)$`), 1, 2, 4, 5],
  // log4j `%d [%t] %-5p %c - %m`, logback `%d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg`
  [new RegExp(`^${J_TS}\\s+\\[([^\\]]*)\\]\\s+${J_LEVELS}\\s+(\\S+)\\s+-\\s([\\s\\S]*)$`), 1, 3, 4, 5],
  // `%d %-5p [%t] %c - %m`
  [new RegExp(`^${J_TS}\\s+${J_LEVELS}\\s+\\[([^\\]]*)\\]\\s+(\\S+)\\s+-\\s([\\s\\S]*)$`), 1, 2, 4, 5],
  // `%d %-5p %c - %m` / `%d %-5p %c{1}:%L - %m`
  [new RegExp(`^${J_TS}\\s+${J_LEVELS}\\s+(\\S+?)(?::\\d+)?\\s+-\\s([\\s\\S]*)$`), 1, 2, 3, 4],
];

function splitFirst(line: string): [string, string[]] {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 10 || line.charCodeAt(end - 1) === 13)) end--;
  const s = end === line.length ? line : line.slice(0, end);
  const nl = s.indexOf('\n');
  return nl < 0 ? [s, []] : [s.slice(0, nl).replace(/\r$/, ''), s.slice(nl + 1).split(/\r?\n/)];
}

/** A date-time or time-of-day stamp of a text layout, in UTC; a time of day takes its date from `ref`. */
function stampTime(stamp: string, ref: number | undefined): number | null {
  const iso = parseIsoLike(stamp);
  if (iso !== undefined) return iso;
  const g = readGeneric(stamp, { timestamp: ref });
  return g.time;
}

function lineRecord(shape: AppLineRecord['shape'], raw: string, time: number | null, level: string | null, logger: string | null, text: string, traceback: string[], values?: Record<string, JsonScalar>): AppLineRecord {
  const r: AppLineRecord = { kind: 'line', shape, raw, time, level, logger, text, traceback };
  if (values) r.values = values;
  return r;
}

function parsePython(line: string): AppRecord | undefined {
  const [first, rest] = splitFirst(line);
  const m = PLAIN_RE.exec(first);
  if (m && LEVEL_SET.has(m[8]!)) {
    // firedrill's own layout: the record kind the generators write (serialize rebuilds the same bytes).
    const time = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
    return { kind: 'plain', time, level: m[8] as AppLevel, logger: m[9]!, text: m[10]!, traceback: rest };
  }
  let d = PY_DASH_RE.exec(first);
  if (d) return lineRecord('python', line, parseIsoLike(d[1]!) ?? null, d[3]!, d[2]!, d[4]!, rest);
  d = PY_BASIC_RE.exec(first);
  if (d) return lineRecord('python', line, null, d[1]!, d[2]!, d[3]!, rest);
  return undefined;
}

function parseLog4j(line: string, ref: number | undefined): AppRecord | undefined {
  const [first, rest] = splitFirst(line);
  for (const [re, ti, li, lgi, mi] of LOG4J_RES) {
    const m = re.exec(first);
    if (!m) continue;
    return lineRecord('log4j', line, stampTime(m[ti]!, ref), m[li]!, m[lgi]!, m[mi]!, rest);
  }
  return undefined;
}

function parseJsonShape(line: string): AppRecord | undefined {
  const obj = jsonObjectOf(line);
  if (!obj) return undefined;
  const structlog = asStructlog(obj);
  if (structlog) return structlog;
  const r = readStructured(obj);
  const [text, traceback] = splitFirst(r.text ?? line);
  return lineRecord('json', line, r.time, r.level, r.logger, text, traceback, scalars(obj));
}

function parseLogfmtShape(line: string): AppRecord | undefined {
  const [first, rest] = splitFirst(line);
  const kv = first.includes('=') ? parseLogfmt(first) : undefined;
  if (!kv) return undefined;
  const r = readStructured(kv);
  // logfmt values are text; numbers are numbers (status=200 duration_ms=14).
  const values: Record<string, JsonScalar> = {};
  for (const [k, v] of Object.entries(kv)) values[k] = /^-?\d+(?:\.\d+)?$/.test(v) && v.length < 16 ? Number(v) : v;
  return lineRecord('logfmt', line, r.time, r.level, r.logger, r.text ?? first, rest, values);
}

function parsePlain(line: string, ref: number | undefined): AppRecord {
  const [first, rest] = splitFirst(line);
  const g = readGeneric(first, { timestamp: ref });
  return lineRecord('plain', line, g.time, g.level, g.logger, g.text, rest);
}

/**
 * One application log event. With a hint's shape only that shape is tried (FormatError when the line is not
 * of it); otherwise the shape is detected and free text ends as `plain`.
 */
export function parseApp(line: string, origin?: LineOrigin): AppRecord {
  const shape = origin?.hint?.shape;
  const ref = origin?.timestamp;
  if (shape !== undefined && shape !== 'auto') {
    const r = parseShape(shape, line, ref);
    if (r) return r;
    throw new FormatError(`app line is not of its declared shape ${shape}`, {
      expected: SHAPE_EXAMPLES[shape as Exclude<AppShape, 'auto'>],
      seen: JSON.stringify(line.slice(0, 160)),
      fix: "correct the log group's shape in the source map, or declare it auto",
    });
  }
  if (startsWithBrace(line)) {
    const j = parseJsonShape(line);
    if (j) return j;
  }
  return parsePython(line) ?? parseLog4j(line, ref) ?? parseLogfmtShape(line) ?? parsePlain(line, ref);
}

function startsWithBrace(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c === 123;
  }
  return false;
}

function parseShape(shape: string, line: string, ref: number | undefined): AppRecord | undefined {
  switch (shape) {
    case 'json':
      return parseJsonShape(line);
    case 'python':
      return parsePython(line);
    case 'log4j':
      return parseLog4j(line, ref);
    case 'logfmt':
      return parseLogfmtShape(line);
    case 'plain':
      return parsePlain(line, ref);
    default:
      throw new FormatError('app log group declares an unknown shape', { expected: APP_SHAPES.join(' | '), seen: JSON.stringify(shape), fix: 'declare one of the app shapes in the source map' });
  }
}

const SHAPE_EXAMPLES: Record<Exclude<AppShape, 'auto'>, string> = {
  json: 'one JSON object per event',
  python: "'YYYY-MM-DD hh:mm:ss,mmm LEVEL [logger] message', 'asctime - name - LEVEL - message' or 'LEVEL:name:message'",
  log4j: "'<date> [thread] LEVEL logger - message' (log4j / logback / Spring Boot layouts)",
  logfmt: 'key=value pairs with a time, level or msg key',
  plain: 'text',
};

/**
 * The exception class of a traceback: after Python's "Traceback (most recent call last):", the last line that
 * is not indented (`module.Class: message`, whatever the class is named); else the last line that looks like
 * `module.ClassName: message` with an Error/Exception-like name (Java's `Caused by:` included).
 */
export function exceptionOf(traceback: readonly string[]): string | null {
  if (traceback.some((l) => l.startsWith('Traceback (most recent call last)'))) {
    for (let i = traceback.length - 1; i >= 0; i--) {
      const l = traceback[i]!;
      if (l === '' || /^\s/.test(l) || l.startsWith('Traceback')) continue;
      const m = /^([A-Za-z_][\w.]*)(?::|$)/.exec(l);
      if (m) return m[1]!;
      break;
    }
  }
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

function exceptionOfValues(v: Record<string, JsonScalar>): string | null {
  for (const k of ['exception', 'exc_info', 'stack_trace', 'stack', 'error', 'err', 'exc_type']) {
    const x = v[k];
    if (typeof x === 'string' && x !== '') return k === 'exc_type' ? x : (exceptionOf(x.split('\n')) ?? (/^[A-Za-z_][\w.$]*$/.test(x) ? x : null));
  }
  return null;
}

export const appFormat: FormatSpec<AppRecord> = {
  source: 'app',
  title: 'Application log (Python logging, structlog JSON, log4j/logback, JSON, logfmt, plain text)',
  shapes: APP_SHAPES,
  serialize: serializeApp,
  parse: (line, origin) => parseApp(line, origin),
  entitiesOf(origin) {
    const service = appServiceOf(origin);
    return service ? { service } : {};
  },
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
          shape: 'json',
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
    if (r.kind === 'line') {
      const req = REQUEST_RE.exec(r.text);
      const v = r.values ?? {};
      return {
        // A line without a stamp of its own takes the CloudWatch event time (0 here: the normalizer fills it).
        time: r.time ?? origin?.timestamp ?? 0,
        entities,
        fields: {
          shape: r.shape,
          level: r.level,
          logger: r.logger,
          text: r.text,
          json: r.shape === 'json',
          exception: exceptionOf(r.traceback) ?? exceptionOfValues(v) ?? exceptionOf([r.text]),
          durationMs: req ? Number(req[4]) : (num(v.duration_ms) ?? num(v.durationMs) ?? num(v.duration)),
          httpStatus: req ? Number(req[3]) : (num(v.status) ?? num(v.status_code) ?? num(v.statusCode)),
          path: req ? req[2]! : typeof v.path === 'string' ? v.path : null,
        },
      };
    }
    const req = REQUEST_RE.exec(r.text);
    return {
      time: r.time,
      entities,
      fields: {
        shape: 'python',
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
