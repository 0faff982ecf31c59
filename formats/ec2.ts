import { FormatError } from '../core/index.ts';
import { SYSLOG_LEVELS, levelRank, jsonObjectOf, nearestYear, zoneOffsetMinutes } from './generic.ts';
import type { FormatSpec, LineOrigin } from './types.ts';

/**
 * EC2 host logs as the CloudWatch agent ships them: /var/log/secure (auth.log) and /var/log/messages
 * (syslog), each line an RFC 3164 record written by rsyslog:
 *
 *   Dec 10 06:55:48 ip-10-0-1-5 sshd[24200]: Failed password for invalid user admin from 173.234.31.186 port 38926 ssh2
 *   Feb  6 00:00:38 ip-10-0-1-5 kernel: Out of memory: Killed process 4242 (java) total-vm:…
 *
 * The day is space-padded (`Feb  6`), the time is the host's clock (UTC on Amazon Linux AMIs) and there is
 * no year: normalize takes the year from the CloudWatch event timestamp when the caller passes it
 * (`origin.timestamp`), else from the current year, stepping back one when that lands in the future.
 *
 * That is what the generators write. parse also reads, keeping the line as written (`raw`):
 *   <38>Dec 10 06:55:48 host sshd[1]: …            a syslog priority in front (forwarded syslog)
 *   Dec 10 06:55:48.123456 host sshd[1]: …         journalctl -o short-precise
 *   2024-12-10T06:55:48.123456+00:00 host sshd[1]: …   rsyslog's RSYSLOG_FileFormat, journalctl -o short-iso
 *   {"__REALTIME_TIMESTAMP":"…","_HOSTNAME":"…","SYSLOG_IDENTIFIER":"sshd","MESSAGE":"…","PRIORITY":"6",…}
 *                                                  journalctl -o json (what journald-based hosts ship)
 * A hint's shape (`syslog` | `journal-json`) restricts parse to that shape.
 */
export const EC2_STREAMS = ['secure', 'messages'] as const;
export type Ec2Stream = (typeof EC2_STREAMS)[number];

export interface Ec2Record {
  stream: Ec2Stream;
  /** Event time, epoch ms (whole seconds; the year is not written). */
  time: number;
  host: string;
  program: string;
  /** Null for programs that log without a pid (`kernel:`). */
  pid: number | null;
  message: string;
  /** Syslog severity 0..7 where the line carries one (a `<PRI>` prefix, journald PRIORITY). */
  priority?: number | null;
  /** Lines of shapes the generators do not write: the line as it arrived (serialize gives it back). */
  raw?: string;
}

/** The shapes a source map may declare for a host log group. */
export const EC2_SHAPES = ['auto', 'syslog', 'journal-json'] as const;

/** A LineOrigin that may also carry the CloudWatch event timestamp, from which the missing year is taken. */
export interface Ec2LineOrigin extends LineOrigin {
  timestamp?: number;
}

// Without a journal priority, the level is what the program wrote before its message: OpenSSH prefixes its error
// and fatal messages with `error: ` and `fatal: `, logrotate and postfix do the same (`warning: `, `panic: `).
const LEVEL_PREFIX_RE = /^([a-z]{3,9}): /;
function messageLevel(message: string): string | null {
  const m = LEVEL_PREFIX_RE.exec(message);
  return m && levelRank(m[1]) >= 0 ? m[1]!.toUpperCase() : null;
}

