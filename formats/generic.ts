import type { LineOrigin } from './types.ts';

/**
 * The generic reader: what can be read from a line of any shape — its time, its level and its message — for
 * lines no source format knows. Shared by the normalizer (a line its source cannot parse becomes a generic
 * record, never a quarantine) and by the shapes that are "free text with a stamp" (app `plain`, Lambda
 * `print()` lines, unknown ECS container lines).
 *
 * Times it recognises, anywhere in a line's first 100 characters (the earliest wins):
 *   ISO-8601 / RFC 3339   2025-12-28T10:00:01.123Z · 2025-12-28 10:00:01,123 · 2025/12/28 10:00:01 +0100
 *   RFC 3164 (syslog)     Dec 10 06:55:48  (the year from the reference time: the CloudWatch event's)
 *   common log format     [06/Feb/2019:00:00:38 +0000]
 *   time of day           10:00:01.123 at the very start (logback's %d{HH:mm:ss.SSS}; the date from the reference)
 * A stamp without a zone is taken as UTC (what AWS hosts and containers run on unless told otherwise). readGeneric
 * takes a stamp as the line's time only where an event's own stamp stands: in its first 48 characters, and within a
 * day of the CloudWatch event time when that is known.
 * JSON lines and logfmt lines are read by their keys (time/timestamp/ts/@timestamp, level/severity/lvl,
 * message/msg/event …).
 */

// ─── text or bytes ────────────────────────────────────────────────────────────────────────────────────

// C0 controls other than TAB, LF, VT, FF, CR and ESC (ANSI colours are common in container logs) mark bytes
// that are not text; so does NUL. DEL is tolerated.
// eslint-disable-next-line no-control-regex -- finding control characters is the point.
const BINARY_CHARS = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/;

/** Whether a decoded line is text (no NULs or other binary control characters). */
export function isTextLine(line: string): boolean {
  return !BINARY_CHARS.test(line);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether bytes are text: valid UTF-8 and no binary control characters. */
export function isTextBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) return false;
  }
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// ─── time ─────────────────────────────────────────────────────────────────────────────────────────────

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

export interface TimeMatch {
  /** Epoch ms. */
  time: number;
  /** Where the stamp starts and ends in the line. */
  index: number;
  end: number;
}

const ISO_RE = /(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?: ?(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)(?![\w]))?/;
const SYSLOG_RE = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\b/;
const CLF_RE = /\[(\d{2})\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\]/;
const TIME_OF_DAY_RE = /^(\d{2}):(\d{2}):(\d{2})[.,](\d{3})\b/;
const SCAN = 100;

/** `Z`, `UTC`, `+01:00`, `-0500`, `+02` → minutes east of UTC (0 when absent). */
export function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'UTC' || zone === 'GMT') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function fractionMs(frac: string | undefined): number {
  return frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
}

function validClock(mo: number, d: number, h: number, mi: number, s: number): boolean {
  return mo >= 0 && mo < 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && s <= 60;
}

/** The year that puts month/day closest to `ref` (a syslog line carries no year). */
export function nearestYear(month: number, day: number, h: number, mi: number, s: number, ref: number): number {
  const y = new Date(ref).getUTCFullYear();
  let best = y;
  let bestDist = Infinity;
  for (const cand of [y - 1, y, y + 1]) {
    const dist = Math.abs(Date.UTC(cand, month, day, h, mi, s) - ref);
    if (dist < bestDist) {
      best = cand;
      bestDist = dist;
    }
  }
  return best;
}

/** Parses an ISO-8601-like date-time string on its own (JSON values). */
export function parseIsoLike(text: string): number | undefined {
  const m = ISO_RE.exec(text);
  if (!m || m.index !== 0) return undefined;
  const [y, mo, d, h, mi, s] = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  if (!validClock(mo, d, h, mi, s)) return undefined;
  return Date.UTC(y, mo, d, h, mi, s, fractionMs(m[7])) - zoneOffsetMinutes(m[8]) * 60_000;
}

/**
 * The earliest time stamp in the line's first 100 characters. `ref` (the CloudWatch event timestamp, or now)
 * supplies what a stamp leaves out: the year of a syslog stamp, the date of a time-of-day stamp.
 */
