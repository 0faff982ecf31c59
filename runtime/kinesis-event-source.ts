import { DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';
import { createLogger } from '../core/index.ts';
import type { SqsBatchResponse } from '../core/index.ts';
import { CaughtUp } from './caught-up.ts';
import { sleep, type EventSource, type HandlerStats, type Invoke } from './event-source.ts';
import type { KinesisTrigger } from './handler-spec.ts';
import { kinesisEvent } from './kinesis-event.ts';

const log = createLogger('local-runtime');

/** Wait between GetRecords calls on a shard with nothing new (AWS allows 5 per second per shard). */
const EMPTY_POLL_MS = 200;

interface ShardReader {
  shardId: string;
  busy: boolean;
  caughtUp: CaughtUp;
  done: Promise<void>;
}

/**
 * What Lambda's Kinesis event source mapping does, run locally: per shard, one batch at a time and in order,
 * GetRecords → invoke with the records (data base64) → on success move past them; on failure retry the same
 * batch (until it succeeds, or MaximumRetryAttempts, or split in halves with BisectBatchOnFunctionError), or with
 * ReportBatchItemFailures resume from the first failed record. The checkpoint is the shard iterator, held in
 * memory for the runtime's life. Closed shards end their reader and the shard list is read again for their children.
 */
export async function startKinesisEventSource(o: {
  kinesis: KinesisClient;
  region: string;
  roleArn: string;
  trigger: KinesisTrigger;
  invoke: Invoke;
  stats: HandlerStats;
}): Promise<EventSource> {
  const { kinesis, trigger, stats } = o;
  const abort = new AbortController();
  const summary = await kinesis.send(new DescribeStreamSummaryCommand(trigger.streamArn ? { StreamARN: trigger.streamArn } : { StreamName: trigger.streamName }));
  const streamName = summary.StreamDescriptionSummary!.StreamName!;
  const streamArn = summary.StreamDescriptionSummary!.StreamARN!;
  const batchSize = Math.min(10_000, trigger.batchSize ?? 100);
  const readers = new Map<string, ShardReader>();
  const ended = new Set<string>();

  const iterator = async (shardId: string, after?: string): Promise<string> => {
    const position = trigger.startingPosition ?? 'LATEST';
    const res = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after }
          : position === 'AT_TIMESTAMP'
            ? { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(trigger.startingPositionTimestampMs ?? Date.now()) }
            : { ShardIteratorType: position }),
      }),
    );
    return res.ShardIterator!;
  };

  /** Invokes with `records` until they are done with; returns when they are (or given up on, or the source stops). */
  const deliver = async (shardId: string, records: _Record[]): Promise<void> => {
    let pending = records;
    let attempts = 0;
    while (pending.length && !abort.signal.aborted) {
      let failedFrom = 0;
      try {
        const res = await o.invoke(kinesisEvent(pending, { shardId, streamArn, region: o.region, roleArn: o.roleArn }), { records: pending.length });
        const failures = trigger.reportBatchItemFailures ? (res as SqsBatchResponse | null)?.batchItemFailures : undefined;
        if (!failures?.length) {
          stats.succeeded += pending.length;
          return;
        }
        // Lambda checkpoints before the lowest failed sequence number and retries from there; an identifier it
        // does not know fails the whole batch.
        const idx = failures.map((f) => pending.findIndex((r) => r.SequenceNumber === f.itemIdentifier));
        failedFrom = idx.some((i) => i < 0) ? 0 : Math.min(...idx);
      } catch {
        if (trigger.bisectOnError && pending.length > 1) {
          stats.failed += pending.length;
          const half = Math.ceil(pending.length / 2);
          await deliver(shardId, pending.slice(0, half));
          await deliver(shardId, pending.slice(half));
          return;
        }
      }
      stats.succeeded += failedFrom;
      pending = pending.slice(failedFrom);
      stats.failed += pending.length;
      attempts++;
      const max = trigger.maxRetryAttempts ?? -1;
      if (max >= 0 && attempts > max) {
        stats.dropped += pending.length;
        log.warn({ stream: streamName, shardId, records: pending.length, attempts }, 'Kinesis batch failed after MaximumRetryAttempts; skipping it');
        return;
      }
      await sleep(Math.min(2_000, 100 * 2 ** (attempts - 1)), abort.signal);
    }
  };

  const read = async (shardId: string, r: ShardReader, first?: string): Promise<void> => {
    let it: string | undefined = first;
    let checkpoint: string | undefined;
    while (!abort.signal.aborted) {
      const startedAt = Date.now();
      try {
        it ??= await iterator(shardId, checkpoint);
        const res = await kinesis.send(new GetRecordsCommand({ ShardIterator: it, Limit: batchSize }));
        const records = res.Records ?? [];
        if (records.length) {
          stats.received += records.length;
          r.busy = true;
          try {
            await deliver(shardId, records);
          } finally {
            r.busy = false;
          }
          if (abort.signal.aborted) return;
          checkpoint = records.at(-1)!.SequenceNumber;
        } else {
          r.caughtUp.empty(startedAt);
        }
        if (!res.NextShardIterator) {
          log.info({ stream: streamName, shardId }, 'shard closed; reading its children');
          ended.add(shardId);
          r.caughtUp.close();
          void discover();
          return;
        }
        it = res.NextShardIterator;
        if (!records.length) await sleep(EMPTY_POLL_MS, abort.signal);
      } catch (err) {
        if (abort.signal.aborted) return;
        // An expired iterator (five minutes on AWS) is made again from the checkpoint; other errors are retried.
        if ((err as Error).name !== 'ExpiredIteratorException') log.warn({ err, stream: streamName, shardId }, 'GetRecords failed; reading again');
        it = undefined;
        await sleep(500, abort.signal);
      }
    }
  };

  const discover = async (): Promise<void> => {
    // ListShards has no SDK paginator (its NextToken excludes StreamName), hence the loop.
    let token: string | undefined;
    do {
      const res = await kinesis.send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: streamName }));
      for (const s of res.Shards ?? []) {
        const id = s.ShardId!;
        if (readers.has(id)) continue;
        // A child is read once its parents are done, as Lambda keeps a key's records in order across a reshard.
        const parents = [s.ParentShardId, s.AdjacentParentShardId].filter((p): p is string => !!p && readers.has(p));
        if (parents.some((p) => !ended.has(p))) continue;
        const r: ShardReader = { shardId: id, busy: false, caughtUp: new CaughtUp(), done: Promise.resolve() };
        readers.set(id, r);
        // The first iterator is taken before the source counts as started: with LATEST, a record put right after
        // startRuntime returns must be read, as with an event source mapping that is Enabled.
        const first = await iterator(id).catch(() => undefined);
        r.done = read(id, r, first);
      }
      token = res.NextToken;
    } while (token);
  };
  await discover();

  return {
    describe: `stream ${streamName}`,
    async drained() {
      const rs = [...readers.values()];
      const empty = await Promise.all(rs.map((r) => r.caughtUp.next(2_000)));
      return empty.every(Boolean) && rs.every((r) => !r.busy);
    },
    async stop() {
      abort.abort();
      await Promise.allSettled([...readers.values()].map((r) => r.done));
      for (const r of readers.values()) r.caughtUp.close();
    },
  };
}
