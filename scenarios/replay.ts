import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/index.ts';
import type { SourceName } from '../core/index.ts';
import type { Destination, GeneratedEvent, GenerateWindow } from '../generators/index.ts';

/**
 * Replays an existing log file as a background stream, re-timed onto the drill clock: the first line
 * lands at the window start and the gaps between lines are kept (divided by `speed`). Timestamps written
 * inside the lines (ISO 8601, epoch ms `"timestamp"`, PostgreSQL `YYYY-MM-DD HH:MM:SS UTC`, syslog
 * `Mmm dd HH:MM:SS`, VPC Flow start/end) are shifted by the same amount, so the normalizer — which
 * reads the time from the line — sees the drill's time, not the recording's.
 */

export type ReplayFormat = 'native' | 'cloudwatch-export' | 'auto';

export interface ReplayOptions {
  file: string;
  format: ReplayFormat;
  speed: number;
  loop: boolean;
  source: SourceName;
  window: GenerateWindow;
  /** Where lines go; `logStream` of a cwl destination is replaced by the export's stream when it has one. */
  dest: Destination;
  /** Keep the export's log stream names (true unless the scenario fixed `logStream`). */
  keepStreams: boolean;
}

interface RecordedLine {
  time: number | undefined;
  message: string;
  logStream?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_RE = /\b(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,6})?(Z|[+-]\d\d:?\d\d)\b/g;
const PG_RE = /\b(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d{1,6})? UTC\b/g;
const SYSLOG_RE = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) (\d\d):(\d\d):(\d\d)/;
const EPOCH_MS_RE = /("timestamp"\s*:\s*)(\d{13})\b/g;
const EXPORT_LINE_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z) (.*)$/;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The event time a native line states, or undefined when it states none we recognise. */
export function lineTime(line: string, source: SourceName): number | undefined {
  const ms = /"timestamp"\s*:\s*(\d{13})\b/.exec(line);
  if (ms) return Number(ms[1]);
  if (source === 'vpcflow') {
    const f = line.split(' ');
    if (f.length >= 14 && /^\d{10}$/.test(f[10] ?? '')) return Number(f[10]) * 1000;
  }
  const iso = new RegExp(ISO_RE.source).exec(line);
  if (iso) return Date.parse(iso[0]);
  const pg = new RegExp(PG_RE.source).exec(line);
  if (pg) return Date.parse(`${pg[1]}-${pg[2]}-${pg[3]}T${pg[4]}:${pg[5]}:${pg[6]}${pg[7] ?? ''}Z`);
  const sys = SYSLOG_RE.exec(line);
  // Syslog has no year: any fixed year works because only differences between lines matter.
  if (sys) return Date.UTC(2000, MONTHS.indexOf(sys[1]!), Number(sys[2]!.trim()), Number(sys[3]), Number(sys[4]), Number(sys[5]));
  return undefined;
}

/** Shifts every timestamp the line states by `delta` ms, keeping each one's written format. */
export function shiftLine(line: string, source: SourceName, delta: number): string {
  if (delta === 0) return line;
  let out = line.replace(EPOCH_MS_RE, (_m, pre: string, n: string) => `${pre}${Number(n) + delta}`);
  out = out.replace(ISO_RE, (m, _y, _mo, _d, _h, _mi, _s, frac: string | undefined, zone: string) => {
    const t = new Date(Date.parse(m) + delta);
    const digits = frac ? frac.length - 1 : 0;
    const f = digits ? `.${pad(t.getUTCMilliseconds(), 3).padEnd(digits, '0').slice(0, digits)}` : '';
    // Offsets other than Z are rewritten in UTC: the instant is what matters, not the zone it was written in.
    const z = zone === 'Z' ? 'Z' : '+00:00';
    return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}${f}${z}`;
  });
  out = out.replace(PG_RE, (_m, y: string, mo: string, d: string, h: string, mi: string, s: string, frac: string | undefined) => {
    const t = new Date(Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac ?? ''}Z`) + delta);
    const f = frac ? `.${pad(t.getUTCMilliseconds(), 3)}` : '';
    return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}${f} UTC`;
  });
  out = out.replace(SYSLOG_RE, (_m, mon: string, day: string, h: string, mi: string, s: string) => {
    const t = new Date(Date.UTC(2000, MONTHS.indexOf(mon), Number(day.trim()), Number(h), Number(mi), Number(s)) + delta);
    return `${MONTHS[t.getUTCMonth()]} ${String(t.getUTCDate()).padStart(2, ' ')} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
  });
  if (source === 'vpcflow') {
    const f = out.split(' ');
    for (const i of [10, 11]) if (/^\d{10}$/.test(f[i] ?? '')) f[i] = String(Math.round(Number(f[i]) + delta / 1000));
    out = f.join(' ');
  }
  return out;
}

