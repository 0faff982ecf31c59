import { createHash } from 'node:crypto';

/** How AWS server access log delivery groups lines: one object per few minutes of requests. */
export interface AccessLogObjectOptions {
  /** Event-time span one object covers at most (default 5 minutes). */
  spanMs?: number;
  /** Lines per object at most (default 2,000). */
  maxLines?: number;
}

export interface AccessLogObject<T> {
  key: string;
  events: T[];
  body: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * `<prefix>YYYY-mm-DD-HH-MM-SS-<16 hex>` — the key AWS log delivery writes (S3 User Guide, "Log object key
 * format"). The timestamp is when the object was delivered, here the object's last event; the unique
 * string is a hash of the content and of the object's ordinal under its prefix: writing the same object twice
 * is idempotent, and two objects whose lines happen to be alike are still two objects.
 */
export function accessLogKey(prefix: string, deliveredAt: number, body: string, ordinal = 0): string {
  const d = new Date(deliveredAt);
  const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}`;
  const unique = createHash('sha256').update(prefix).update(`\0${ordinal}\0`).update(body).digest('hex').slice(0, 16).toUpperCase();
  return `${prefix}${stamp}-${unique}`;
}

/** Groups time-ordered lines of one (bucket, prefix) into delivery objects, numbered from `firstOrdinal`. */
export function groupAccessLogObjects<T extends { time: number; message: string }>(prefix: string, events: readonly T[], opts: AccessLogObjectOptions = {}, firstOrdinal = 0): AccessLogObject<T>[] {
  const spanMs = opts.spanMs ?? 5 * 60_000;
  const maxLines = opts.maxLines ?? 2_000;
  const out: AccessLogObject<T>[] = [];
  let cur: T[] = [];
  const close = () => {
    if (cur.length === 0) return;
    const body = cur.map((e) => `${e.message}\n`).join('');
    out.push({ key: accessLogKey(prefix, cur[cur.length - 1]!.time, body, firstOrdinal + out.length), events: cur, body });
    cur = [];
  };
  for (const e of events) {
    if (cur.length > 0 && (cur.length >= maxLines || e.time - cur[0]!.time >= spanMs)) close();
    cur.push(e);
  }
  close();
  return out;
}
