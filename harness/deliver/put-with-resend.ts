import { errorMessage, recordsFingerprint, type SourceName } from '../../core/index.ts';
import { failedRecordIndices } from './record-batches.ts';
import { backoffDelay, withRetry, type RetryOptions } from './retry.ts';
import type { IngestTally } from './types.ts';

/** One record of a batch API call (Firehose PutRecordBatch, Kinesis PutRecords), with what the ledger needs. */
export interface BatchRecord {
  data: Uint8Array;
  source: SourceName;
  /** Log events the record carries (a Kinesis subscription envelope carries many, a Firehose record one). */
  events: number;
}

/** A batch call's answer in the shape both APIs share: a failed count and per-record results in request order. */
export interface BatchAnswer {
  failedCount: number;
  results: readonly { ErrorCode?: string | undefined; RecordId?: string | undefined }[] | undefined;
}

export interface PutWithResendOptions<R extends BatchRecord> {
  /** The API operation, as the call ledger names it (`PutRecordBatch`, `PutRecords`). */
  operation: string;
  /** The destination, for messages (`Firehose stream x`, `Kinesis stream y`). */
  destination: string;
  tally: IngestTally;
  put: (records: R[]) => Promise<BatchAnswer>;
  retry?: RetryOptions;
  /** Resend rounds for records an answer reports failed (default 8). */
  resendRounds?: number;
}

/**
 * Sends one batch and resends only the records the answer reports failed, as AWS advises for both batch APIs
 * (a partial failure is a 200 with per-record error codes, not an exception). Every record ends in the ledger:
 * accepted, or refused with why — `unknownDestination` when the stream does not exist (the system under test
 * declares no entry point there), `sendFailed` when the call or the resend rounds gave up.
 */
export async function putWithResend<R extends BatchRecord>(batch: R[], opts: PutWithResendOptions<R>): Promise<void> {
  const { tally, operation } = opts;
  const refuse = (records: R[], reason: 'sendFailed' | 'unknownDestination', detail: string) => {
    for (const r of records) tally.rejected(r.source, reason, r.events, detail);
  };
  const rounds = opts.resendRounds ?? 8;
  let todo = batch;
  for (let round = 0; todo.length > 0; round++) {
    let answer: BatchAnswer;
    try {
      answer = await withRetry(
        `${operation} ${opts.destination}`,
        () => {
          tally.call(operation);
          return opts.put(todo);
        },
        { ...opts.retry, onRetry: () => tally.retry(operation) },
      );
    } catch (err) {
      const missing = (err as { cause?: { name?: string } }).cause?.name === 'ResourceNotFoundException';
      if (missing) return refuse(todo, 'unknownDestination', `${opts.destination} does not exist`);
      return refuse(todo, 'sendFailed', errorMessage(err).split('\n')[0]!);
    }
    const failed = answer.failedCount > 0 ? failedRecordIndices(answer.results, todo.length) : [];
    const failedSet = new Set(failed);
    const stored = todo.filter((_, i) => !failedSet.has(i));
    for (const r of stored) tally.accepted(r.source, r.events);
    if (stored.length > 0) tally.request(recordsFingerprint(stored.map((r) => r.data)), stored[0]!.source, stored.reduce((n, r) => n + r.events, 0));
    todo = failed.map((i) => todo[i]!);
    if (todo.length === 0) return;
    if (round + 1 >= rounds) {
      const why = answer.results?.find((r) => r.ErrorCode)?.ErrorCode ?? `${operation} reported ${answer.failedCount} failed`;
      return refuse(todo, 'sendFailed', `still failing after ${rounds} rounds: ${why}`);
    }
    tally.retry(`${operation}.partial`);
    await new Promise((r) => setTimeout(r, backoffDelay(round, opts.retry?.baseMs ?? 50, opts.retry?.maxMs ?? 3_000)));
  }
}
