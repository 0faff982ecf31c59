import { FormatError } from '../core/index.ts';
import type { FormatSpec, LineOrigin } from './types.ts';

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
  | { type: 'runtime-error'; requestId: string; text: string };

export type LambdaLineType = 'start' | 'end' | 'report' | 'app' | 'timeout' | 'error';

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
  }
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
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
const LEVEL_SET: ReadonlySet<string> = new Set(LAMBDA_LEVELS);

function trimEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 10 || line.charCodeAt(end - 1) === 13)) end--;
  return line.slice(0, end);
}

export function parseLambda(line: string): LambdaRecord {
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
  throw new FormatError('Lambda log event matches none of the Lambda line shapes', {
    expected: 'START / END / REPORT RequestId: …, <ISO ts>\\t<uuid>\\t<LEVEL>\\t<text>, <ts> <uuid> Task timed out after <n> seconds, or RequestId: <uuid> Error: …',
    seen: JSON.stringify(s.slice(0, 160)),
    fix: 'lines an application prints without the runtime prefix (plain stdout) are not Lambda-format events; quarantine them',
  });
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

function lineTypeOf(r: LambdaRecord): LambdaLineType {
  switch (r.type) {
    case 'app':
      return r.level === 'ERROR' || r.level === 'FATAL' ? 'error' : 'app';
    case 'runtime-error':
      return 'error';
    default:
      return r.type;
  }
}

export const lambdaFormat: FormatSpec<LambdaRecord> = {
  source: 'lambda',
  title: 'Lambda function log',
  serialize: serializeLambda,
  parse: (line) => parseLambda(line),
  normalize(r, origin?: LambdaLineOrigin) {
    const fn = lambdaFunctionOf(origin);
    const report = r.type === 'report' ? r : undefined;
    const status = report?.status ?? (r.type === 'timeout' ? 'timeout' : r.type === 'runtime-error' ? 'error' : null);
    // START/END/REPORT carry no time of their own: the CloudWatch event timestamp is the record's time (0 when unknown).
    const time = r.type === 'app' || r.type === 'timeout' ? r.time : (origin?.timestamp ?? 0);
    let text: string | null = null;
    if (r.type === 'app' || r.type === 'runtime-error') text = r.text;
    else if (r.type === 'timeout') text = `Task timed out after ${ms2(r.seconds)} seconds`;
    else if (report?.errorType) text = report.errorType;
    return {
      time,
      entities: fn ? { function: fn } : {},
      fields: {
        lineType: lineTypeOf(r),
        requestId: r.requestId,
        level: r.type === 'app' ? r.level : null,
        durationMs: report?.durationMs ?? null,
        billedMs: report?.billedMs ?? null,
        memorySizeMb: report?.memorySizeMb ?? null,
        maxMemoryUsedMb: report?.maxMemoryUsedMb ?? null,
        initDurationMs: report?.initDurationMs ?? null,
        status,
        timedOut: status === 'timeout',
        text,
      },
    };
  },
};
