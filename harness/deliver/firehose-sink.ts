import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import pLimit, { type LimitFunction } from 'p-limit';
import { putWithResend, type BatchRecord } from './put-with-resend.ts';
import { FIREHOSE_LIMITS, splitRecordBatches, type FirehoseLimits } from './record-batches.ts';
import type { RetryOptions } from './retry.ts';
import type { IngestTally, WireEvent } from './types.ts';
import { UnansweredTimes, minOf, oldestTime } from './unanswered-times.ts';

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

/**
 * One event per record, as AWS WAF writes to Firehose, while it waits in a buffer: its line (not yet encoded), its
 * size with the newline, and its event time, for the delivery watermark.
 */
interface PendingRecord {
  message: string;
  bytes: number;
  source: BatchRecord['source'];
  time: number;
}

/** A record cut into a request: its bytes, a view of the request's one buffer. */
type SentRecord = BatchRecord & { events: 1 };

/**
 * A batch's records encoded into one buffer, each a view of its own bytes (the line and its newline). One
 * allocation per request, made when the request is cut, rather than one per record as it arrives: a buffered record
 * is its line, and the bytes exist only while the request does.
 */
export function encodeRecords(batch: readonly PendingRecord[]): SentRecord[] {
  const total = batch.reduce((n, r) => n + r.bytes, 0);
  const buf = Buffer.allocUnsafeSlow(total);
  let at = 0;
  return batch.map((r) => {
    const end = at + buf.write(r.message, at, 'utf8');
    buf[end] = 0x0a;
    const data = buf.subarray(at, end + 1);
    at = end + 1;
    return { data, source: r.source, events: 1 };
  });
}

/**
 * The Firehose writer for direct deliveries (WAF logs): one record per log, newline-terminated as AWS WAF
 * writes them, PutRecordBatch within 500 records / 4 MiB, and only the failed records resent.
 */
export class FirehoseSink {
  private readonly buffers = new Map<string, PendingRecord[]>();
  private readonly bufferBytes = new Map<string, number>();
  private readonly limit: LimitFunction;
  private readonly concurrency: number;
  private readonly inflight = new Set<Promise<void>>();
  private readonly limits: FirehoseLimits;
  private readonly unanswered = new UnansweredTimes();

  constructor(private readonly opts: FirehoseSinkOptions) {
    this.concurrency = opts.concurrency ?? 4;
    this.limit = pLimit(this.concurrency);
    this.limits = opts.limits ?? { ...FIREHOSE_LIMITS };
  }

  add(e: WireEvent): Promise<void> | undefined {
    if (e.dest.kind !== 'firehose') throw new TypeError(`FirehoseSink.add: event for ${e.dest.kind}`);
    const { tally } = this.opts;
    tally.generated(e.source);
    if (e.message.length === 0) {
      tally.rejected(e.source, 'emptyMessage', 1, e.dest.deliveryStream);
      return undefined;
    }
    // UTF-8 with the newline, as encodeRecords writes it.
    const size = Buffer.byteLength(e.message, 'utf8') + 1;
    if (size > this.limits.maxRecordBytes) {
      tally.rejected(e.source, 'recordTooLarge', 1, `${size} bytes > ${this.limits.maxRecordBytes}`);
      return undefined;
    }
    const name = e.dest.deliveryStream;
    const buf = this.buffers.get(name) ?? [];
    buf.push({ message: e.message, bytes: size, source: e.source, time: e.time });
    this.buffers.set(name, buf);
    const bytes = (this.bufferBytes.get(name) ?? 0) + size;
    this.bufferBytes.set(name, bytes);
    if (buf.length >= this.limits.maxRecords || bytes >= this.limits.maxBatchBytes) this.drain(name, false);
    // Requests cut and not yet answered, each up to maxBatchBytes (4 MiB) besides its JSON body in base64: one more
    // than are sent at once, so the next is ready when one is answered (twice as many held up to 8 more MiB of
    // records and their bodies for no faster delivery).
    if (this.inflight.size > this.concurrency) return Promise.race(this.inflight).then(() => undefined);
    return undefined;
  }

  /** The event time of the oldest event buffered or in a request without an answer (undefined: none). */
  oldestUnanswered(): number | undefined {
    return minOf([this.unanswered.oldest(), ...[...this.buffers.values()].map(oldestTime)]);
  }

  /**
   * For a drill's delivery watermark: sends every buffer holding an event older than `before`, waits until every
   * request sent so far has an answer, and returns the oldest event time the sink still holds (undefined: none).
   */
  async settle(before: number): Promise<number | undefined> {
    for (const [name, buf] of [...this.buffers]) if ((oldestTime(buf) ?? before) < before) this.drain(name, true);
    await this.unanswered.answered();
    return this.oldestUnanswered();
  }

  async flush(): Promise<void> {
    for (const name of [...this.buffers.keys()]) this.drain(name, true);
    await Promise.all(this.inflight);
  }

  private drain(name: string, all: boolean): void {
    const buf = this.buffers.get(name) ?? [];
    const batches = splitRecordBatches(buf, this.limits, (r) => r.bytes);
    const keep = all ? [] : (batches.pop() ?? []);
    this.buffers.set(name, keep);
    this.bufferBytes.set(name, keep.reduce((n, r) => n + r.bytes, 0));
    for (const b of batches) {
      const records = encodeRecords(b);
      const p = this.unanswered.track(oldestTime(b), () => this.limit(() => this.send(name, records))).finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }
  }

  private send(name: string, batch: SentRecord[]): Promise<void> {
    const { client } = this.opts;
    return putWithResend(batch, {
      operation: 'PutRecordBatch',
      destination: `Firehose stream ${name}`,
      tally: this.opts.tally,
      retry: this.opts.retry,
      resendRounds: this.opts.resendRounds,
      put: async (todo) => {
        const res = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: todo.map((r) => ({ Data: r.data })) }));
        return { failedCount: res.FailedPutCount ?? 0, results: res.RequestResponses };
      },
    });
  }
}
