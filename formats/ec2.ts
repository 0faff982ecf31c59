import { FormatError } from '../core/index.ts';
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
}

/** A LineOrigin that may also carry the CloudWatch event timestamp, from which the missing year is taken. */
export interface Ec2LineOrigin extends LineOrigin {
  timestamp?: number;
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
  const tag = r.pid === null ? r.program : `${r.program}[${r.pid}]`;
  return `${formatSyslogTime(r.time)} ${r.host} ${tag}: ${r.message}`;
}

const LINE_RE = /^([A-Z][a-z]{2}) ([ 1-3]\d) (\d{2}):(\d{2}):(\d{2}) (\S+) ([^\s[\]:]+)(?:\[(\d+)\])?: ?(.*)$/;

/** Chooses the year that puts month/day closest to `ref` (a syslog line is never more than ~11 months old). */
function inferYear(month: number, day: number, h: number, mi: number, s: number, ref: number): number {
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

function streamOf(origin: LineOrigin | undefined, program: string): Ec2Stream {
  const g = origin?.logGroup ?? '';
  if (g.endsWith('/secure') || g.endsWith('/auth.log')) return 'secure';
  if (g.endsWith('/messages') || g.endsWith('/syslog')) return 'messages';
  return program === 'sshd' || program === 'sudo' || program === 'su' ? 'secure' : 'messages';
}

export function parseEc2(line: string, origin?: Ec2LineOrigin): Ec2Record {
  const m = LINE_RE.exec(line);
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
  serialize: serializeEc2,
  parse: (line, origin) => parseEc2(line, origin),
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
      },
    };
  },
};
