import { createHash } from 'node:crypto';

/**
 * The content of one write request as it lands, so the harness can tell how many times a destination stored it:
 * a request whose answer was lost and that was sent again may have been stored twice, and a pipeline that keys on
 * delivery rightly keeps both copies. The sinks note each request's fingerprint; the ledger counts the landed
 * copies (on moto one PutLogEvents is one subscription envelope, one PutRecordBatch one S3 object).
 */
export function logEventsFingerprint(logGroup: string, logStream: string, events: Iterable<{ timestamp: number; message: string }>): string {
  const h = createHash('sha256').update(`cwl\0${logGroup}\0${logStream}\0`);
  for (const e of events) h.update(`${e.timestamp}\0${e.message}\0`);
  return h.digest('hex').slice(0, 32);
}

/** The records of one PutRecordBatch, concatenated as Firehose writes them to S3. */
export function recordsFingerprint(records: Iterable<Uint8Array>): string {
  const h = createHash('sha256').update('records\0');
  for (const r of records) h.update(r);
  return h.digest('hex').slice(0, 32);
}
