import { CreateLogStreamCommand, DeleteLogStreamCommand, PutLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import pLimit, { type LimitFunction } from 'p-limit';
import { systemClock, type Clock } from '../../core/index.ts';
import { errorMessage, logEventsFingerprint } from '../../core/index.ts';
import { CWL_LIMITS, checkLogEvent, cwlEventBytes, rejectedIndices, sortChronologically, splitLogBatches, type CwlLimits } from './log-batches.ts';
import { SendFailedError, withRetry, type RetryOptions } from './retry.ts';
import type { IngestTally, WireEvent } from './types.ts';
import { UnansweredTimes, minOf, oldestTime } from './unanswered-times.ts';
import type { SourceName } from '../../core/index.ts';

export interface CloudWatchLogsSinkOptions {
  client: CloudWatchLogsClient;
  tally: IngestTally;
  /** Streams written at once (default 8); each stream's requests stay sequential. */
  concurrency?: number;
  clock?: Clock;
  /** Retention of a log group in days, for the `expired` check (undefined: never expires). */
  retentionDays?: (logGroup: string) => number | undefined;
  retry?: RetryOptions;
  /** See EventCheckContext.marginMs (default 60 s). */
  boundMarginMs?: number;
  limits?: CwlLimits;
  /**
   * A stream's buffer is sent once it spans this much event time (default 5 minutes), as a CloudWatch agent flushes
   * every few seconds of its wall time: a quiet stream's events reach the pipeline close to their time, instead of
   * waiting for 10,000 of them — which made raw objects that spanned a whole drill.
   */
  bufferSpanMs?: number;
  /** Bytes buffered across all streams at most (default 8 MiB): past it the largest buffer is sent. */
  maxBufferedBytes?: number;
  /**
   * Throwaway emulators only: once a stream holds this many events, delete it (the next request makes it again).
   * moto keeps every event of a stream in memory and delivers each PutLogEvents to the subscription before it
   * answers, so what is deleted has reached the pipeline already. Never on AWS: the log data is the account's.
   */
  rotateStreamAfterEvents?: number;
}

/**
 * What a stream's buffer keeps of an event: its time, line and source. Not the WireEvent itself — its destination
 * (an object and a stream name per event) is the stream's, kept once in StreamState, and buffers hold up to
 * maxBufferedBytes of lines across streams while requests are answered: held per event, it cost as much as the lines.
 */
interface LogEntry {
  time: number;
  message: string;
  source: SourceName;
}

interface StreamState {
  logGroup: string;
  logStream: string;
  buffer: LogEntry[];
  bufferBytes: number;
  /** Requests of one stream go one after the other, as PutLogEvents ordering expects. */
  chain: Promise<void>;
  created: boolean;
  groupMissing: boolean;
  /** Events stored in the stream since it was (re)created. */
  stored: number;
}

/**
 * The CloudWatch Logs writer: buffers events per (group, stream), cuts PutLogEvents requests that respect every
 * limit, creates each stream on first use and counts every event as accepted or rejected with a reason.
 */
export class CloudWatchLogsSink {
  private readonly streams = new Map<string, StreamState>();
  private readonly limit: LimitFunction;
  private readonly clock: Clock;
  private readonly limits: CwlLimits;
  private pending = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly maxPending: number;
  private readonly bufferSpanMs: number;
  private readonly maxBufferedBytes: number;
  private buffered = 0;
  private readonly unanswered = new UnansweredTimes();

  constructor(private readonly opts: CloudWatchLogsSinkOptions) {
    const concurrency = opts.concurrency ?? 8;
    this.limit = pLimit(concurrency);
    this.clock = opts.clock ?? systemClock;
    this.limits = opts.limits ?? { ...CWL_LIMITS };
    // Requests cut but not yet answered, each up to 1 MiB of messages: what the sink holds besides its buffers.
    this.maxPending = concurrency;
    this.bufferSpanMs = opts.bufferSpanMs ?? 5 * 60_000;
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
  }

  /** Takes one event; returns a promise only when the caller should wait (too many requests queued). */
  add(e: WireEvent): Promise<void> | undefined {
    if (e.dest.kind !== 'cwl') throw new TypeError(`CloudWatchLogsSink.add: event for ${e.dest.kind}`);
    const { tally } = this.opts;
    tally.generated(e.source);
    const reason = checkLogEvent(e, { now: this.clock.now(), retentionDays: this.opts.retentionDays?.(e.dest.logGroup), marginMs: this.opts.boundMarginMs ?? 60_000 }, this.limits);
    if (reason) {
      tally.rejected(e.source, reason, 1, `${e.dest.logGroup} ${new Date(e.time).toISOString()} ${e.message.length} chars`);
      return undefined;
    }
    const key = `${e.dest.logGroup}\0${e.dest.logStream}`;
    let s = this.streams.get(key);
    if (!s) {
      s = { logGroup: e.dest.logGroup, logStream: e.dest.logStream, buffer: [], bufferBytes: 0, chain: Promise.resolve(), created: false, groupMissing: false, stored: 0 };
      this.streams.set(key, s);
    }
    s.buffer.push({ time: e.time, message: e.message, source: e.source });
    const bytes = cwlEventBytes(e.message, this.limits);
    s.bufferBytes += bytes;
    this.buffered += bytes;
    const first = s.buffer[0]!;
    if (Math.abs(e.time - first.time) >= this.bufferSpanMs) {
      this.sendBuffer(s);
    } else if (s.buffer.length >= this.limits.maxEvents || s.bufferBytes >= this.limits.maxBatchBytes || e.time - first.time > this.limits.maxSpanMs) {
      // Keep the last (partial) request buffered: more events of this stream may still fill it.
      const batches = splitLogBatches(sortChronologically(s.buffer), this.limits);
      const rest = batches.pop() ?? [];
      this.buffered -= s.bufferBytes;
      s.buffer = rest;
      s.bufferBytes = rest.reduce((n, x) => n + cwlEventBytes(x.message, this.limits), 0);
      this.buffered += s.bufferBytes;
      for (const b of batches) this.enqueue(s, b);
    }
    while (this.buffered > this.maxBufferedBytes) {
      let largest = s;
      for (const x of this.streams.values()) if (x.bufferBytes > largest.bufferBytes) largest = x;
      this.sendBuffer(largest);
    }
    if (this.pending >= this.maxPending) return new Promise((r) => this.waiters.push(r));
    return undefined;
  }

  /** The event time of the oldest event buffered or in a request without an answer (undefined: none). */
  oldestUnanswered(): number | undefined {
    return minOf([this.unanswered.oldest(), ...[...this.streams.values()].map((s) => oldestTime(s.buffer))]);
  }

  /**
   * For a drill's delivery watermark: sends every buffer holding an event older than `before`, waits until every
   * request sent so far has an answer, and returns the oldest event time the sink still holds (undefined: none).
   */
  async settle(before: number): Promise<number | undefined> {
    for (const s of this.streams.values()) if ((oldestTime(s.buffer) ?? before) < before) this.sendBuffer(s);
    await this.unanswered.answered();
    return this.oldestUnanswered();
  }

  /** Sends everything buffered and waits until every request has an outcome. */
  async flush(): Promise<void> {
    for (const s of this.streams.values()) this.sendBuffer(s);
    await Promise.all([...this.streams.values()].map((s) => s.chain));
  }

  /** Sends a stream's whole buffer, in as many requests as the limits need. */
  private sendBuffer(s: StreamState): void {
    if (s.buffer.length === 0) return;
    const batches = splitLogBatches(sortChronologically(s.buffer), this.limits);
    this.buffered -= s.bufferBytes;
    s.buffer = [];
    s.bufferBytes = 0;
    for (const b of batches) this.enqueue(s, b);
  }

  private enqueue(s: StreamState, batch: LogEntry[]): void {
    this.pending++;
    const previous = s.chain;
    s.chain = this.unanswered
      .track(oldestTime(batch), () => previous.then(() => this.limit(() => this.send(s, batch))))
      .finally(() => {
        this.pending--;
        while (this.pending < this.maxPending && this.waiters.length > 0) this.waiters.shift()!();
      });
  }

  private async ensureStream(s: StreamState): Promise<void> {
    if (s.created) return;
    const { client, tally } = this.opts;
    try {
      await withRetry(
        `CreateLogStream ${s.logGroup} ${s.logStream}`,
        async () => {
          tally.call('CreateLogStream');
          try {
            await client.send(new CreateLogStreamCommand({ logGroupName: s.logGroup, logStreamName: s.logStream }));
          } catch (err) {
            // A retry after a lost response finds the stream it created: that is success.
            if ((err as Error).name !== 'ResourceAlreadyExistsException') throw err;
          }
        },
        { ...this.opts.retry, onRetry: () => tally.retry('CreateLogStream') },
      );
      s.created = true;
    } catch (err) {
      if (err instanceof SendFailedError && (err.cause as Error | undefined)?.name === 'ResourceNotFoundException') s.groupMissing = true;
      else throw err;
    }
  }

  /** Deletes the stream's stored events (see rotateStreamAfterEvents); a failure only costs the emulator memory. */
  private async rotate(s: StreamState): Promise<void> {
    const { client, tally } = this.opts;
    try {
      tally.call('DeleteLogStream');
      await client.send(new DeleteLogStreamCommand({ logGroupName: s.logGroup, logStreamName: s.logStream }));
      s.created = false;
      s.stored = 0;
    } catch {
      // Kept: the stream goes on as it is, and the next request tries again.
    }
  }

  private async send(s: StreamState, batch: LogEntry[]): Promise<void> {
    const { client, tally } = this.opts;
    const reject = (reason: 'unknownDestination' | 'sendFailed', detail: string) => {
      for (const e of batch) tally.rejected(e.source, reason, 1, detail);
    };
    try {
      await this.ensureStream(s);
      if (s.groupMissing) return reject('unknownDestination', `log group ${s.logGroup} does not exist`);
      const res = await withRetry(
        `PutLogEvents ${s.logGroup} ${s.logStream}`,
        async () => {
          tally.call('PutLogEvents');
          try {
            return await client.send(
              new PutLogEventsCommand({ logGroupName: s.logGroup, logStreamName: s.logStream, logEvents: batch.map((e) => ({ timestamp: e.time, message: e.message })) }),
            );
          } catch (err) {
            // The stream vanished (deleted behind our back): make it again, then let withRetry resend.
            if ((err as Error).name === 'ResourceNotFoundException') {
              s.created = false;
              await this.ensureStream(s);
              throw Object.assign(new Error('log stream recreated'), { name: 'ServiceUnavailableException', cause: err });
            }
            throw err;
          }
        },
        { ...this.opts.retry, onRetry: () => tally.retry('PutLogEvents') },
      );
      const reasons = rejectedIndices(batch.length, res.rejectedLogEventsInfo);
      const stored: LogEntry[] = [];
      batch.forEach((e, i) => {
        const r = reasons[i];
        if (r) tally.rejected(e.source, r, 1, `AWS rejectedLogEventsInfo for ${s.logGroup}`);
        else {
          tally.accepted(e.source);
          stored.push(e);
        }
      });
      if (stored.length > 0) tally.request(logEventsFingerprint(s.logGroup, s.logStream, stored.map((e) => ({ timestamp: e.time, message: e.message }))), stored[0]!.source, stored.length);
      s.stored += stored.length;
      if (this.opts.rotateStreamAfterEvents !== undefined && s.stored >= this.opts.rotateStreamAfterEvents) await this.rotate(s);
    } catch (err) {
      reject('sendFailed', errorMessage(err).split('\n')[0] ?? 'send failed');
    }
  }
}
