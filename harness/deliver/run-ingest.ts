import type { EstateIds, Topology } from '../../core/topology/index.ts';
import type { AwsClients } from '../../core/aws/index.ts';
import { createNormalizerHandler } from '../../pipeline/handlers/index.ts';
import { createSinks, pumpEvents, type CreateSinksOptions } from './pump-events.ts';
import type { IngestLedger, WireEvent } from './types.ts';
import { balanceLedger, type PipelineLedger } from '../ledger/balance.ts';
import { readStoredCounts } from '../../pipeline/store/index.ts';
import type { FormatRegistry } from '../../pipeline/normalize/index.ts';
import { ensureAccessLogNotification } from '../../emulator/index.ts';
import { startLocalRuntime, type QueueStats } from '../../runtime/index.ts';
import { startWorkerHandler } from '../../runtime/index.ts';

export interface RunIngestOptions {
  /** Clients the sinks use (e.g. through a fault proxy). */
  clients: AwsClients;
  /** Clients the normalizer and its SQS poller use (default: `clients`). */
  runtimeClients?: AwsClients;
  topology: Topology;
  estate: EstateIds;
  formats: FormatRegistry;
  events: Iterable<WireEvent> | AsyncIterable<WireEvent>;
  sinks?: Omit<CreateSinksOptions, 'clients'>;
  /** See QueueBinding.failedVisibilitySeconds (default 1: retries come quickly on an emulator). */
  failedVisibilitySeconds?: number;
  idleTimeoutMs?: number;
  /** Read the outcome back from S3 and balance it (default true; the bench turns it off). */
  readBack?: boolean;
  /**
   * Where the normalizer runs: `worker` (default), its own thread as a Lambda runs in its own runtime, with clients
   * made from `runtimeClients.target`; `main`, this thread, with `runtimeClients` themselves (their call ledger
   * then records the normalizer's calls too).
   */
  handlerThread?: 'worker' | 'main';
}

export interface RunIngestResult {
  ingest: IngestLedger;
  ledger?: PipelineLedger;
  runtime: QueueStats[];
  /**
   * ms from the start: sinks done, pipeline drained (every notification handled, so curated is complete), local
   * runtime stopped (its last long polls run out). `drainedAt` is the drain's performance.now(), for a caller that
   * started its own clock earlier.
   */
  timings: { pumpMs: number; drainMs: number; stopMs: number; drainedAt: number };
}

/**
 * Ingest a run's events and drive the normalizer until the pipeline is drained: the sinks push into CloudWatch
 * Logs / Firehose / S3, the emulator delivers to raw S3 and SQS, the local runtime feeds the normalizer.
 */
export async function runIngest(opts: RunIngestOptions): Promise<RunIngestResult> {
  const rc = opts.runtimeClients ?? opts.clients;
  await ensureAccessLogNotification(rc.s3, opts.topology, opts.estate);
  const inWorker = opts.handlerThread !== 'main';
  const worker = inWorker ? startWorkerHandler({ handler: 'normalizer', target: rc.target.options, topology: opts.topology }) : undefined;
  // The thread exists from here on: closed on every way out, also when the runtime below fails to start.
  await using _closeWorker = { [Symbol.asyncDispose]: async () => worker?.close() };
  const handler = worker?.handler ?? createNormalizerHandler({ s3: rc.s3, topology: opts.topology, formats: opts.formats });
  const t0 = Date.now();
  await using runtime = await startLocalRuntime({
    sqs: rc.sqs,
    region: opts.estate.region,
    // Up to 100 notifications per invocation gathered for at most half a second (BatchSize and
    // MaximumBatchingWindowInSeconds): the normalizer writes one curated object per partition per invocation, so
    // bigger batches mean fewer, larger objects. Four invocations in flight (MaximumConcurrency) on one handler
    // instance, whose per-object locks and key claims keep concurrent batches from racing.
    bindings: [
      { queueUrl: opts.estate.queues.rawEvents, handler, batchSize: 100, batchWindowMs: 500, concurrency: 4, failedVisibilitySeconds: opts.failedVisibilitySeconds ?? 1 },
    ],
  });
  let ingest: IngestLedger, pumpMs: number, drainMs: number, drainedAt: number, stats: QueueStats[];
  try {
    const sinks = createSinks({ clients: { logs: opts.clients.logs, firehose: opts.clients.firehose, s3: opts.clients.s3 }, ...opts.sinks });
    ingest = await pumpEvents(opts.events, sinks);
    pumpMs = Date.now() - t0;
    await runtime.idle(opts.idleTimeoutMs ? { timeoutMs: opts.idleTimeoutMs } : {});
    drainedAt = performance.now();
    drainMs = Date.now() - t0;
    stats = runtime.stats();
  } finally {
    await runtime.stop();
    await worker?.close();
  }
  const result: RunIngestResult = { ingest, runtime: stats, timings: { pumpMs, drainMs, stopMs: Date.now() - t0, drainedAt } };
  if (opts.readBack !== false) result.ledger = balanceLedger(ingest, await readStoredCounts(rc.s3, opts.topology));
  return result;
}
