import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '../../core/index.ts';
import type { AccessLogObjectOptions } from './access-log-objects.ts';
import { CloudWatchLogsSink } from './cloudwatch-logs-sink.ts';
import { CWL_LIMITS, type CwlLimits } from './log-batches.ts';
import { FIREHOSE_LIMITS, type FirehoseLimits } from './record-batches.ts';
import { FirehoseSink } from './firehose-sink.ts';
import { KinesisSink, type KinesisLimits } from './kinesis-sink.ts';
import type { RetryOptions } from './retry.ts';
import { S3AccessLogSink } from './s3-access-log-sink.ts';
import { IngestTally, type IngestLedger, type WireEvent } from './types.ts';
import { minOf } from './unanswered-times.ts';

export interface Sinks {
  cwl: CloudWatchLogsSink;
  firehose: FirehoseSink;
  s3: S3AccessLogSink;
  kinesis: KinesisSink | undefined;
  tally: IngestTally;
}

export interface CreateSinksOptions {
  /** kinesis: only for Kinesis entry points (an event for one without it is refused as an unknown destination). */
  clients: { logs: CloudWatchLogsClient; firehose: FirehoseClient; s3: S3Client; kinesis?: KinesisClient };
  /** The account Kinesis records name as the subscription's owner. */
  account?: string;
  clock?: Clock;
  /** Log streams written in parallel (default 8). */
  concurrency?: number;
  retry?: RetryOptions;
  retentionDays?: (logGroup: string) => number | undefined;
  /** See CloudWatchLogsSinkOptions.rotateStreamAfterEvents (throwaway emulators only). */
  rotateStreamAfterEvents?: number;
  /** Tighter request limits than AWS's (tests: many small requests); each sink keeps AWS's own by default. */
  limits?: { cwl?: Partial<CwlLimits>; firehose?: Partial<FirehoseLimits>; kinesis?: Partial<KinesisLimits>; accessLogs?: AccessLogObjectOptions };
}

export function createSinks(opts: CreateSinksOptions): Sinks {
  const tally = new IngestTally();
  const common = { tally, ...(opts.retry ? { retry: opts.retry } : {}) };
  return {
    tally,
    cwl: new CloudWatchLogsSink({
      client: opts.clients.logs,
      ...common,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.retentionDays ? { retentionDays: opts.retentionDays } : {}),
      ...(opts.limits?.cwl ? { limits: { ...CWL_LIMITS, ...opts.limits.cwl } } : {}),
      ...(opts.rotateStreamAfterEvents !== undefined ? { rotateStreamAfterEvents: opts.rotateStreamAfterEvents } : {}),
    }),
    firehose: new FirehoseSink({ client: opts.clients.firehose, ...common, ...(opts.limits?.firehose ? { limits: { ...FIREHOSE_LIMITS, ...opts.limits.firehose } } : {}) }),
    s3: new S3AccessLogSink({ client: opts.clients.s3, ...common, ...opts.limits?.accessLogs }),
    kinesis: opts.clients.kinesis
      ? new KinesisSink({ client: opts.clients.kinesis, ...common, ...(opts.account ? { account: opts.account } : {}), ...(opts.limits?.kinesis ? { limits: opts.limits.kinesis } : {}) })
      : undefined,
  };
}

/**
 * For a drill's delivery watermark, while nothing new is handed to the sinks: sends every buffer holding an event
 * older than `before`, waits until every request has an answer, and returns the oldest event time the sinks still
 * hold (undefined: none). Every event older than it, of those handed to the sinks, then has an outcome: accepted by
 * the target or refused.
 */
export async function settleSinks(sinks: Sinks, before: number): Promise<number | undefined> {
  return minOf(await Promise.all([sinks.cwl.settle(before), sinks.firehose.settle(before), sinks.s3.settle(before), sinks.kinesis?.settle(before)]));
}

/**
 * Routes each event to the sink its destination names, waits for every request to have an outcome and
 * returns the ledger: per source, generated = accepted + rejected (by reason).
 */
export async function pumpEvents(events: Iterable<WireEvent> | AsyncIterable<WireEvent>, sinks: Sinks): Promise<IngestLedger> {
  for await (const e of events) {
    let wait: Promise<void> | undefined;
    switch (e.dest.kind) {
      case 'cwl':
        wait = sinks.cwl.add(e);
        break;
      case 'firehose':
        wait = sinks.firehose.add(e);
        break;
      case 's3':
        wait = sinks.s3.add(e);
        break;
      case 'kinesis':
        if (sinks.kinesis) {
          wait = sinks.kinesis.add(e);
          break;
        }
        sinks.tally.generated(e.source);
        sinks.tally.rejected(e.source, 'unknownDestination', 1, `no Kinesis client for stream ${e.dest.stream}`);
        break;
      default:
        sinks.tally.generated(e.source);
        sinks.tally.rejected(e.source, 'unknownDestination', 1, JSON.stringify(e.dest));
    }
    if (wait) await wait;
  }
  await Promise.all([sinks.cwl.flush(), sinks.firehose.flush(), sinks.s3.flush(), sinks.kinesis?.flush()]);
  return sinks.tally.snapshot();
}