function asExportEvents(value: unknown): RecordedLine[] | undefined {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' && Array.isArray((value as { events?: unknown }).events) ? (value as { events: unknown[] }).events : undefined;
  if (!list) return undefined;
  const out: RecordedLine[] = [];
  for (const e of list) {
    if (!e || typeof e !== 'object') return undefined;
    const { timestamp, message, logStreamName } = e as { timestamp?: unknown; message?: unknown; logStreamName?: unknown };
    if (typeof message !== 'string' || typeof timestamp !== 'number') return undefined;
    out.push({ time: timestamp, message, ...(typeof logStreamName === 'string' ? { logStream: logStreamName } : {}) });
  }
  return out;
}

/** Reads a recording: CloudWatch Logs JSON (filter-log-events / get-log-events output, NDJSON events, export-task lines) or native lines. */
export function readRecording(file: string, format: ReplayFormat, source: SourceName): RecordedLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`replay: cannot read ${file}`, { expected: 'a readable log file', seen: (err as Error).message, fix: 'paths in `replay.file` are relative to the scenario file', cause: err });
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (format !== 'native') {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        const whole = asExportEvents(JSON.parse(text));
        if (whole) return whole;
      } catch {
        // Not one JSON document: maybe NDJSON.
      }
      try {
        const nd = asExportEvents(lines.map((l) => JSON.parse(l) as unknown));
        if (nd) return nd;
      } catch {
        // Not NDJSON of events either.
      }
    }
    if (format === 'cloudwatch-export') {
      const out: RecordedLine[] = [];
      for (const [i, l] of lines.entries()) {
        const m = EXPORT_LINE_RE.exec(l);
        if (!m) {
          throw new ConfigError(`replay: ${file} line ${i + 1} is not a CloudWatch Logs export line`, {
            expected: 'JSON of `aws logs filter-log-events` / `get-log-events`, NDJSON of {timestamp, message}, or export-task lines `<ISO time> <message>`',
            seen: JSON.stringify(l.slice(0, 80)),
            fix: 'use `format: native` for raw log lines',
          });
        }
        out.push({ time: Date.parse(m[1]!), message: m[2]! });
      }
      return out;
    }
  }
  return lines.map((message) => ({ time: lineTime(message, source), message }));
}

/** The re-timed stream; deterministic (no randomness at all). */
export function* replayEvents(opts: ReplayOptions): Generator<GeneratedEvent, void, undefined> {
  const recorded = readRecording(opts.file, opts.format, opts.source);
  if (recorded.length === 0) return;
  // Lines without a time of their own inherit the previous line's; sorting (stable) repairs files
  // whose lines are written out of order (VPC Flow records are written per capture window).
  let last = recorded.find((r) => r.time !== undefined)?.time ?? 0;
  const timed = recorded.map((r) => ({ ...r, time: r.time ?? last })).map((r) => ((last = r.time), r));
  timed.sort((a, b) => a.time - b.time);
  const t0 = timed[0]!.time;
  const span = Math.max(1, (timed[timed.length - 1]!.time - t0) / opts.speed + 1000);
  for (let round = 0; ; round++) {
    const base = opts.window.start + round * span;
    if (base >= opts.window.end) return;
    for (const r of timed) {
      const time = Math.floor(base + (r.time - t0) / opts.speed);
      if (time >= opts.window.end) return;
      const dest: Destination = opts.dest.kind === 'cwl' && opts.keepStreams && r.logStream ? { ...opts.dest, logStream: r.logStream } : opts.dest;
      yield { time, source: opts.source, dest, message: shiftLine(r.message, opts.source, time - r.time) };
    }
    if (!opts.loop) return;
  }
}
