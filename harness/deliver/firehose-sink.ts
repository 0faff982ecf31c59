import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import pLimit, { type LimitFunction } from 'p-limit';
import { errorMessage, recordsFingerprint } from '../../core/index.ts';
import { FIREHOSE_LIMITS, failedRecordIndices, splitRecordBatches, type FirehoseLimits } from './record-batches.ts';
import { backoffDelay, withRetry, type RetryOptions } from './retry.ts';
import type { IngestTally, WireEvent } from './types.ts';

export interface FirehoseSinkOptions {
  client: FirehoseClient;
  tally: IngestTally;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  retry?: RetryOptions;
  /** Resend rounds for records a response reports failed (default 8). */
  resendRounds?: number;
  limits?: FirehoseLimits;
}

interface PendingRecord {
  event: WireEvent;
  data: Uint8Array;
}

const encoder = new TextEncoder();

/**
 * The Firehose writer for direct deliveries (WAF logs): one record per log, newline-terminated as AWS WAF
 * writes them, PutRecordBatch within 500 records / 4 MiB, and only the failed records resent.
 */
export class FirehoseSink {
  private readonly buffers = new Map<string, PendingRecord[]>();
  private readonly bufferBytes = new Map<string, number>();
  private readonly limit: LimitFunction;
  private readonly inflight = new Set<Promise<void>>();
  private readonly limits: FirehoseLimits;

  constructor(private readonly opts: FirehoseSinkOptions) {
    this.limit = pLimit(opts.concurrency ?? 4);
    this.limits = opts.limits ?? { ...FIREHOSE_LIMITS };
  }

  add(e: WireEvent): Promise<void> | undefined {
    if (e.dest.kind !== 'firehose') throw new TypeError(`FirehoseSink.add: event for ${e.dest.kind}`);
    const { tally } = this.opts;
    tally.generated(e.source);
    const data = encoder.encode(`${e.message}\n`);
    if (e.message.length === 0) {
      tally.rejected(e.source, 'emptyMessage', 1, e.dest.deliveryStream);
      return undefined;
    }
    if (data.byteLength > this.limits.maxRecordBytes) {
      tally.rejected(e.source, 'recordTooLarge', 1, `${data.byteLength} bytes > ${this.limits.maxRecordBytes}`);
      return undefined;
    }
    const name = e.dest.deliveryStream;
    const buf = this.buffers.get(name) ?? [];
    buf.push({ event: e, data });
    this.buffers.set(name, buf);
    const bytes = (this.bufferBytes.get(name) ?? 0) + data.byteLength;
    this.bufferBytes.set(name, bytes);
    if (buf.length >= this.limits.maxRecords || bytes >= this.limits.maxBatchBytes) this.drain(name, false);
    if (this.inflight.size >= (this.opts.concurrency ?? 4) * 2) return Promise.race(this.inflight).then(() => undefined);
    return undefined;
  }

  async flush(): Promise<void> {
    for (const name of [...this.buffers.keys()]) this.drain(name, true);
    await Promise.all(this.inflight);
  }

  private drain(name: string, all: boolean): void {
    const buf = this.buffers.get(name) ?? [];
    const batches = splitRecordBatches(buf, this.limits);
    const keep = all ? [] : (batches.pop() ?? []);
    this.buffers.set(name, keep);
    this.bufferBytes.set(name, keep.reduce((n, r) => n + r.data.byteLength, 0));
    for (const b of batches) {
      const p = this.limit(() => this.send(name, b)).finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }
  }

  private async send(name: string, batch: PendingRecord[]): Promise<void> {
    const { client, tally } = this.opts;
    let todo = batch;
    const rounds = this.opts.resendRounds ?? 8;
    for (let round = 0; todo.length > 0; round++) {
      let failed: number[];
      let why: string;
      try {
        const res = await withRetry(
          `PutRecordBatch ${name}`,
          () => {
            tally.call('PutRecordBatch');
            return client.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: todo.map((r) => ({ Data: r.data })) }));
          },
          { ...this.opts.retry, onRetry: () => tally.retry('PutRecordBatch') },
        );
        failed = (res.FailedPutCount ?? 0) > 0 ? failedRecordIndices(res.RequestResponses, todo.length) : [];
        why = res.RequestResponses?.find((r) => r.ErrorCode)?.ErrorCode ?? 'FailedPutCount > 0';
      } catch (err) {
        // No such stream: the system under test has no entry point here (e.g. it declares none for WAF).
        const missing = (err as { cause?: { name?: string } }).cause?.name === 'ResourceNotFoundException';
        for (const r of todo) tally.rejected(r.event.source, missing ? 'unknownDestination' : 'sendFailed', 1, missing ? `Firehose stream ${name} does not exist` : errorMessage(err).split('\n')[0]);
        return;
      }
      const failedSet = new Set(failed);
      const stored = todo.filter((_, i) => !failedSet.has(i));
      for (const r of stored) tally.accepted(r.event.source);
      if (stored.length > 0) tally.request(recordsFingerprint(stored.map((r) => r.data)), stored[0]!.event.source, stored.length);
      todo = failed.map((i) => todo[i]!);
      if (todo.length === 0) return;
      if (round + 1 >= rounds) {
        for (const r of todo) tally.rejected(r.event.source, 'sendFailed', 1, `still failing after ${rounds} rounds: ${why}`);
        return;
      }
      tally.retry('PutRecordBatch.partial');
      await new Promise((r) => setTimeout(r, backoffDelay(round, this.opts.retry?.baseMs ?? 50, this.opts.retry?.maxMs ?? 3_000)));
    }
  }
}
