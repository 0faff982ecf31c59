import zlib from 'node:zlib';

/** Why a piece of a raw object could not be read; the quarantine groups by these codes. */
export const QUARANTINE_CODES = [
  'truncated-gzip',
  'invalid-gzip',
  'invalid-json',
  'invalid-utf8',
  'line-too-large',
  'invalid-envelope',
  'unknown-log-group',
  'unknown-object',
  'no-format',
  /** A line its source could not read and that is not text either (NULs, control bytes): the only line-level refusal. */
  'not-text',
  'parse-error',
  'invalid-notification',
] as const;
export type QuarantineCode = (typeof QUARANTINE_CODES)[number];

export interface DecodeProblem {
  code: QuarantineCode;
  reason: string;
  /** The offending bytes (the normalizer stores a preview of them). */
  bytes: Uint8Array;
}

/** The longest line the normalizer accepts: Firehose's record limit, 1,000 KiB (a CWL event is ≤ 1 MiB). */
export const MAX_LINE_BYTES = 1_048_576;

export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/**
 * Splits concatenated gzip members (what Firehose writes for CloudWatch Logs subscriptions: one member per
 * record, no delimiter) and inflates each on its own, so one damaged member costs that member only.
 */
export function gunzipMembers(buf: Uint8Array): { members: Uint8Array[]; problems: DecodeProblem[] } {
  const members: Uint8Array[] = [];
  const problems: DecodeProblem[] = [];
  let p = 0;
  while (p < buf.length) {
    const start = p;
    if (!isGzip(buf.subarray(p)) || buf.length - p < 18) {
      problems.push({
        code: buf.length - p < 18 && isGzip(buf.subarray(p)) ? 'truncated-gzip' : 'invalid-gzip',
        reason: `${buf.length - p} bytes at offset ${p} are not a complete gzip member`,
        bytes: buf.subarray(p),
      });
      break;
    }
    const flags = buf[p + 3]!;
    let h = p + 10;
    if (flags & 4) h += 2 + (buf[h]! | (buf[h + 1]! << 8));
    if (flags & 8) while (h < buf.length && buf[h++] !== 0);
    if (flags & 16) while (h < buf.length && buf[h++] !== 0);
    if (flags & 2) h += 2;
    let out: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      out = zlib.inflateRawSync(buf.subarray(h), { info: true }) as unknown as typeof out;
    } catch (err) {
      const e = err as { code?: string; message?: string };
      const truncated = e.code === 'Z_BUF_ERROR';
      problems.push({
        code: truncated ? 'truncated-gzip' : 'invalid-gzip',
        reason: `gzip member at offset ${start}: ${truncated ? 'truncated (unexpected end of data)' : (e.message ?? 'corrupt deflate data')}`,
        bytes: buf.subarray(start),
      });
      break;
    }
    const end = h + out.engine.bytesWritten;
    if (end + 8 > buf.length) {
      problems.push({ code: 'truncated-gzip', reason: `gzip member at offset ${start}: truncated (trailer missing)`, bytes: buf.subarray(start) });
      break;
    }
    const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const crc = view.readUInt32LE(end);
    const size = view.readUInt32LE(end + 4);
    if (crc !== zlib.crc32(out.buffer) >>> 0 || size !== (out.buffer.length >>> 0)) {
      problems.push({ code: 'invalid-gzip', reason: `gzip member at offset ${start}: CRC or length mismatch`, bytes: buf.subarray(start, end + 8) });
    } else {
      members.push(out.buffer);
    }
    p = end + 8;
  }
  return { members, problems };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8: invalid bytes are a quarantine reason, never silently replaced. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** One piece of text a raw object yielded, or why it could not be read. */
export type Piece = { ok: true; text: string; bytes: Uint8Array } | { ok: false; problem: DecodeProblem };

function piece(bytes: Uint8Array, maxBytes = MAX_LINE_BYTES): Piece {
  if (bytes.byteLength > maxBytes) {
    return { ok: false, problem: { code: 'line-too-large', reason: `line of ${bytes.byteLength} bytes exceeds ${MAX_LINE_BYTES}`, bytes } };
  }
  const text = decodeUtf8(bytes);
  if (text === undefined) return { ok: false, problem: { code: 'invalid-utf8', reason: 'line is not valid UTF-8', bytes } };
  return { ok: true, text, bytes };
}

const WS = new Set([0x20, 0x0a, 0x0d, 0x09]);

