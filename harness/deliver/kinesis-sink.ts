import { gzipSync } from 'node:zlib';
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import pLimit, { type LimitFunction } from 'p-limit';
import { type SourceName } from '../../core/index.ts';
import { putWithResend } from './put-with-resend.ts';
import { splitRecordBatches } from './record-batches.ts';
import type { RetryOptions } from './retry.ts';
import type { IngestTally, WireEvent } from './types.ts';
import { UnansweredTimes, minOf, oldestTime } from './unanswered-times.ts';

/** PutRecords limits (Amazon Kinesis Data Streams API reference): per call and per record (data + partition key). */
export const KINESIS_LIMITS = {
  maxRecords: 500,
  maxBatchBytes: 5 * 1024 * 1024,
  maxRecordBytes: 1024 * 1024,
  /**
   * Log events gathered into one subscription envelope before it becomes a record, and the envelope's JSON size
   * before gzip: CloudWatch Logs batches a subscription's events likewise, and an envelope this size always gzips
   * well under the record limit.
   */
  maxEventsPerRecord: 500,
  maxEnvelopeBytes: 256 * 1024,
} as const;
export type KinesisLimits = { -readonly [K in keyof typeof KINESIS_LIMITS]: number };

export interface KinesisSinkOptions {
  client: KinesisClient;
  tally: IngestTally;
  /** The account the envelopes name as `owner` (a subscription's account). */
  account?: string;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  retry?: RetryOptions;
  /** Resend rounds for records a response reports failed (default 8). */
  resendRounds?: number;
  limits?: Partial<KinesisLimits>;
}

interface Envelope {
  stream: string;
  logGroup: string;
  logStream: string;
  source: SourceName;
  events: WireEvent[];
  bytes: number;
}

/** A record ready to put: the gzip envelope, its partition key, and the events it carries (for the ledger). */
export interface KinesisRecord {
  data: Uint8Array;
  partitionKey: string;
  source: SourceName;
  events: number;
  /** The oldest event time it carries (for the delivery watermark). */
  time: number;
}

const FILTER_NAME = 'firedrill-delivery';

/** What a record weighs against Kinesis's limits: its data and its partition key. */
const recordSize = (r: { data: Uint8Array; partitionKey: string }) => r.data.byteLength + Buffer.byteLength(r.partitionKey);
let eventSeq = 0;

/** A log event id as CloudWatch Logs gives one: digits, unique within the run. */
function eventId(time: number): string {
  eventSeq = (eventSeq + 1) % 1e12;
  return `${String(time).padStart(16, '0')}${String(eventSeq).padStart(12, '0')}`;
}

/**
 * The record a CloudWatch Logs subscription puts on a Kinesis stream: the DATA_MESSAGE envelope (owner, group,
 * stream, filter names, events with id, timestamp and message) as JSON, gzip-compressed. Partitioned by the log
 * stream, so one stream's events keep their order on one shard.
 */
export function subscriptionRecord(owner: string, logGroup: string, logStream: string, events: readonly WireEvent[]): Uint8Array {
  const envelope = {
    messageType: 'DATA_MESSAGE',
    owner,
    logGroup,
    logStream,
    subscriptionFilters: [FILTER_NAME],
    logEvents: events.map((e) => ({ id: eventId(e.time), timestamp: e.time, message: e.message })),
  };
  return gzipSync(JSON.stringify(envelope));
}

/**
 * The Kinesis writer: events gathered per log group and stream into subscription envelopes (up to 500 events or
 * 256 KiB of JSON each), one gzip record per envelope, PutRecords within 500 records / 5 MiB a call and 1 MiB a
 * record, and only the records a response reports failed are resent. Every event is counted once in the ledger:
 * accepted with its record, or refused (too large, no such stream, still failing after the resend rounds).
 */
export class KinesisSink {
  private readonly envelopes = new Map<string, Envelope>();
  private readonly pending = new Map<string, KinesisRecord[]>();
  private readonly pendingBytes = new Map<string, number>();
  private readonly limit: LimitFunction;
  private readonly inflight = new Set<Promise<void>>();
  private readonly limits: KinesisLimits;
  private readonly unanswered = new UnansweredTimes();

  constructor(private readonly opts: KinesisSinkOptions) {
    this.limit = pLimit(opts.concurrency ?? 4);
    this.limits = { ...KINESIS_LIMITS, ...opts.limits };
  }

