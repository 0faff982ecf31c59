import { FormatError } from '../core/index.ts';
import { isTextLine, jsonObjectOf, readGeneric, readStructured, timeOfValue } from './generic.ts';
import type { FormatSpec, LineOrigin, NormalizedRecord } from './types.ts';

/**
 * Lambda function logs (log group `/aws/lambda/<fn>`, stream `YYYY/MM/DD/[$LATEST]<32 hex>`, one stream per
 * execution environment). Each CloudWatch event is one of:
 *
 *   START RequestId: <uuid> Version: $LATEST
 *   <ISO ts>\t<uuid>\tINFO\t<text>                      (Node.js runtime; text may span lines: stack traces)
 *   <ISO ts> <uuid> Task timed out after 30.02 seconds   (older runtimes' timeout line)
 *   RequestId: <uuid> Error: Runtime exited with error: signal: killed\nRuntime.ExitError
 *   END RequestId: <uuid>
 *   REPORT RequestId: <uuid>\tDuration: 26.73 ms\tBilled Duration: 27 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\t
 *     [Init Duration: 181.02 ms\t] [Status: timeout | Status: error\tError Type: Runtime.OutOfMemory]
 *
 * Lambda terminates every event with '\n' (and the old timeout line with '\n\n'); serialize writes them and
 * parse accepts them or not. Older runtimes wrote `Billed Duration: 100 ms ` with a space before the tab.
 *
 * Those are what the generators write. parse also reads what other runtimes and settings write (record types
 * `log`, `init-start`, `init-report`, `platform`, kept as written so serialize gives them back):
 *
 *   INIT_START Runtime Version: python:3.12.v18\tRuntime Version ARN: arn:aws:lambda:…
 *   INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout
 *   [INFO]\t2020-01-31T22:12:58.534Z\t<uuid>\t<text>                    (Python runtime's logging handler)
 *   [ERROR] Runtime.ImportModuleError: Unable to import module …         (Python init errors: no time, no id)
 *   2020-03-18 08:52:43 <uuid> INFO  Handler - <text>                     (Java, log4j2 with the Lambda appender)
 *   {"time":"…","type":"platform.report","record":{…}}                  (JSON log format: platform events)
 *   {"timestamp":"…","level":"INFO","requestId":"…","message":"…"}      (JSON log format: application lines)
 *   EXTENSION\tName: …\tState: Ready\tEvents: [INVOKE, SHUTDOWN]          (extensions, telemetry, LAMBDA_WARNING)
 *   anything else a function prints (print(), console.log before the runtime's patch, a child process)
 *
 * AWS's pages write request ids with an `xmpl` group (8f507cfc-xmpl-4697-…): ids are matched as 8-4-4-4-12
 * alphanumerics, not only hex.
 */
export const LAMBDA_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type LambdaLevel = (typeof LAMBDA_LEVELS)[number];

export type LambdaRecord =
  | { type: 'start'; requestId: string; version: string }
  | { type: 'end'; requestId: string }
  | {
      type: 'report';
      requestId: string;
      durationMs: number;
      billedMs: number;
      memorySizeMb: number;
      maxMemoryUsedMb: number;
      /** Present only on the first invocation of an execution environment (a cold start). */
      initDurationMs?: number;
      /** Newer runtimes report failures here instead of (or besides) a separate line. */
      status?: 'timeout' | 'error';
      errorType?: string;
    }
  | { type: 'app'; time: number; requestId: string; level: LambdaLevel; text: string }
  | { type: 'timeout'; time: number; requestId: string; seconds: number }
  | { type: 'runtime-error'; requestId: string; text: string }
  | LambdaLogRecord
  | { type: 'init-start'; raw: string; requestId: null; runtimeVersion: string | null; runtimeVersionArn: string | null }
  | { type: 'init-report'; raw: string; requestId: null; initDurationMs: number; phase: string | null; status: 'timeout' | 'error' | null; errorType: string | null }
  | LambdaPlatformRecord;

/** A line of a runtime or shape the generators do not write (Python, Java, JSON app lines, print()). */
export interface LambdaLogRecord {
  type: 'log';
  shape: 'python' | 'java' | 'json' | 'print' | 'platform-text';
  raw: string;
  /** Epoch ms, or null when the line carries no time (the CloudWatch event time is used then). */
  time: number | null;
  requestId: string | null;
  /** As written, upper-cased; null when the line says none. */
  level: string | null;
  text: string;
}

