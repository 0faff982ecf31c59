import { FormatError } from '../core/index.ts';
import type { FormatSpec } from './types.ts';

/**
 * Amazon S3 server access log record (the space-delimited text S3 log delivery writes into the target
 * bucket). One record per line, fields in this fixed order, `-` for unknown / not applicable:
 *
 *   BucketOwner Bucket [06/Feb/2019:00:00:38 +0000] RemoteIP Requester RequestID Operation Key
 *   "Request-URI" HTTPstatus ErrorCode BytesSent ObjectSize TotalTime TurnAroundTime "Referer"
 *   "User-Agent" VersionId HostId SignatureVersion CipherSuite AuthenticationType HostHeader TLSversion
 *   AccessPointARN aclRequired
 *
 * AWS documents that new fields may be appended at the end at any time (the docs' own example already
 * carries a trailing source-region field), so parse keeps whatever follows aclRequired in `extra`.
 */
export interface S3AccessRecord {
  bucketOwner: string;
  bucket: string;
  /** Request time, epoch ms (the log has whole seconds). */
  time: number;
  remoteIp: string | null;
  /** Canonical user id, an IAM/STS ARN, or null (`-`) for anonymous requests. */
  requester: string | null;
  requestId: string;
  operation: string;
  key: string | null;
  /** `GET /bucket/key HTTP/1.1`, without the quotes; null when S3 wrote `-`. */
  requestUri: string | null;
  httpStatus: number | null;
  errorCode: string | null;
  bytesSent: number | null;
  objectSize: number | null;
  totalTime: number | null;
  turnAroundTime: number | null;
  referer: string | null;
  userAgent: string | null;
  versionId: string | null;
  hostId: string | null;
  signatureVersion: string | null;
  cipherSuite: string | null;
  authenticationType: string | null;
  hostHeader: string | null;
  tlsVersion: string | null;
  accessPointArn: string | null;
  aclRequired: string | null;
  /** Fields AWS appended after aclRequired, raw tokens in order (kept so serialize round-trips). */
  extra?: string[];
}

/** The documented field names in order; the position of each is its index in a parsed token list. */
export const S3ACCESS_FIELDS = [
  'bucketOwner', 'bucket', 'time', 'remoteIp', 'requester', 'requestId', 'operation', 'key', 'requestUri',
  'httpStatus', 'errorCode', 'bytesSent', 'objectSize', 'totalTime', 'turnAroundTime', 'referer', 'userAgent',
  'versionId', 'hostId', 'signatureVersion', 'cipherSuite', 'authenticationType', 'hostHeader', 'tlsVersion',
  'accessPointArn', 'aclRequired',
] as const;

/** Records written before 2023 stop after TLSversion/AccessPointARN; anything from BucketOwner to TurnAroundTime must be there. */
const MIN_FIELDS = 15;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const MONTH_INDEX: Record<string, number> = Object.fromEntries(MONTHS.map((m, i) => [m, i]));

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

let lastSecond = NaN;
let lastText = '';

/** `[06/Feb/2019:00:00:38 +0000]` — S3 always logs in UTC. Cached per second: consecutive lines share it. */
export function formatS3Time(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec === lastSecond) return lastText;
  const d = new Date(sec * 1000);
  lastSecond = sec;
  lastText = `[${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000]`;
  return lastText;
}

const TIME_RE = /^\[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\]$/;

function parseS3Time(token: string): number {
  const m = TIME_RE.exec(token);
  const month = m ? MONTH_INDEX[m[2]!] : undefined;
  if (!m || month === undefined) {
    throw new FormatError('S3 access log time is malformed', { expected: '[dd/Mon/yyyy:hh:mm:ss +0000]', seen: token });
  }
  const offsetMin = (Number(m[8]) * 60 + Number(m[9])) * (m[7] === '-' ? -1 : 1);
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offsetMin * 60_000;
}

const dash = (v: string | null | undefined): string => (v === null || v === undefined || v === '' ? '-' : v);
const num = (v: number | null): string => (v === null ? '-' : String(v));
const quoted = (v: string | null): string => `"${v === null ? '-' : v}"`;

export function serializeS3Access(r: S3AccessRecord): string {
  // One join, not a chain of template pieces: V8 makes one flat string of it, where concatenation leaves a tree of
  // ~140 pieces a line (~8 KB of heap for a 700-character line, measured in a heap snapshot) that lives as long as
  // the line does, and the S3 access-log sink holds an object's worth of lines (up to 2,000, or 5 minutes of events)
  // before it writes them. Joining is also the faster of the two once the lines are joined into an object's body.
  const fields = [
    r.bucketOwner, r.bucket, formatS3Time(r.time), dash(r.remoteIp), dash(r.requester), r.requestId,
    r.operation, dash(r.key), quoted(r.requestUri), num(r.httpStatus), dash(r.errorCode),
    num(r.bytesSent), num(r.objectSize), num(r.totalTime), num(r.turnAroundTime), quoted(r.referer),
    quoted(r.userAgent), dash(r.versionId), dash(r.hostId), dash(r.signatureVersion), dash(r.cipherSuite),
    dash(r.authenticationType), dash(r.hostHeader), dash(r.tlsVersion), dash(r.accessPointArn), dash(r.aclRequired),
  ];
  if (r.extra) for (const x of r.extra) fields.push(x);
  return fields.join(' ');
}