export function findTimestamp(line: string, ref?: number): TimeMatch | undefined {
  const head = line.length > SCAN ? line.slice(0, SCAN) : line;
  const found: TimeMatch[] = [];
  let m = ISO_RE.exec(head);
  if (m) {
    const [y, mo, d, h, mi, s] = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
    if (validClock(mo, d, h, mi, s)) {
      found.push({ time: Date.UTC(y, mo, d, h, mi, s, fractionMs(m[7])) - zoneOffsetMinutes(m[8]) * 60_000, index: m.index, end: m.index + m[0].length });
    }
  }
  m = CLF_RE.exec(head);
  if (m) {
    const mo = MONTHS[m[2]!]!;
    const off = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
    found.push({ time: Date.UTC(Number(m[3]), mo, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - off * 60_000, index: m.index, end: m.index + m[0].length });
  }
  m = SYSLOG_RE.exec(head);
  if (m) {
    const mo = MONTHS[m[1]!]!;
    const [d, h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
    if (validClock(mo, d, h, mi, s)) {
      const y = nearestYear(mo, d, h, mi, s, ref ?? Date.now());
      found.push({ time: Date.UTC(y, mo, d, h, mi, s, fractionMs(m[6])), index: m.index, end: m.index + m[0].length });
    }
  }
  if (found.length === 0 && ref !== undefined) {
    m = TIME_OF_DAY_RE.exec(head);
    if (m) {
      const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (h < 24 && mi < 60 && s <= 60) {
        // The day that puts the time of day closest to the reference (a line logged just before midnight and
        // shipped just after belongs to the previous day).
        const day = Math.floor(ref / 86_400_000) * 86_400_000;
        const tod = ((h * 60 + mi) * 60 + s) * 1000 + Number(m[4]);
        const cands = [day - 86_400_000 + tod, day + tod, day + 86_400_000 + tod];
        const time = cands.reduce((a, b) => (Math.abs(b - ref) < Math.abs(a - ref) ? b : a));
        found.push({ time, index: 0, end: m[0].length });
      }
    }
  }
  if (found.length === 0) return undefined;
  return found.reduce((a, b) => (b.index < a.index ? b : a));
}

/** A time value from a JSON/logfmt key: ISO text, or epoch seconds / milliseconds / microseconds. */
export function timeOfValue(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
    if (v < 1e11) return Math.round(v * 1000); // seconds (possibly fractional)
    if (v < 1e14) return Math.round(v); // milliseconds
    if (v < 1e17) return Math.round(v / 1000); // microseconds
    return Math.round(v / 1e6); // nanoseconds
  }
  if (typeof v === 'string') {
    if (/^\d{10,19}(\.\d+)?$/.test(v)) return timeOfValue(Number(v));
    return parseIsoLike(v) ?? findTimestamp(v)?.time;
  }
  return undefined;
}

// ─── level ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Severity ranks of the level words runtimes write (Python, Node, Java, syslog, PostgreSQL, MySQL). A level
 * is kept as the line wrote it (upper-cased); compare levels through this rank, not by spelling.
 */
export const LEVEL_RANK: Readonly<Record<string, number>> = {
  TRACE: 0, FINEST: 0, FINER: 0, FINE: 1, DEBUG: 1, VERBOSE: 1,
  INFO: 2, INFORMATION: 2, INFORMATIONAL: 2, NOTE: 2, LOG: 2, SYSTEM: 2, CONFIG: 2,
  NOTICE: 3,
  WARN: 4, WARNING: 4,
  ERR: 5, ERROR: 5, SEVERE: 5,
  CRIT: 6, CRITICAL: 6, FATAL: 6, ALERT: 6, PANIC: 6, EMERG: 6, EMERGENCY: 6,
};

/** The rank of a level word (any case), or -1 when it is not one. */
export function levelRank(level: string | null | undefined): number {
  if (!level) return -1;
  return LEVEL_RANK[level.toUpperCase()] ?? -1;
}

/** syslog / journald PRIORITY 0..7 → level word. */
export const SYSLOG_LEVELS = ['EMERG', 'ALERT', 'CRIT', 'ERR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'] as const;

// Upper-case level words stand as levels wherever they appear early in a line; other spellings only where
// the layout marks them as a level ([error], <warn>, (info), level=debug, a leading "warning:"), since
// "an error occurred" is a message, not a level.
const UPPER_LEVEL_RE = /(?<![\w.-])(TRACE|DEBUG|INFO|INFORMATION|NOTICE|WARN|WARNING|ERROR|ERR|CRITICAL|CRIT|FATAL|SEVERE|PANIC|ALERT|EMERG|EMERGENCY)(?![\w-])/;
const MARKED_LEVEL_RES = [/[[(<]([A-Za-z]{3,11})[\])>]/, /\blevel[=:] ?"?([A-Za-z]{3,11})\b/i, /^([A-Za-z]{3,11}):/];

export interface LevelMatch {
  level: string;
  index: number;
  end: number;
}

/** The first level word in the line's first 100 characters (upper-cased). */
export function findLevel(line: string): LevelMatch | undefined {
  const head = line.length > SCAN ? line.slice(0, SCAN) : line;
  let best: LevelMatch | undefined;
  const consider = (word: string, index: number) => {
    if (LEVEL_RANK[word.toUpperCase()] === undefined) return;
    if (!best || index < best.index) best = { level: word.toUpperCase(), index, end: index + word.length };
  };
  const u = UPPER_LEVEL_RE.exec(head);
  if (u) consider(u[1]!, u.index);
  for (const re of MARKED_LEVEL_RES) {
    const m = re.exec(head);
    if (m) consider(m[1]!, m.index + m[0].indexOf(m[1]!));
  }
  return best;
}

// ─── JSON and logfmt lines ────────────────────────────────────────────────────────────────────────────

/** A parsed JSON log line: any keys, any values. */
export type LogObject = Record<string, unknown>;

const TIME_KEYS = ['timestamp', 'time', '@timestamp', 'ts', 'datetime', 'date', 'asctime', 'eventTime', 't'];
const LEVEL_KEYS = ['level', 'levelname', 'severity', 'lvl', 'loglevel', 'log.level', 'log_level', 'level_name', 'severityText'];
const MESSAGE_KEYS = ['message', 'msg', 'event', '@message', 'text', 'log', 'body'];
const LOGGER_KEYS = ['logger', 'logger_name', 'loggerName', 'name', 'log.logger', 'module'];

function pick(obj: LogObject, keys: readonly string[]): unknown {
  for (const k of keys) {
    if (k in obj) return obj[k];
    const dot = k.indexOf('.');
    if (dot > 0) {
      const inner = obj[k.slice(0, dot)];
      if (inner && typeof inner === 'object' && !Array.isArray(inner) && k.slice(dot + 1) in inner) return (inner as LogObject)[k.slice(dot + 1)];
    }
  }
  return undefined;
}

// pino / bunyan write levels as numbers 10 (trace) … 60 (fatal); journald and syslog as 0 (emerg) … 7 (debug).
const PINO_LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

function numericLevel(n: number): string | null {
  if (Number.isInteger(n) && n >= 0 && n <= 7) return SYSLOG_LEVELS[n]!;
  return PINO_LEVELS[n] ?? null;
}

export interface StructuredRead {
  time: number | null;
  level: string | null;
  text: string | null;
  logger: string | null;
}

/** Time, level, message and logger of a JSON log object, by the keys logging libraries use. */
export function readStructured(obj: LogObject): StructuredRead {
  const t = pick(obj, TIME_KEYS);
  const lv = pick(obj, LEVEL_KEYS);
  const msg = pick(obj, MESSAGE_KEYS);
  const lg = pick(obj, LOGGER_KEYS);
  return {
    time: timeOfValue(t) ?? null,
    level: typeof lv === 'string' && lv !== '' ? lv.toUpperCase() : typeof lv === 'number' ? numericLevel(lv) : null,
    text: typeof msg === 'string' ? msg : msg === undefined || msg === null ? null : JSON.stringify(msg),
    logger: typeof lg === 'string' ? lg : null,
  };
}

/** The line as a JSON object, or undefined. */
export function jsonObjectOf(line: string): LogObject | undefined {
  const s = line.trimStart();
  if (!s.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(s);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as LogObject) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * logfmt pairs (`key=value key2="quoted value" flag`), or undefined when the line is not logfmt: at least two
 * pairs, and one of them a time, level or message key. Written by hand: the logfmt packages on npm are
 * unmaintained, and the grammar is a dozen lines.
 */
export function parseLogfmt(line: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let pairs = 0;
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n) break;
    const ks = i;
    while (i < n && line[i] !== '=' && line[i] !== ' ' && line[i] !== '"') i++;
    const key = line.slice(ks, i);
    if (key === '') return undefined;
    if (line[i] !== '=') {
      // A bare key is a boolean flag; text in the middle of a line is not logfmt.
      if (line[i] === '"') return undefined;
      out[key] = 'true';
      continue;
    }
    i++;
    let value = '';
    if (line[i] === '"') {
      i++;
      while (i < n && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < n) {
          const c = line[i + 1]!;
          value += c === 'n' ? '\n' : c === 't' ? '\t' : c;
          i += 2;
        } else value += line[i++];
      }
      if (i >= n) return undefined; // unterminated quote
      i++;
    } else {
      const vs = i;
      while (i < n && line[i] !== ' ' && line[i] !== '\t') i++;
      value = line.slice(vs, i);
      if (value.includes('"')) return undefined;
    }
    out[key] = value;
    pairs++;
  }
  if (pairs < 2) return undefined;
  const keys = Object.keys(out);
  const known = [...TIME_KEYS, ...LEVEL_KEYS, ...MESSAGE_KEYS];
  return keys.some((k) => known.includes(k)) ? out : undefined;
}

