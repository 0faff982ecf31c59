import { FormatError } from '../core/index.ts';

/**
 * klog, the logging library of the Kubernetes control-plane components (kube-apiserver, kube-controller-manager,
 * kube-scheduler, cloud-controller-manager). Each line starts with the klog header
 *
 *   Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg
 *
 * L is the severity (I, W, E, F), the thread id is right-aligned in seven columns, and the year is not written.
 * Since Kubernetes 1.23 most messages are structured: a quoted message then `key="value"` pairs, strings quoted
 * (Go %q), other values printed with %+v (Kubernetes docs, "System Logs"):
 *
 *   I1025 00:15:15.525108       1 controller_utils.go:116] "Pod status updated" pod="kube-system/kubedns" status="ready"
 *
 * Unstructured (printf-style) messages remain and may span lines.
 */
export const KLOG_SEVERITIES = { I: 'INFO', W: 'WARNING', E: 'ERROR', F: 'FATAL' } as const;
export type KlogSeverity = keyof typeof KLOG_SEVERITIES;

export interface KlogLine {
  severity: KlogSeverity;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0..999999 */
  micros: number;
  threadId: number;
  file: string;
  line: number;
  /** Everything after `] `, byte for byte (a structured message still has its quotes). */
  message: string;
}

const HEADER_RE = /^([IWEF])(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6}) +(\d+) ([^\s:\]]+):(\d+)\] ?([\s\S]*)$/;

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function serializeKlog(k: KlogLine): string {
  return `${k.severity}${pad(k.month, 2)}${pad(k.day, 2)} ${pad(k.hour, 2)}:${pad(k.minute, 2)}:${pad(k.second, 2)}.${pad(k.micros, 6)} ${String(k.threadId).padStart(7, ' ')} ${k.file}:${k.line}] ${k.message}`;
}

export function isKlogLine(line: string): boolean {
  return /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d{6} /.test(line);
}

export function parseKlog(line: string): KlogLine {
  const s = line.endsWith('\n') ? line.slice(0, -1) : line;
  const m = HEADER_RE.exec(s);
  if (!m) {
    throw new FormatError('line has no klog header', {
      expected: 'Lmmdd hh:mm:ss.uuuuuu threadid file:line] message (L = I, W, E or F)',
      seen: JSON.stringify(s.slice(0, 160)),
    });
  }
  const month = Number(m[2]), day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    throw new FormatError('klog header has an impossible date', { expected: 'mmdd with month 01-12 and day 01-31', seen: `${m[2]}${m[3]}` });
  }
  return {
    severity: m[1] as KlogSeverity,
    month,
    day,
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
    micros: Number(m[7]),
    threadId: Number(m[8]),
    file: m[9]!,
    line: Number(m[10]),
    message: m[11]!,
  };
}

/** The header fields of an instant (UTC), for generators. */
export function klogTimeParts(ms: number, microsWithinMs = 0): Pick<KlogLine, 'month' | 'day' | 'hour' | 'minute' | 'second' | 'micros'> {
  const d = new Date(ms);
  return { month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), micros: d.getUTCMilliseconds() * 1000 + microsWithinMs };
}

/**
 * Epoch ms of a klog header. The year is not in the line: it is the one that puts the date closest to `ref`
 * (the CloudWatch event timestamp when known), as for syslog.
 */
export function klogTime(k: KlogLine, ref: number): number {
  const refYear = new Date(ref).getUTCFullYear();
  let best = NaN;
  for (const y of [refYear - 1, refYear, refYear + 1]) {
    const t = Date.UTC(y, k.month - 1, k.day, k.hour, k.minute, k.second, Math.floor(k.micros / 1000));
    if (Number.isNaN(best) || Math.abs(t - ref) < Math.abs(best - ref)) best = t;
  }
  return best;
}

/** A structured message: the quoted message and its key/value pairs (values unquoted); undefined when unstructured. */
export interface KlogStructured {
  msg: string;
  values: Record<string, string>;
}

/** Reads a Go %q string starting at `i` (which must be a `"`); returns the value and the index after the closing quote. */
function readQuoted(s: string, i: number): { value: string; end: number } | undefined {
  let j = i + 1;
  while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
  if (j >= s.length) return undefined;
  try {
    return { value: JSON.parse(s.slice(i, j + 1)) as string, end: j + 1 };
  } catch {
    // %q escapes that JSON lacks (\x.., \a, \v …): keep the raw text between the quotes.
    return { value: s.slice(i + 1, j), end: j + 1 };
  }
}

/** Reads an unquoted %+v value: up to the next ` key=` at nesting depth zero ({…}, […] and (…) may hold spaces). */
function readBare(s: string, i: number): { value: string; end: number } {
  let depth = 0;
  let j = i;
  for (; j < s.length; j++) {
    const c = s[j]!;
    if (c === '{' || c === '[' || c === '(') depth++;
    else if ((c === '}' || c === ']' || c === ')') && depth > 0) depth--;
    else if (c === ' ' && depth === 0 && /^ [A-Za-z_][\w.-]*=/.test(s.slice(j, j + 64))) break;
  }
  return { value: s.slice(i, j), end: j };
}

export function parseKlogStructured(message: string): KlogStructured | undefined {
  if (!message.startsWith('"')) return undefined;
  const head = readQuoted(message, 0);
  if (!head) return undefined;
  const values: Record<string, string> = {};
  let i = head.end;
  while (i < message.length) {
    if (message[i] !== ' ') return undefined;
    const km = /^ ([A-Za-z_][\w.-]*)=/.exec(message.slice(i, i + 80));
    if (!km) return undefined;
    i += km[0].length;
    const v = message[i] === '"' ? readQuoted(message, i) : readBare(message, i);
    if (!v) return undefined;
    // A key given twice (contextual logging can repeat one) keeps its last value, as a reader would see it.
    values[km[1]!] = v.value;
    i = v.end;
  }
  return { msg: head.value, values };
}

/** `"msg" key="value" …` with Go-style quoting of strings (JSON quoting is the same for the characters we write). */
export function structuredMessage(msg: string, values: readonly (readonly [string, string | number | boolean])[]): string {
  let s = JSON.stringify(msg);
  for (const [k, v] of values) s += ` ${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`;
  return s;
}