/** A JSON log format platform event (`platform.start`, `platform.report`, `platform.initStart` …). */
export interface LambdaPlatformRecord {
  type: 'platform';
  raw: string;
  event: string;
  time: number;
  /** record.requestId where the event has one. */
  requestId: string | null;
  record: Record<string, unknown>;
}

export type LambdaLineType = 'start' | 'end' | 'report' | 'app' | 'timeout' | 'error' | 'init-start' | 'init-report' | 'platform';

/** A LineOrigin that may also carry the CloudWatch event timestamp (START/END/REPORT carry no time of their own). */
export interface LambdaLineOrigin extends LineOrigin {
  timestamp?: number;
}

const ms2 = (n: number): string => n.toFixed(2);

export function serializeLambda(r: LambdaRecord): string {
  switch (r.type) {
    case 'start':
      return `START RequestId: ${r.requestId} Version: ${r.version}\n`;
    case 'end':
      return `END RequestId: ${r.requestId}\n`;
    case 'report': {
      let s = `REPORT RequestId: ${r.requestId}\tDuration: ${ms2(r.durationMs)} ms\tBilled Duration: ${r.billedMs} ms\tMemory Size: ${r.memorySizeMb} MB\tMax Memory Used: ${r.maxMemoryUsedMb} MB\t`;
      if (r.initDurationMs !== undefined) s += `Init Duration: ${ms2(r.initDurationMs)} ms\t`;
      if (r.status !== undefined) {
        s += `Status: ${r.status}`;
        if (r.errorType !== undefined) s += `\tError Type: ${r.errorType}`;
      }
      return `${s}\n`;
    }
    case 'app':
      return `${new Date(r.time).toISOString()}\t${r.requestId}\t${r.level}\t${r.text}\n`;
    case 'timeout':
      return `${new Date(r.time).toISOString()} ${r.requestId} Task timed out after ${ms2(r.seconds)} seconds\n\n`;
    case 'runtime-error':
      return `RequestId: ${r.requestId} ${r.text}\n`;
    default:
      return r.raw;
  }
}

const UUID = '[0-9a-zA-Z]{8}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{12}';
const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z';
const START_RE = new RegExp(`^START RequestId: (${UUID})(?:\\s+Version: (\\S+))?\\s*$`);
const END_RE = new RegExp(`^END RequestId: (${UUID})\\s*$`);
const REPORT_RE = new RegExp(
  `^REPORT RequestId: (${UUID})\\s+Duration: (\\d+(?:\\.\\d+)?) ms\\s+Billed Duration: (\\d+(?:\\.\\d+)?) ms\\s+Memory Size: (\\d+) MB\\s+Max Memory Used: (\\d+) MB\\s*([\\s\\S]*)$`,
);
const INIT_RE = /Init Duration: (\d+(?:\.\d+)?) ms/;
const STATUS_RE = /Status: (timeout|error)/;
const ERROR_TYPE_RE = /Error Type: (\S+)/;
const APP_RE = new RegExp(`^(${ISO})\\t(${UUID})\\t([A-Z]+)\\t([\\s\\S]*)$`);
const TIMEOUT_RE = new RegExp(`^(${ISO}) (${UUID}) Task timed out after (\\d+(?:\\.\\d+)?) seconds\\s*$`);
const RUNTIME_ERR_RE = new RegExp(`^RequestId: (${UUID}) (Error: [\\s\\S]*)$`);
const INIT_START_RE = /^INIT_START Runtime Version: (\S+)(?:\s+Runtime Version ARN: (\S+))?/;
const INIT_REPORT_RE = /^INIT_REPORT Init Duration: (\d+(?:\.\d+)?) ms(?:\s+Phase: (\w+))?(?:\s+Status: (\w+))?(?:\s+Error Type: (\S+))?/;
// The Python runtime's handler: `[LEVEL]\t<ISO>\t<uuid>\t<text>` (pages render the tabs as spaces).
const PYTHON_RE = new RegExp(`^\\[([A-Z]+)\\]\\s+(${ISO})\\s+(${UUID})\\s([\\s\\S]*)$`);
const PYTHON_BARE_RE = /^\[(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\]\s+([\s\S]*)$/;
// log4j2 with the Lambda appender's documented pattern `%d{yyyy-MM-dd HH:mm:ss} %X{AWSRequestId} %-5p %c{1} - %m%n`.
const JAVA_RE = new RegExp(`^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) (${UUID}) ([A-Z]+)\\s+([\\s\\S]*)$`);
const PLATFORM_TEXT_RE = /^(EXTENSION|TELEMETRY|LAMBDA_WARNING|XRAY TraceId)\b/;
const ERROR_TYPE_TEXT_RE = /^((?:Runtime\.)?[A-Za-z_][\w.]*(?:Error|Exception)):/;
const LEVEL_SET: ReadonlySet<string> = new Set(LAMBDA_LEVELS);

function trimEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 10 || line.charCodeAt(end - 1) === 13)) end--;
  return line.slice(0, end);
}