/**
 * Splits on single spaces, keeping `[...]` and `"..."` tokens whole (the time and the quoted URI,
 * Referer and User-Agent contain spaces). Quotes are kept on the token so '-' and '"-"' stay distinct.
 */
export function tokenizeS3Access(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32) {
      i++;
      continue;
    }
    let end: number;
    if (c === 34 /* " */) {
      end = line.indexOf('"', i + 1);
      // A quote inside a quoted field is not escaped by S3; a closing quote is one followed by a space or the end.
      while (end !== -1 && end + 1 < n && line.charCodeAt(end + 1) !== 32) end = line.indexOf('"', end + 1);
      if (end === -1) throw new FormatError('S3 access log line has an unterminated quoted field', { expected: 'a closing "', seen: line.slice(i, i + 80) });
      end += 1;
    } else if (c === 91 /* [ */) {
      end = line.indexOf(']', i + 1);
      if (end === -1) throw new FormatError('S3 access log line has an unterminated [time] field', { expected: 'a closing ]', seen: line.slice(i, i + 40) });
      end += 1;
    } else {
      end = line.indexOf(' ', i);
      if (end === -1) end = n;
    }
    out.push(line.slice(i, end));
    i = end;
  }
  return out;
}

function unquote(t: string | undefined): string | null {
  if (t === undefined || t === '-') return null;
  const v = t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
  return v === '-' ? null : v;
}

function str(t: string | undefined): string | null {
  return t === undefined || t === '-' ? null : t;
}

function int(t: string | undefined, field: string): number | null {
  if (t === undefined || t === '-') return null;
  if (!/^\d+$/.test(t)) throw new FormatError(`S3 access log field ${field} is not a number`, { expected: 'digits or -', seen: t });
  return Number(t);
}

export function parseS3Access(line: string): S3AccessRecord {
  const text = line.endsWith('\n') ? line.slice(0, -1) : line;
  const t = tokenizeS3Access(text);
  if (t.length < MIN_FIELDS) {
    throw new FormatError('S3 access log line has too few fields', {
      expected: `at least ${MIN_FIELDS} space-delimited fields (BucketOwner … TurnAroundTime), up to ${S3ACCESS_FIELDS.length} and more`,
      seen: `${t.length} fields: ${JSON.stringify(text.slice(0, 120))}`,
      fix: 'check that the object is an S3 server access log, not a CloudTrail or ALB log',
    });
  }
  if (!t[2]!.startsWith('[')) {
    throw new FormatError('S3 access log line has no bracketed time in field 3', { expected: '[dd/Mon/yyyy:hh:mm:ss +0000]', seen: t[2]! });
  }
  const status = int(t[9], 'HTTPstatus');
  if (status !== null && (status < 100 || status > 599)) {
    throw new FormatError('S3 access log HTTP status out of range', { expected: '100..599', seen: String(status) });
  }
  const r: S3AccessRecord = {
    bucketOwner: t[0]!,
    bucket: t[1]!,
    time: parseS3Time(t[2]!),
    remoteIp: str(t[3]),
    requester: str(t[4]),
    requestId: t[5]!,
    operation: t[6]!,
    key: str(t[7]),
    requestUri: unquote(t[8]),
    httpStatus: status,
    errorCode: str(t[10]),
    bytesSent: int(t[11], 'BytesSent'),
    objectSize: int(t[12], 'ObjectSize'),
    totalTime: int(t[13], 'TotalTime'),
    turnAroundTime: int(t[14], 'TurnAroundTime'),
    referer: unquote(t[15]),
    userAgent: unquote(t[16]),
    versionId: str(t[17]),
    hostId: str(t[18]),
    signatureVersion: str(t[19]),
    cipherSuite: str(t[20]),
    authenticationType: str(t[21]),
    hostHeader: str(t[22]),
    tlsVersion: str(t[23]),
    accessPointArn: str(t[24]),
    aclRequired: str(t[25]),
  };
  if (t.length > S3ACCESS_FIELDS.length) r.extra = t.slice(S3ACCESS_FIELDS.length);
  return r;
}

export const s3accessFormat: FormatSpec<S3AccessRecord> = {
  source: 's3access',
  title: 'S3 server access log',
  serialize: serializeS3Access,
  parse: (line) => parseS3Access(line),
  normalize(r) {
    const entities: { bucket: string; ip?: string; principal?: string } = { bucket: r.bucket };
    if (r.remoteIp) entities.ip = r.remoteIp;
    if (r.requester) entities.principal = r.requester;
    return {
      time: r.time,
      entities,
      fields: {
        bucketOwner: r.bucketOwner,
        bucket: r.bucket,
        remoteIp: r.remoteIp,
        requester: r.requester,
        requestId: r.requestId,
        operation: r.operation,
        key: r.key,
        requestUri: r.requestUri,
        httpStatus: r.httpStatus,
        errorCode: r.errorCode,
        bytesSent: r.bytesSent,
        objectSize: r.objectSize,
        totalTime: r.totalTime,
        turnAroundTime: r.turnAroundTime,
        referer: r.referer,
        userAgent: r.userAgent,
        versionId: r.versionId,
      },
    };
  },
};
