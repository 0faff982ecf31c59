import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/index.ts';
import type { SourceName } from '../core/index.ts';
import type { Destination, GeneratedEvent, GenerateWindow } from '../generators/index.ts';
import { splitInlineLabels } from './inline-labels.ts';

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
  /** Keep the lines' own log groups (true unless the scenario fixed `logGroup`). */
  keepGroups?: boolean;
  /** The source of a line's own group (a recording of several groups holds several sources); default `source`. */
  sourceOf?: (logGroup: string) => SourceName | undefined;
  /** The recording, already read (compile reads it once to check it); default: read `file`. */
  recorded?: readonly RecordedLine[];
}

/** A recording on the drill clock: its lines with a time each (in order) and the map from the file's time to the drill's. */
export interface TimedRecording {
  lines: (RecordedLine & { time: number })[];
  /** The file's first time. */
  t0: number;
  /** Drill time of a file time, in the first round: `start + (t − t0) / speed`. */
  toDrill(t: number): number;
}

/**
 * Times a recording: lines without a time of their own inherit the previous line's, and a stable sort repairs files
 * written out of order (VPC Flow records are written per capture window). The block keeps its gaps (÷ speed).
 */
export function timeRecording(recorded: readonly RecordedLine[], start: number, speed: number): TimedRecording {
  let last = recorded.find((r) => r.time !== undefined)?.time ?? 0;
  const lines = recorded.map((r) => ({ ...r, time: r.time ?? last })).map((r) => ((last = r.time), r));
  lines.sort((a, b) => a.time - b.time);
  const t0 = lines[0]?.time ?? 0;
  return { lines, t0, toDrill: (t) => Math.floor(start + (t - t0) / speed) };
}

export interface RecordedLine {
  time: number | undefined;
  message: string;
  logStream?: string;
  /** The line's own log group (NDJSON `group`/`logGroup`, an export's `logGroupName`); kept unless the scenario fixes one. */
  logGroup?: string;
  /**
   * An inline label: NDJSON `label`, a label column's tag, fail2ban's `# failJSON` match (inline-labels.ts). An
   * incident kind, or a corpus's own tag that the drill's `labelKind` names the kind of; absent (`-`, `normal`): none.
   */
  label?: string;
  /** Where the line is in the file (raw lines), for messages about its label. */
  line?: number;
}

export interface ReadRecordingOptions {
  /** Each raw line starts with its label (`-` for none), as Loghub's BGL and Thunderbird corpora: cut before replay. */
  labelColumn?: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_RE = /\b(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,6})?(Z|[+-]\d\d:?\d\d)\b/g;
const PG_RE = /\b(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d{1,6})? UTC\b/g;
const SYSLOG_RE = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) (\d\d):(\d\d):(\d\d)/;
const EPOCH_MS_RE = /("timestamp"\s*:\s*)(\d{13})\b/g;
const EXPORT_LINE_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z) (.*)$/;
// A stamp without a zone leading a line, as application logs write it (`2025-12-28 10:00:01 ERROR …`, Python logging's
// `2025-12-28 10:00:01,123`): read as UTC; only at the start, because a date inside a message is not the event's time.
const NAIVE_RE = /^(\d{4})-(\d\d)-(\d\d)([ T])(\d\d):(\d\d):(\d\d)(?:([.,])(\d{1,6}))?(?![\d.,]|Z|[+-]\d\d:?\d\d| UTC)/;