export function parseLambda(line: string, origin?: LineOrigin): LambdaRecord {
  const s = trimEnd(line);
  let m: RegExpExecArray | null;
  if (s.startsWith('START ') && (m = START_RE.exec(s))) return { type: 'start', requestId: m[1]!, version: m[2] ?? '$LATEST' };
  if (s.startsWith('END ') && (m = END_RE.exec(s))) return { type: 'end', requestId: m[1]! };
  if (s.startsWith('REPORT ')) {
    m = REPORT_RE.exec(s);
    if (!m) {
      throw new FormatError('Lambda REPORT line is malformed', {
        expected: 'REPORT RequestId: <uuid>\\tDuration: <n> ms\\tBilled Duration: <n> ms\\tMemory Size: <n> MB\\tMax Memory Used: <n> MB',
        seen: JSON.stringify(s.slice(0, 200)),
      });
    }
    const r: LambdaRecord = {
      type: 'report',
      requestId: m[1]!,
      durationMs: Number(m[2]),
      billedMs: Number(m[3]),
      memorySizeMb: Number(m[4]),
      maxMemoryUsedMb: Number(m[5]),
    };
    const rest = m[6]!;
    const init = INIT_RE.exec(rest);
    if (init) r.initDurationMs = Number(init[1]);
    const st = STATUS_RE.exec(rest);
    if (st) r.status = st[1] as 'timeout' | 'error';
    const et = ERROR_TYPE_RE.exec(rest);
    if (et) r.errorType = et[1]!;
    return r;
  }
  if ((m = APP_RE.exec(s))) {
    const level = m[3]!;
    if (!LEVEL_SET.has(level)) {
      throw new FormatError('Lambda application line has an unknown level', { expected: LAMBDA_LEVELS.join(' | '), seen: level });
    }
    return { type: 'app', time: Date.parse(m[1]!), requestId: m[2]!, level: level as LambdaLevel, text: m[4]! };
  }
  if ((m = TIMEOUT_RE.exec(s))) return { type: 'timeout', time: Date.parse(m[1]!), requestId: m[2]!, seconds: Number(m[3]) };
  if ((m = RUNTIME_ERR_RE.exec(s))) return { type: 'runtime-error', requestId: m[1]!, text: m[2]! };
  return parseOtherLambda(line, s, origin);
}

