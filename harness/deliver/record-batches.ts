/** PutRecordBatch limits (Amazon Data Firehose API reference). */
export const FIREHOSE_LIMITS = {
  maxRecords: 500,
  maxBatchBytes: 4 * 1024 * 1024,
  /** One record's data, before base64 encoding. */
  maxRecordBytes: 1_000 * 1024,
} as const;
export type FirehoseLimits = { -readonly [K in keyof typeof FIREHOSE_LIMITS]: number };

export interface SizedRecord {
  data: Uint8Array;
}

/**
 * Splits records (each already within maxRecordBytes) into batch requests (PutRecordBatch, PutRecords): at most
 * maxRecords and maxBatchBytes each, a record's size as `sizeOf` counts it (default its data; Kinesis adds the
 * partition key; Firehose's buffered records are lines not yet encoded, with their size).
 */
export function splitRecordBatches<T extends SizedRecord>(records: readonly T[], limits?: Pick<FirehoseLimits, 'maxRecords' | 'maxBatchBytes'>, sizeOf?: (r: T) => number): T[][];
export function splitRecordBatches<T>(records: readonly T[], limits: Pick<FirehoseLimits, 'maxRecords' | 'maxBatchBytes'>, sizeOf: (r: T) => number): T[][];
export function splitRecordBatches<T>(
  records: readonly T[],
  limits: Pick<FirehoseLimits, 'maxRecords' | 'maxBatchBytes'> = FIREHOSE_LIMITS,
  sizeOf: (r: T) => number = (r) => (r as SizedRecord).data.byteLength,
): T[][] {
  const batches: T[][] = [];
  let cur: T[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = sizeOf(r);
    if (cur.length > 0 && (cur.length + 1 > limits.maxRecords || bytes + size > limits.maxBatchBytes)) {
      batches.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(r);
    bytes += size;
  }
  if (cur.length > 0) batches.push(cur);
  return batches;
}

/** Indices of the records a PutRecordBatch response reports as failed (ErrorCode set): only these are resent. */
export function failedRecordIndices(responses: readonly { ErrorCode?: string | undefined; RecordId?: string | undefined }[] | undefined, sent: number): number[] {
  // A response without per-record entries tells nothing about which failed: all of them are resent.
  if (!responses || responses.length !== sent) return Array.from({ length: sent }, (_, i) => i);
  const out: number[] = [];
  responses.forEach((r, i) => {
    if (r.ErrorCode) out.push(i);
  });
  return out;
}