  add(e: WireEvent): Promise<void> | undefined {
    if (e.dest.kind !== 'kinesis') throw new TypeError(`KinesisSink.add: event for ${e.dest.kind}`);
    const { tally } = this.opts;
    tally.generated(e.source);
    if (e.message.length === 0) {
      tally.rejected(e.source, 'emptyMessage', 1, e.dest.stream);
      return undefined;
    }
    const { stream, logGroup, logStream } = e.dest;
    const key = `${stream}\u0000${logGroup}\u0000${logStream}\u0000${e.source}`;
    // An event's share of the envelope: its message JSON-escaped plus the id and timestamp fields.
    const bytes = Buffer.byteLength(JSON.stringify(e.message)) + 64;
    let env = this.envelopes.get(key);
    if (env && (env.events.length >= this.limits.maxEventsPerRecord || env.bytes + bytes > this.limits.maxEnvelopeBytes)) {
      this.seal(key, env);
      env = undefined;
    }
    // An event over the envelope size travels alone: if even gzip cannot fit it in a record, only it is refused.
    const alone = bytes > this.limits.maxEnvelopeBytes;
    if (!env) {
      env = { stream, logGroup, logStream, source: e.source, events: [], bytes: 256 + logGroup.length + logStream.length };
      this.envelopes.set(key, env);
    }
    env.events.push(e);
    env.bytes += bytes;
    if (alone) this.seal(key, env);
    if (this.inflight.size >= (this.opts.concurrency ?? 4) * 2) return Promise.race(this.inflight).then(() => undefined);
    return undefined;
  }

  /** The event time of the oldest event in an open envelope, a record not yet sent or a request without an answer. */
  oldestUnanswered(): number | undefined {
    return minOf([this.unanswered.oldest(), ...[...this.envelopes.values()].map((e) => oldestTime(e.events)), ...[...this.pending.values()].map(oldestTime)]);
  }

  /**
   * For a drill's delivery watermark: sends every buffer holding an event older than `before`, waits until every
   * request sent so far has an answer, and returns the oldest event time the sink still holds (undefined: none).
   */
  async settle(before: number): Promise<number | undefined> {
    for (const [key, env] of [...this.envelopes]) if ((oldestTime(env.events) ?? before) < before) this.seal(key, env);
    for (const [stream, list] of [...this.pending]) if ((oldestTime(list) ?? before) < before) this.drain(stream, true);
    await this.unanswered.answered();
    return this.oldestUnanswered();
  }

  async flush(): Promise<void> {
    for (const [key, env] of [...this.envelopes]) this.seal(key, env);
    for (const stream of [...this.pending.keys()]) this.drain(stream, true);
    await Promise.all(this.inflight);
  }

  /** Closes an envelope into a record (refused whole when even gzip leaves it over the record limit). */
  private seal(key: string, env: Envelope): void {
    this.envelopes.delete(key);
    if (env.events.length === 0) return;
    const data = subscriptionRecord(this.opts.account ?? '000000000000', env.logGroup, env.logStream, env.events);
    const partitionKey = env.logStream.slice(0, 256) || env.logGroup.slice(0, 256);
    if (recordSize({ data, partitionKey }) > this.limits.maxRecordBytes) {
      this.opts.tally.rejected(env.source, 'recordTooLarge', env.events.length, `${data.byteLength} bytes > ${this.limits.maxRecordBytes} (Kinesis record)`);
      return;
    }
    const list = this.pending.get(env.stream) ?? [];
    list.push({ data, partitionKey, source: env.source, events: env.events.length, time: oldestTime(env.events)! });
    this.pending.set(env.stream, list);
    const total = (this.pendingBytes.get(env.stream) ?? 0) + recordSize({ data, partitionKey });
    this.pendingBytes.set(env.stream, total);
    if (list.length >= this.limits.maxRecords || total >= this.limits.maxBatchBytes) this.drain(env.stream, false);
  }

  private drain(stream: string, all: boolean): void {
    const list = this.pending.get(stream) ?? [];
    // The partition key counts toward the request's size as the data does.
    const batches = splitRecordBatches(list, this.limits, recordSize);
    const keep = all ? [] : (batches.pop() ?? []);
    this.pending.set(stream, keep);
    this.pendingBytes.set(stream, keep.reduce((n, r) => n + recordSize(r), 0));
    for (const b of batches) {
      const p = this.unanswered.track(oldestTime(b), () => this.limit(() => this.send(stream, b))).finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }
  }

  private send(stream: string, batch: KinesisRecord[]): Promise<void> {
    const { client } = this.opts;
    return putWithResend(batch, {
      operation: 'PutRecords',
      destination: `Kinesis stream ${stream}`,
      tally: this.opts.tally,
      retry: this.opts.retry,
      resendRounds: this.opts.resendRounds,
      put: async (todo) => {
        const res = await client.send(new PutRecordsCommand({ StreamName: stream, Records: todo.map((r) => ({ Data: r.data, PartitionKey: r.partitionKey })) }));
        return { failedCount: res.FailedRecordCount ?? 0, results: res.Records };
      },
    });
  }
}