/** The shapes the generators do not write; anything of text ends as a `print` line. */
function parseOtherLambda(raw: string, s: string, origin: LineOrigin | undefined): LambdaRecord {
  let m: RegExpExecArray | null;
  if (s.startsWith('INIT_START') && (m = INIT_START_RE.exec(s))) return { type: 'init-start', raw, requestId: null, runtimeVersion: m[1]!, runtimeVersionArn: m[2] ?? null };
  if (s.startsWith('INIT_REPORT')) {
    m = INIT_REPORT_RE.exec(s);
    if (!m) {
      throw new FormatError('Lambda INIT_REPORT line is malformed', { expected: 'INIT_REPORT Init Duration: <n> ms\\tPhase: <init|invoke>\\tStatus: <timeout|error>', seen: JSON.stringify(s.slice(0, 200)) });
    }
    const st = m[3]?.toLowerCase();
    return { type: 'init-report', raw, requestId: null, initDurationMs: Number(m[1]), phase: m[2] ?? null, status: st === 'timeout' || st === 'error' ? st : null, errorType: m[4] ?? null };
  }
  const log = (shape: LambdaLogRecord['shape'], time: number | null, requestId: string | null, level: string | null, text: string): LambdaLogRecord => ({ type: 'log', shape, raw, time, requestId, level, text });
  if ((m = PYTHON_RE.exec(s))) return log('python', Date.parse(m[2]!), m[3]!, m[1]!, m[4]!);
  if ((m = PYTHON_BARE_RE.exec(s))) return log('python', null, null, m[1]!, m[2]!);
  if ((m = JAVA_RE.exec(s)) && LEVEL_SET.has(m[3] === 'WARNING' ? 'WARN' : m[3]!)) return log('java', Date.parse(`${m[1]!.replace(' ', 'T')}Z`), m[2]!, m[3]!, m[4]!);
  if (s.startsWith('{')) {
    const obj = jsonObjectOf(s);
    if (obj) {
      if (typeof obj.type === 'string' && obj.type.startsWith('platform.') && typeof obj.time === 'string') {
        const time = timeOfValue(obj.time);
        const rec = obj.record;
        const record = rec !== null && typeof rec === 'object' && !Array.isArray(rec) ? (rec as Record<string, unknown>) : {};
        if (time !== undefined) return { type: 'platform', raw, event: obj.type, time, requestId: typeof record.requestId === 'string' ? record.requestId : null, record };
      }
      const r = readStructured(obj);
      const id = typeof obj.requestId === 'string' ? obj.requestId : typeof obj.AWSRequestId === 'string' ? obj.AWSRequestId : null;
      return log('json', r.time, id, r.level, r.text ?? s);
    }
  }
  if (PLATFORM_TEXT_RE.test(s)) return log('platform-text', null, null, null, s);
  if (!isTextLine(s)) {
    throw new FormatError('Lambda log event is not text', { expected: 'text', seen: JSON.stringify(s.slice(0, 80)) });
  }
  const g = readGeneric(s, origin);
  return log('print', g.time, null, g.level, s);
}

/** The function name from `/aws/lambda/<fn>`. */
export function lambdaFunctionOf(origin?: LineOrigin): string | undefined {
  const g = origin?.logGroup;
  return g?.startsWith('/aws/lambda/') ? g.slice('/aws/lambda/'.length) : undefined;
}

/** The stream name of an execution environment created at `ms`: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
export function lambdaStreamName(ms: number, hex32: string, version = '$LATEST'): string {
  const d = new Date(ms);
  const mm = d.getUTCMonth() + 1, dd = d.getUTCDate();
  return `${d.getUTCFullYear()}/${mm < 10 ? '0' : ''}${mm}/${dd < 10 ? '0' : ''}${dd}/[${version}]${hex32}`;
}

type LambdaFields = {
  lineType: LambdaLineType;
  requestId: string | null;
  level: string | null;
  durationMs: number | null;
  billedMs: number | null;
  memorySizeMb: number | null;
  maxMemoryUsedMb: number | null;
  initDurationMs: number | null;
  status: 'timeout' | 'error' | null;
  timedOut: boolean;
  text: string | null;
  errorType: string | null;
};

const numOf = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const isErrorLevel = (level: string | null): boolean => level !== null && /^(ERROR|FATAL|CRITICAL)$/.test(level);

/** platform.* records of the JSON log format, in the fields of their text-format counterparts. */
function platformFields(r: LambdaPlatformRecord, f: LambdaFields): void {
  const rec = r.record;
  const metrics = (rec.metrics !== null && typeof rec.metrics === 'object' ? rec.metrics : {}) as Record<string, unknown>;
  const st = typeof rec.status === 'string' ? rec.status : null;
  const status = st === 'timeout' ? 'timeout' : st === 'error' || st === 'failure' ? 'error' : null;
  f.errorType = typeof rec.errorType === 'string' ? rec.errorType : null;
  switch (r.event) {
    case 'platform.start':
      f.lineType = 'start';
      break;
    case 'platform.report':
      f.lineType = 'report';
      f.durationMs = numOf(metrics.durationMs);
      f.billedMs = numOf(metrics.billedDurationMs);
      f.memorySizeMb = numOf(metrics.memorySizeMB);
      f.maxMemoryUsedMb = numOf(metrics.maxMemoryUsedMB);
      f.initDurationMs = numOf(metrics.initDurationMs);
      f.status = status;
      break;
    case 'platform.initStart':
      f.lineType = 'init-start';
      f.text = typeof rec.runtimeVersion === 'string' ? `Runtime Version: ${rec.runtimeVersion}` : null;
      break;
    case 'platform.initReport':
      f.lineType = 'init-report';
      f.initDurationMs = numOf(metrics.durationMs);
      f.status = status;
      break;
    default:
      f.lineType = 'platform';
      f.status = status;
  }
  if (f.text === null) f.text = f.errorType;
}