// ─── the generic read ─────────────────────────────────────────────────────────────────────────────────

export interface GenericRead {
  /** Epoch ms read from the line, or null when the line has no stamp. */
  time: number | null;
  /** The level word, upper-cased as written (see LEVEL_RANK), or null. */
  level: string | null;
  /** The message: the line without its stamp, level and the separators between them. */
  text: string;
  logger: string | null;
}

/** How far into a line an event's own stamp may start ("[pid] host 2025-…" still counts; a date in a sentence not). */
const STAMP_MAX_INDEX = 48;
/** How far an event's own stamp may be from the CloudWatch event time (clock skew, delivery delay). */
const STAMP_MAX_SKEW_MS = 86_400_000;

const LEAD_SEPARATORS = /^[\s\])>:|,;-]+/;

/** What can be read from a line of unknown shape. Never throws. */
export function readGeneric(line: string, origin?: Pick<LineOrigin, 'timestamp'>): GenericRead {
  const s = line.replace(/[\r\n]+$/, '');
  const obj = jsonObjectOf(s);
  if (obj) {
    const r = readStructured(obj);
    return { time: r.time, level: r.level, text: r.text ?? s, logger: r.logger };
  }
  const kv = s.includes('=') ? parseLogfmt(s) : undefined;
  if (kv) {
    const r = readStructured(kv);
    return { time: r.time, level: r.level, text: r.text ?? s, logger: r.logger };
  }
  const t = findTimestamp(s, origin?.timestamp);
  // A stamp deep in the line, or a day away from when CloudWatch Logs received the event, is something the
  // message talks about ("released 2021-01-01 …") or a replayed line's old time, not the event's own time.
  const own = t !== undefined && t.index <= STAMP_MAX_INDEX && (origin?.timestamp === undefined || Math.abs(t.time - origin.timestamp) <= STAMP_MAX_SKEW_MS);
  const l = findLevel(s);
  // The message starts after whichever of stamp and level comes last, when they lead the line.
  let cut = 0;
  if (t && t.index <= 3) cut = t.end;
  if (l && l.index - cut <= 3) cut = Math.max(cut, l.end);
  const rest = cut > 0 ? s.slice(cut).replace(LEAD_SEPARATORS, '') : s;
  return { time: own ? t.time : null, level: l?.level ?? null, text: rest === '' ? s : rest, logger: null };
}

/** The fields of a generic record (docs/CONTRACTS.md, "generic records"). */
export function genericFields(g: GenericRead): Record<string, string | number | boolean | null> {
  return { shape: 'generic', level: g.level, text: g.text };
}
