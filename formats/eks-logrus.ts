import { FormatError } from '../core/index.ts';

/**
 * The AWS IAM Authenticator's log lines: logrus' TextFormatter with full timestamps, as EKS writes them to the
 * `authenticator-<hash>` stream (AWS knowledge center, "You must be logged in to the server (Unauthorized)"):
 *
 *   time="2022-05-26T18:55:30Z" level=info msg="access granted" arn="arn:aws:iam::123456789000:user/testuser" client="127.0.0.1:57586" groups="[system:masters]" method=POST path=/authenticate uid="aws-iam-authenticator:123456789000:AROAFFXXXXXXXXXX" username=kubernetes-admin
 *
 * `time`, `level` and `msg` come first, then the fields sorted by key. A value is quoted (Go %q) unless every
 * character is a letter, digit or one of `-._/@^+`; `time` is always quoted.
 */
export interface LogrusLine {
  time: string;
  level: string;
  msg: string;
  /** The other fields in line order. */
  fields: [string, string][];
}

const BARE = /^[A-Za-z0-9\-._/@^+]*$/;

/** logrus' needsQuoting: an empty value stays bare, as logrus writes it (`session=`). */
export function logrusValue(v: string): string {
  return BARE.test(v) ? v : JSON.stringify(v);
}

export function serializeLogrus(l: LogrusLine): string {
  let s = `time=${JSON.stringify(l.time)} level=${logrusValue(l.level)} msg=${logrusValue(l.msg)}`;
  for (const [k, v] of l.fields) s += ` ${k}=${logrusValue(v)}`;
  return s;
}

/** Builds a line as logrus would: fields sorted by key. */
export function logrusLine(time: string, level: string, msg: string, fields: Record<string, string>): LogrusLine {
  return { time, level, msg, fields: Object.keys(fields).sort().map((k) => [k, fields[k]!]) };
}

export function parseLogrus(line: string): LogrusLine {
  const s = line.endsWith('\n') ? line.slice(0, -1) : line;
  const pairs: [string, string][] = [];
  let i = 0;
  while (i < s.length) {
    while (s[i] === ' ') i++;
    if (i >= s.length) break;
    const km = /^([A-Za-z_][\w.-]*)=/.exec(s.slice(i, i + 100));
    if (!km) throw bad(s, `expected key=value at column ${i + 1}`);
    i += km[0].length;
    let value: string;
    if (s[i] === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length) throw bad(s, `unterminated quoted value of ${km[1]}`);
      try {
        value = JSON.parse(s.slice(i, j + 1)) as string;
      } catch {
        value = s.slice(i + 1, j);
      }
      i = j + 1;
    } else {
      const j = s.indexOf(' ', i);
      value = s.slice(i, j < 0 ? s.length : j);
      i = j < 0 ? s.length : j;
    }
    pairs.push([km[1]!, value]);
  }
  const get = (k: string) => pairs.find(([key]) => key === k)?.[1];
  const time = get('time'), level = get('level'), msg = get('msg');
  if (time === undefined || level === undefined || msg === undefined) throw bad(s, 'time, level and msg are required');
  return { time, level, msg, fields: pairs.filter(([k]) => k !== 'time' && k !== 'level' && k !== 'msg') };
}

function bad(s: string, why: string): FormatError {
  return new FormatError(`authenticator line is not a logrus text line: ${why}`, {
    expected: 'time="<RFC 3339>" level=<level> msg=<message> key=value …',
    seen: JSON.stringify(s.slice(0, 160)),
  });
}

export function isLogrusLine(line: string): boolean {
  return line.startsWith('time="');
}