/**
 * Splits JSON objects that are newline-delimited, concatenated with no delimiter (Firehose without a
 * processor), or both. Works on bytes: braces and quotes are ASCII, so UTF-8 content cannot fool it.
 * Bytes between objects that are not an object become one bad piece per run, up to the next newline or `{`.
 * Lazily: a piece's text is decoded when it is taken, so a caller holds one piece's text at a time, never a whole
 * object's (which outlived the young generation and was promoted, garbage for the next full GC).
 */
export function* splitJsonObjects(buf: Uint8Array): Generator<Piece, void, undefined> {
  let p = 0;
  const n = buf.length;
  while (p < n) {
    while (p < n && WS.has(buf[p]!)) p++;
    if (p >= n) break;
    if (buf[p] !== 0x7b) {
      const start = p;
      while (p < n && buf[p] !== 0x0a && buf[p] !== 0x7b) p++;
      const bytes = buf.subarray(start, p);
      const pc = piece(bytes);
      yield pc.ok ? { ok: false, problem: { code: 'invalid-json', reason: `not a JSON object: ${JSON.stringify(pc.text.slice(0, 60))}`, bytes } } : pc;
      continue;
    }
    const start = p;
    let depth = 0;
    for (; p < n; p++) {
      const c = buf[p]!;
      if (c === 0x22) {
        // Strings are most of a record's bytes: jump to the closing quote with a native search, then count the
        // backslashes before it (an odd run escapes it). A string that never closes runs to the end.
        let q = p;
        for (;;) {
          q = buf.indexOf(0x22, q + 1);
          if (q < 0) break;
          let bs = 0;
          while (buf[q - 1 - bs] === 0x5c) bs++;
          if ((bs & 1) === 0) break;
        }
        if (q < 0) {
          p = n;
          break;
        }
        p = q;
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) {
          p++;
          break;
        }
      }
    }
    const bytes = buf.subarray(start, Math.min(p, n));
    if (depth !== 0) {
      // Unbalanced to the end: a truncated object. Stop at its first newline so later lines still count.
      const nl = bytes.indexOf(0x0a);
      const cut = nl >= 0 ? bytes.subarray(0, nl) : bytes;
      const pc = piece(cut);
      yield pc.ok ? { ok: false, problem: { code: 'invalid-json', reason: 'truncated JSON object', bytes: cut } } : pc;
      p = start + cut.byteLength + 1;
      continue;
    }
    // Size is judged by the caller once it knows what the object is: a CWL envelope legitimately holds up
    // to 1 MiB of messages plus JSON overhead, a WAF record may not exceed 1,000 KiB.
    yield piece(bytes, Number.POSITIVE_INFINITY);
  }
}

/** Newline-delimited text lines (S3 access logs); empty lines are not events. Lazily, as splitJsonObjects. */
export function* splitLines(buf: Uint8Array): Generator<Piece, void, undefined> {
  let start = 0;
  for (let i = 0; i <= buf.length; i++) {
    if (i === buf.length || buf[i] === 0x0a) {
      let end = i;
      if (end > start && buf[end - 1] === 0x0d) end--;
      if (end > start) yield piece(buf.subarray(start, end));
      start = i + 1;
    }
  }
}

/** A CloudWatch Logs subscription envelope (AWS-FORMATS.md). */
export interface CwlEnvelope {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: { id: string; timestamp: number; message: string }[];
}

/** Checks the envelope's shape; returns why it is not one. */
export function validateEnvelope(v: unknown): CwlEnvelope | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'envelope is not a JSON object';
  const o = v as Record<string, unknown>;
  if (o.messageType !== 'DATA_MESSAGE' && o.messageType !== 'CONTROL_MESSAGE') return `messageType ${JSON.stringify(o.messageType)} is neither DATA_MESSAGE nor CONTROL_MESSAGE`;
  if (o.messageType === 'CONTROL_MESSAGE') return o as unknown as CwlEnvelope;
  if (typeof o.logGroup !== 'string' || typeof o.logStream !== 'string') return 'logGroup/logStream missing';
  if (!Array.isArray(o.logEvents)) return 'logEvents is not an array';
  for (const e of o.logEvents as unknown[]) {
    const ev = e as Record<string, unknown> | null;
    if (!ev || (typeof ev.id !== 'string' && typeof ev.id !== 'number') || typeof ev.timestamp !== 'number' || typeof ev.message !== 'string') {
      return 'a logEvents entry lacks id, timestamp or message';
    }
    // AWS sends a 56-digit string; moto 5.2 sends a JSON number (a process-wide counter). Both are kept as text.
    if (typeof ev.id === 'number') ev.id = String(ev.id);
  }
  return o as unknown as CwlEnvelope;
}
