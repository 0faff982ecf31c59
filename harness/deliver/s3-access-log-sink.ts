import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit, { type LimitFunction } from 'p-limit';
import { errorMessage, type SourceName } from '../../core/index.ts';
import { groupAccessLogObjects, type AccessLogObjectOptions } from './access-log-objects.ts';
import { withRetry, type RetryOptions } from './retry.ts';
import type { IngestTally, WireEvent } from './types.ts';
import { UnansweredTimes, minOf, oldestTime } from './unanswered-times.ts';

export interface S3AccessLogSinkOptions extends AccessLogObjectOptions {
  client: S3Client;
  tally: IngestTally;
  concurrency?: number;
  retry?: RetryOptions;
}

/** What a buffer keeps of an event (its bucket and prefix are the buffer's). */
interface AccessLine {
  time: number;
  message: string;
  source: SourceName;
}

/**
 * Writes S3 server access log lines the way AWS log delivery does: several lines per object, keyed
 * `<prefix>YYYY-mm-DD-HH-MM-SS-<16 hex>` in the target bucket. Keys are content hashes, so a retried
 * PutObject overwrites the same object instead of delivering the lines twice.
 */
export class S3AccessLogSink {
  /** Per (bucket, prefix): lines not yet written, and how many objects were written (the next object's ordinal). */
  private readonly buffers = new Map<string, { bucket: string; prefix: string; events: AccessLine[]; written: number }>();
  private readonly limit: LimitFunction;
  private readonly inflight = new Set<Promise<void>>();
  private readonly unanswered = new UnansweredTimes();

  constructor(private readonly opts: S3AccessLogSinkOptions) {
    this.limit = pLimit(opts.concurrency ?? 4);
  }

  add(e: WireEvent): Promise<void> | undefined {
    if (e.dest.kind !== 's3') throw new TypeError(`S3AccessLogSink.add: event for ${e.dest.kind}`);
    this.opts.tally.generated(e.source);
    if (e.message.length === 0) {
      this.opts.tally.rejected(e.source, 'emptyMessage', 1, `${e.dest.bucket}/${e.dest.prefix}`);
      return undefined;
    }
    const id = `${e.dest.bucket}\0${e.dest.prefix}`;
    let b = this.buffers.get(id);
    if (!b) {
      b = { bucket: e.dest.bucket, prefix: e.dest.prefix, events: [], written: 0 };
      this.buffers.set(id, b);
    }
    b.events.push({ time: e.time, message: e.message, source: e.source });
    const maxLines = this.opts.maxLines ?? 2_000;
    const spanMs = this.opts.spanMs ?? 5 * 60_000;
    if (b.events.length > maxLines || e.time - b.events[0]!.time >= spanMs) {
      const objects = groupAccessLogObjects(b.prefix, b.events, this.opts, b.written);
      const open = objects.pop();
      b.events = open ? open.events : [];
      b.written += objects.length;
      for (const o of objects) this.put(b.bucket, o.key, o.body, o.events);
    }
    if (this.inflight.size >= (this.opts.concurrency ?? 4) * 2) return Promise.race(this.inflight).then(() => undefined);
    return undefined;
  }

  /** The event time of the oldest line buffered or in an object without an answer (undefined: none). */
  oldestUnanswered(): number | undefined {
    return minOf([this.unanswered.oldest(), ...[...this.buffers.values()].map((b) => oldestTime(b.events))]);
  }

  /**
   * For a drill's delivery watermark: sends every buffer holding an event older than `before`, waits until every
   * request sent so far has an answer, and returns the oldest event time the sink still holds (undefined: none).
   */
  async settle(before: number): Promise<number | undefined> {
    for (const b of this.buffers.values()) if ((oldestTime(b.events) ?? before) < before) this.writeAll(b);
    await this.unanswered.answered();
    return this.oldestUnanswered();
  }

  async flush(): Promise<void> {
    for (const b of this.buffers.values()) this.writeAll(b);
    await Promise.all(this.inflight);
  }

  /** Writes a buffer's every line, in as many objects as it takes. */
  private writeAll(b: { bucket: string; prefix: string; events: AccessLine[]; written: number }): void {
    const objects = groupAccessLogObjects(b.prefix, b.events, this.opts, b.written);
    for (const o of objects) this.put(b.bucket, o.key, o.body, o.events);
    b.written += objects.length;
    b.events = [];
  }

  /**
   * The PutObject of one object. What it keeps while it waits for its answer is the body, the lines per source and
   * the oldest line's time — not the lines' events: up to concurrency × 2 objects of maxLines lines each wait for
   * answers, and the lines (often strings built piece by piece) would otherwise stay in memory beside the body that
   * already holds them.
   */
  private put(bucket: string, key: string, body: string, events: readonly AccessLine[]): void {
    const lines = linesPerSource(events);
    const oldest = oldestTime(events);
    const { client, tally } = this.opts;
    const p = this.unanswered.track(oldest, () => this.limit(async () => {
      try {
        await withRetry(
          `PutObject s3://${bucket}/${key}`,
          () => {
            tally.call('PutObject');
            return client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }));
          },
          { ...this.opts.retry, onRetry: () => tally.retry('PutObject') },
        );
        for (const [source, n] of lines) tally.accepted(source, n);
        tally.s3Objects.push(`${bucket}/${key}`);
      } catch (err) {
        const unknown = (err as { cause?: { name?: string } }).cause?.name === 'NoSuchBucket';
        for (const [source, n] of lines) tally.rejected(source, unknown ? 'unknownDestination' : 'sendFailed', n, errorMessage(err).split('\n')[0]);
      }
    })).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }
}

/** Lines per source of one object. */
function linesPerSource(events: readonly AccessLine[]): Map<SourceName, number> {
  const out = new Map<SourceName, number>();
  for (const e of events) out.set(e.source, (out.get(e.source) ?? 0) + 1);
  return out;
}