/** Flat fields per docs/CONTRACTS.md (lambda). */
export function normalizeLambda(r: LambdaRecord, origin?: LineOrigin): Pick<NormalizedRecord, 'time' | 'entities' | 'fields'> {
  const fn = lambdaFunctionOf(origin);
  const f: LambdaFields = { lineType: 'app', requestId: r.requestId, level: null, durationMs: null, billedMs: null, memorySizeMb: null, maxMemoryUsedMb: null, initDurationMs: null, status: null, timedOut: false, text: null, errorType: null };
  // Lines without a time of their own (START/END/REPORT, INIT_*, print()) take the CloudWatch event timestamp
  // (0 when unknown: the normalizer fills it in).
  let time = origin?.timestamp ?? 0;
  switch (r.type) {
    case 'start':
    case 'end':
      f.lineType = r.type;
      break;
    case 'report':
      f.lineType = 'report';
      f.durationMs = r.durationMs;
      f.billedMs = r.billedMs;
      f.memorySizeMb = r.memorySizeMb;
      f.maxMemoryUsedMb = r.maxMemoryUsedMb;
      f.initDurationMs = r.initDurationMs ?? null;
      f.status = r.status ?? null;
      f.errorType = r.errorType ?? null;
      f.text = r.errorType ?? null;
      break;
    case 'app':
      time = r.time;
      f.lineType = r.level === 'ERROR' || r.level === 'FATAL' ? 'error' : 'app';
      f.level = r.level;
      f.text = r.text;
      break;
    case 'timeout':
      time = r.time;
      f.lineType = 'timeout';
      f.status = 'timeout';
      f.text = `Task timed out after ${ms2(r.seconds)} seconds`;
      break;
    case 'runtime-error':
      f.lineType = 'error';
      f.status = 'error';
      f.text = r.text;
      f.errorType = /\n(Runtime\.\w+)\s*$/.exec(r.text)?.[1] ?? null;
      break;
    case 'log':
      if (r.time !== null) time = r.time;
      f.lineType = r.shape === 'platform-text' ? 'platform' : isErrorLevel(r.level) ? 'error' : 'app';
      f.level = r.level;
      f.text = r.text;
      f.errorType = isErrorLevel(r.level) ? (ERROR_TYPE_TEXT_RE.exec(r.text)?.[1] ?? null) : null;
      break;
    case 'init-start':
      f.lineType = 'init-start';
      f.text = r.runtimeVersion === null ? null : `Runtime Version: ${r.runtimeVersion}`;
      break;
    case 'init-report':
      f.lineType = 'init-report';
      f.initDurationMs = r.initDurationMs;
      f.status = r.status;
      f.errorType = r.errorType;
      f.text = r.errorType;
      break;
    case 'platform':
      time = r.time;
      platformFields(r, f);
      break;
  }
  f.timedOut = f.status === 'timeout';
  return { time, entities: fn ? { function: fn } : {}, fields: { ...f } };
}

export const lambdaFormat: FormatSpec<LambdaRecord> = {
  source: 'lambda',
  title: 'Lambda function log',
  serialize: serializeLambda,
  parse: (line, origin) => parseLambda(line, origin),
  entitiesOf(origin) {
    const fn = lambdaFunctionOf(origin);
    return fn ? { function: fn } : {};
  },
  normalize: normalizeLambda,
};