// Epoch seconds leading a line (Loghub's BGL and Thunderbird, once their label column is cut: `1117838570 2005.06.03 …`).
const EPOCH_S_RE = /^(\d{10})(?=\s)/;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The event time a native line states, or undefined when it states none we recognise. */
export function lineTime(line: string, source: SourceName): number | undefined {
  const ms = /"timestamp"\s*:\s*(\d{13})\b/.exec(line);
  if (ms) return Number(ms[1]);
  if (source === 'vpcflow') {
    const f = line.split(' ');
    if (f.length >= 14 && /^\d{10}$/.test(f[10] ?? '')) return Number(f[10]) * 1000;
  }
  const epoch = EPOCH_S_RE.exec(line);
  if (epoch) return Number(epoch[1]) * 1000;
  const naive = NAIVE_RE.exec(line);
  if (naive) return Date.UTC(Number(naive[1]), Number(naive[2]) - 1, Number(naive[3]), Number(naive[5]), Number(naive[6]), Number(naive[7]), naive[9] ? Number(naive[9].padEnd(3, '0').slice(0, 3)) : 0);
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
  out = out.replace(NAIVE_RE, (_m, y: string, mo: string, d: string, sep: string, h: string, mi: string, sec: string, fsep: string | undefined, frac: string | undefined) => {
    const t = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0) + delta);
    const f = frac ? `${fsep}${pad(t.getUTCMilliseconds(), 3).padEnd(frac.length, '0').slice(0, frac.length)}` : '';
    return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}${sep}${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}${f}`;
  });
  out = out.replace(EPOCH_S_RE, (n) => String(Math.round(Number(n) + delta / 1000)));
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
    // CloudWatch's own names (get/filter-log-events, subscription exports) and the short ones people write.
    const r = e as Record<string, unknown>;
    const { timestamp, message } = r;
    const stream = r.logStreamName ?? r.logStream ?? r.stream;
    const group = r.logGroupName ?? r.logGroup ?? r.group;
    const time = typeof timestamp === 'number' ? timestamp : typeof timestamp === 'string' && !Number.isNaN(Date.parse(timestamp)) ? Date.parse(timestamp) : undefined;
    if (typeof message !== 'string' || time === undefined) return undefined;
    const label = typeof r.label === 'string' && r.label !== '' && r.label !== '-' && r.label.toLowerCase() !== 'normal' ? r.label : undefined;
    out.push({ time, message, ...(typeof stream === 'string' && stream ? { logStream: stream } : {}), ...(typeof group === 'string' && group ? { logGroup: group } : {}), ...(label ? { label } : {}) });
  }
  return out;
}

/**
 * Reads a recording: CloudWatch Logs JSON (filter-log-events / get-log-events output, NDJSON events, export-task
 * lines) or native lines, with their inline labels cut off (fail2ban's `# failJSON:` comments, a label column).
 */
export function readRecording(file: string, format: ReplayFormat, source: SourceName, opts: ReadRecordingOptions = {}): RecordedLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`replay: cannot read ${file}`, { expected: 'a readable log file', seen: (err as Error).message, fix: 'paths in `replay.file` are relative to the scenario file', cause: err });
  }
  const numbered = text.split(/\r?\n/).map((l, i) => [l, i + 1] as const).filter(([l]) => l.trim() !== '');
  const lines = numbered.map(([l]) => l);
  const notRaw = (what: string) =>
    new ConfigError(`replay: ${file} is ${what}, and the drill says its lines start with a label column`, {
      expected: 'raw log lines, each led by its label (`labelColumn: true`)',
      seen: what,
      fix: 'drop `labelColumn: true`: label JSON events with their `label` field',
    });
  if (format !== 'native') {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        const whole = asExportEvents(JSON.parse(text));
        if (whole && opts.labelColumn) throw notRaw('CloudWatch Logs JSON');
        if (whole) return whole;
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        // Not one JSON document: maybe NDJSON.
      }
      try {
        const nd = asExportEvents(lines.map((l) => JSON.parse(l) as unknown));
        if (nd && opts.labelColumn) throw notRaw('NDJSON of log events');
        if (nd) return nd;
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        // Not NDJSON of events either.
      }
    }
    if (format === 'cloudwatch-export') {
      if (opts.labelColumn) throw notRaw('a CloudWatch Logs export');
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
  return splitInlineLabels(file, lines, numbered.map(([, n]) => n), { labelColumn: opts.labelColumn ?? false }).map((l) => {
    const time = lineTime(l.message, source) ?? l.labelTime;
    return { time, message: l.message, line: l.line, ...(l.label ? { label: l.label } : {}) };
  });
}

/** The re-timed stream; deterministic (no randomness at all). */
export function* replayEvents(opts: ReplayOptions): Generator<GeneratedEvent, void, undefined> {
  const recorded = opts.recorded ?? readRecording(opts.file, opts.format, opts.source);
  if (recorded.length === 0) return;
  const timed = timeRecording(recorded, opts.window.start, opts.speed).lines;
  const t0 = timed[0]!.time;
  const span = Math.max(1, (timed[timed.length - 1]!.time - t0) / opts.speed + 1000);
  for (let round = 0; ; round++) {
    const base = opts.window.start + round * span;
    if (base >= opts.window.end) return;
    for (const r of timed) {
      const time = Math.floor(base + (r.time - t0) / opts.speed);
      if (time >= opts.window.end) return;
      let dest: Destination = opts.dest;
      if (dest.kind === 'cwl' && ((opts.keepStreams && r.logStream) || (opts.keepGroups && r.logGroup))) {
        dest = { ...dest, ...(opts.keepStreams && r.logStream ? { logStream: r.logStream } : {}), ...(opts.keepGroups && r.logGroup ? { logGroup: r.logGroup } : {}) };
      }
      const source = (dest.kind === 'cwl' && opts.keepGroups && r.logGroup && opts.sourceOf?.(r.logGroup)) || opts.source;
      yield { time, source, dest, message: shiftLine(r.message, source, time - r.time) };
    }
    if (!opts.loop) return;
  }
}