export const EC2_KINDS = ['ssh-failed', 'ssh-invalid-user', 'ssh-accepted', 'pam-failure', 'oom-kill', 'disk-full', 'systemd', 'kernel', 'other'] as const;
export type Ec2Kind = (typeof EC2_KINDS)[number];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const MONTH_INDEX: Record<string, number> = Object.fromEntries(MONTHS.map((m, i) => [m, i]));

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `Feb  6 00:00:38`: RFC 3164 pads the day with a space, not a zero. */
export function formatSyslogTime(ms: number): string {
  const d = new Date(ms);
  const day = d.getUTCDate();
  return `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** `ip-10-0-1-10`: the hostname EC2 gives an instance from its private IPv4 address. */
export function ec2Hostname(privateIp: string): string {
  return `ip-${privateIp.replaceAll('.', '-')}`;
}

export function serializeEc2(r: Ec2Record): string {
  if (r.raw !== undefined) return r.raw;
  const tag = r.pid === null ? r.program : `${r.program}[${r.pid}]`;
  return `${formatSyslogTime(r.time)} ${r.host} ${tag}: ${r.message}`;
}

const LINE_RE = /^([A-Z][a-z]{2}) ([ 1-3]\d) (\d{2}):(\d{2}):(\d{2}) (\S+) ([^\s[\]:]+)(?:\[(\d+)\])?: ?(.*)$/;

const inferYear = nearestYear;

function streamOf(origin: LineOrigin | undefined, program: string): Ec2Stream {
  const g = origin?.logGroup ?? '';
  if (g.endsWith('/secure') || g.endsWith('/auth.log')) return 'secure';
  if (g.endsWith('/messages') || g.endsWith('/syslog')) return 'messages';
  return program === 'sshd' || program === 'sudo' || program === 'su' ? 'secure' : 'messages';
}

// RFC 3164 with an optional <PRI> and fractional seconds; or an RFC 3339 stamp (rsyslog file format, short-iso).
const OTHER_RE = /^(?:<(\d{1,3})>)?(?:([A-Z][a-z]{2}) ([ 1-3]\d) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?|(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})) (\S+) ([^\s[\]:]+)(?:\[(\d+)\])?: ?([\s\S]*)$/;

const ms3 = (frac: string | undefined): number => (frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0);

function parseSyslogOther(line: string, origin?: Ec2LineOrigin): Ec2Record | undefined {
  const m = OTHER_RE.exec(line.replace(/[\r\n]+$/, ''));
  if (!m) return undefined;
  let time: number;
  if (m[2] !== undefined) {
    const month = MONTH_INDEX[m[2]];
    if (month === undefined) return undefined;
    const day = Number(m[3]!.trim()), h = Number(m[4]), mi = Number(m[5]), s = Number(m[6]);
    if (h > 23 || mi > 59 || s > 60 || day < 1) return undefined;
    time = Date.UTC(inferYear(month, day, h, mi, s, origin?.timestamp ?? Date.now()), month, day, h, mi, s, ms3(m[7]));
  } else {
    time = Date.UTC(Number(m[8]), Number(m[9]) - 1, Number(m[10]), Number(m[11]), Number(m[12]), Number(m[13]), ms3(m[14])) - zoneOffsetMinutes(m[15]) * 60_000;
  }
  const program = m[17]!;
  return {
    stream: streamOf(origin, program),
    time,
    host: m[16]!,
    program,
    pid: m[18] === undefined ? null : Number(m[18]),
    message: m[19]!,
    priority: m[1] === undefined ? null : Number(m[1]) % 8,
    raw: line,
  };
}

const AUTH_FACILITIES = new Set(['4', '10']);

/** One journalctl -o json entry (journald's export fields). */
function parseJournalJson(line: string, origin?: Ec2LineOrigin): Ec2Record | undefined {
  const o = jsonObjectOf(line);
  if (!o || (o.__REALTIME_TIMESTAMP === undefined && o.MESSAGE === undefined)) return undefined;
  const us = typeof o.__REALTIME_TIMESTAMP === 'string' || typeof o.__REALTIME_TIMESTAMP === 'number' ? Number(o.__REALTIME_TIMESTAMP) : NaN;
  const srcUs = typeof o._SOURCE_REALTIME_TIMESTAMP === 'string' ? Number(o._SOURCE_REALTIME_TIMESTAMP) : NaN;
  const time = Number.isFinite(srcUs) ? Math.floor(srcUs / 1000) : Number.isFinite(us) ? Math.floor(us / 1000) : (origin?.timestamp ?? 0);
  // MESSAGE is an array of byte values when it is not valid UTF-8 (journald's export format).
  const message = typeof o.MESSAGE === 'string' ? o.MESSAGE : Array.isArray(o.MESSAGE) ? Buffer.from(o.MESSAGE as number[]).toString('utf8') : '';
  const program = typeof o.SYSLOG_IDENTIFIER === 'string' ? o.SYSLOG_IDENTIFIER : typeof o._COMM === 'string' ? o._COMM : o._TRANSPORT === 'kernel' ? 'kernel' : 'unknown';
  const pidText = typeof o.SYSLOG_PID === 'string' ? o.SYSLOG_PID : typeof o._PID === 'string' ? o._PID : undefined;
  const priority = typeof o.PRIORITY === 'string' && /^[0-7]$/.test(o.PRIORITY) ? Number(o.PRIORITY) : null;
  const facility = typeof o.SYSLOG_FACILITY === 'string' ? o.SYSLOG_FACILITY : '';
  return {
    stream: AUTH_FACILITIES.has(facility) ? 'secure' : streamOf(origin, program),
    time,
    host: typeof o._HOSTNAME === 'string' ? o._HOSTNAME : '',
    program,
    pid: pidText !== undefined && /^\d+$/.test(pidText) ? Number(pidText) : null,
    message,
    priority,
    raw: line,
  };
}

/** A host log line: RFC 3164 as the generators write it, else the other syslog and journald shapes. */
export function parseEc2Line(line: string, origin?: Ec2LineOrigin): Ec2Record {
  const shape = origin?.hint?.shape ?? 'auto';
  if (!(EC2_SHAPES as readonly string[]).includes(shape)) {
    throw new FormatError('host log group declares an unknown shape', { expected: EC2_SHAPES.join(' | '), seen: JSON.stringify(shape) });
  }
  if (shape !== 'journal-json') {
    const m = LINE_RE.exec(line);
    if (m) return parseEc2(line, origin, m);
    const other = parseSyslogOther(line, origin);
    if (other) return other;
  }
  if (shape !== 'syslog') {
    const j = parseJournalJson(line, origin);
    if (j) return j;
  }
  return parseEc2(line, origin); // throws the RFC 3164 error, which says what was expected
}

/** An RFC 3164 line as the generators write it (`m`: the line's LINE_RE match when the caller has it already). */
export function parseEc2(line: string, origin?: Ec2LineOrigin, m: RegExpExecArray | null = LINE_RE.exec(line)): Ec2Record {
  const month = m ? MONTH_INDEX[m[1]!] : undefined;
  if (!m || month === undefined) {
    throw new FormatError('EC2 host log line is not an RFC 3164 syslog record', {
      expected: "'Mmm dd hh:mm:ss <host> <program>[<pid>]: <message>' (day space-padded)",
      seen: JSON.stringify(line.slice(0, 160)),
      fix: 'check that the log group holds /var/log/secure or /var/log/messages shipped by the CloudWatch agent',
    });
  }
  const day = Number(m[2]!.trim());
  const h = Number(m[3]), mi = Number(m[4]), s = Number(m[5]);
  if (h > 23 || mi > 59 || s > 60 || day < 1) {
    throw new FormatError('EC2 host log line has an impossible time', { expected: 'day 1..31, hh 00..23, mm 00..59, ss 00..60', seen: line.slice(0, 15) });
  }
  const ref = origin?.timestamp ?? Date.now();
  const year = inferYear(month, day, h, mi, s, ref);
  const program = m[7]!;
  return {
    stream: streamOf(origin, program),
    time: Date.UTC(year, month, day, h, mi, s),
    host: m[6]!,
    program,
    pid: m[8] === undefined ? null : Number(m[8]),
    message: m[9]!,
  };
}

export interface Ec2Classification {
  kind: Ec2Kind;
  user: string | null;
  rhost: string | null;
  port: number | null;
}

const FAILED_RE = /^Failed (?:password|publickey|keyboard-interactive\/pam|none) for (invalid user )?(\S*) from (\S+) port (\d+)/;
const INVALID_RE = /^Invalid user (\S*) from (\S+)(?: port (\d+))?/;
const ACCEPTED_RE = /^Accepted (?:publickey|password|keyboard-interactive\/pam) for (\S+) from (\S+) port (\d+)/;
const PAM_FAIL_RE = /authentication failures?;.*?rhost=(\S*)(?:\s+user=(\S+))?/;
const FROM_RE = /(?:from|by) (?:(?:invalid |authenticating )?user (\S+) )?(\d{1,3}(?:\.\d{1,3}){3}) port (\d+)/;
const NO_SPACE_RE = /no space left on device/i;
const SESSION_USER_RE = /(?:for|of) user (\S+)/;

/** What an EC2 host line says, in the vocabulary of docs/CONTRACTS.md. */
export function classifyEc2(r: Pick<Ec2Record, 'program' | 'message'>): Ec2Classification {
  const msg = r.message;
  if (r.program === 'sshd') {
    let m = FAILED_RE.exec(msg);
    if (m) return { kind: 'ssh-failed', user: m[2]!, rhost: m[3]!, port: Number(m[4]) };
    m = INVALID_RE.exec(msg);
    if (m) return { kind: 'ssh-invalid-user', user: m[1]!, rhost: m[2]!, port: m[3] === undefined ? null : Number(m[3]) };
    m = ACCEPTED_RE.exec(msg);
    if (m) return { kind: 'ssh-accepted', user: m[1]!, rhost: m[2]!, port: Number(m[3]) };
  }
  if (msg.startsWith('pam_unix(') || msg.startsWith('PAM ')) {
    const m = PAM_FAIL_RE.exec(msg);
    if (m) return { kind: 'pam-failure', user: m[2] ?? null, rhost: m[1] === '' ? null : m[1]!, port: null };
  }
  if (NO_SPACE_RE.test(msg)) return { kind: 'disk-full', user: null, rhost: null, port: null };
  if (r.program === 'kernel') {
    if (msg.startsWith('Out of memory: Kill')) return { kind: 'oom-kill', user: null, rhost: null, port: null };
    return { kind: 'kernel', user: null, rhost: null, port: null };
  }
  if (r.program === 'systemd' || r.program.startsWith('systemd-')) {
    const u = SESSION_USER_RE.exec(msg);
    return { kind: 'systemd', user: u ? u[1]!.replace(/\.$/, '') : null, rhost: null, port: null };
  }
  const m = FROM_RE.exec(msg);
  if (m) return { kind: 'other', user: m[1] ?? null, rhost: m[2]!, port: Number(m[3]) };
  const u = r.program === 'sshd' ? SESSION_USER_RE.exec(msg) : null;
  return { kind: 'other', user: u ? u[1]!.replace(/\.$/, '') : null, rhost: null, port: null };
}

export const ec2Format: FormatSpec<Ec2Record> = {
  source: 'ec2',
  title: 'EC2 host log (secure / messages)',
  shapes: EC2_SHAPES,
  serialize: serializeEc2,
  parse: (line, origin) => parseEc2Line(line, origin),
  entitiesOf(origin) {
    return origin?.logStream ? { instance: origin.logStream } : {};
  },
  normalize(r, origin) {
    const c = classifyEc2(r);
    const entities: { instance?: string; host: string; ip?: string } = { host: r.host };
    if (origin?.logStream) entities.instance = origin.logStream;
    if (c.rhost) entities.ip = c.rhost;
    return {
      time: r.time,
      entities,
      fields: {
        stream: r.stream,
        host: r.host,
        program: r.program,
        pid: r.pid,
        kind: c.kind,
        user: c.user,
        rhost: c.rhost,
        port: c.port,
        detail: r.message,
        level: r.priority === undefined || r.priority === null ? messageLevel(r.message) : SYSLOG_LEVELS[r.priority]!,
      },
    };
  },
};
