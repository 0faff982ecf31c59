import { fileURLToPath } from 'node:url';
import type { EstateIds, Topology } from '../../core/topology/index.ts';
import { topologyEnv } from '../../core/topology/index.ts';
import type { AwsClients } from '../../core/aws/index.ts';
import { createSinks, pumpEvents, type CreateSinksOptions } from './pump-events.ts';
import type { IngestLedger, WireEvent } from './types.ts';
import { balanceLedger, type PipelineLedger } from '../ledger/balance.ts';
import { ensureAccessLogNotification } from '../../emulator/index.ts';
import { startRuntime, type HandlerSpec, type HandlerStats } from '../../runtime/index.ts';
import { runLedgerHook } from '../sut/index.ts';

/**
 * The normalizer's Lambda entry point, bound by path as the runtime binds any SUT's handler (no import: the
 * harness does not reach into the pipeline's code). It reads its configuration from the environment, as on AWS.
 */
// From the build, the compiled modules: tsc rewrites the extensions of imports, not of paths in URLs.
const EXT = import.meta.url.endsWith('.js') ? 'js' : 'ts';
const NORMALIZER_ENTRY = fileURLToPath(new URL(`../../pipeline/handlers/normalizer-handler.${EXT}`, import.meta.url));
/** The builtin's ledger hook (what it took in, read back from its curated layout), bound by path likewise. */
const BUILTIN_LEDGER_HOOK = { file: fileURLToPath(new URL(`../../pipeline/sut-hooks.${EXT}`, import.meta.url)), export: 'storedCounts' };

export interface RunIngestOptions {
  /** Clients the sinks use (e.g. through a fault proxy). */
  clients: AwsClients;
  /** Clients the normalizer and its SQS poller use (default: `clients`). */
  runtimeClients?: AwsClients;
  topology: Topology;
  estate: EstateIds;
  /** Not used: the normalizer, in a thread of its own as a Lambda, reads every registered format itself. */
  formats?: unknown;
  events: Iterable<WireEvent> | AsyncIterable<WireEvent>;
  sinks?: Omit<CreateSinksOptions, 'clients'>;
  /** See SqsTrigger.failedVisibilitySeconds (default 1: retries come quickly on an emulator). */
  failedVisibilitySeconds?: number;
  idleTimeoutMs?: number;
  /** Read the outcome back from S3 and balance it (default true; the bench turns it off). */
  readBack?: boolean;
}

export interface RunIngestResult {
  ingest: IngestLedger;
  ledger?: PipelineLedger;
  runtime: HandlerStats[];
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
  // Up to 100 notifications per invocation gathered for at most half a second (BatchSize and
  // MaximumBatchingWindowInSeconds): the normalizer writes one curated object per partition per invocation, so
  // bigger batches mean fewer, larger objects. Four invocations in flight (MaximumConcurrency) on one handler
  // instance, whose per-object locks and key claims keep concurrent batches from racing.
  const trigger = {
    type: 'sqs',
    queueUrl: opts.estate.queues.rawEvents,
    batchSize: 100,
    batchWindowMs: 500,
    concurrency: 4,
    failedVisibilitySeconds: opts.failedVisibilitySeconds ?? 1,
    reportBatchItemFailures: true,
  } as const;
  // Lambda's maximum: a batch of 100 raw objects takes seconds, more on a loaded machine; a stuck one still ends.
  const timeoutMs = 900_000;
  // Its own thread, as a Lambda runs in its own runtime, bound by `file#export` with its clients made from the
  // environment the runtime gives it (runtimeClients' endpoint and region).
  const normalizer: HandlerSpec = { name: 'normalizer', runtime: 'node', entry: { file: NORMALIZER_ENTRY, export: 'handler' }, environment: topologyEnv(opts.topology), timeoutMs, memoryMb: 1024, provisionedConcurrency: 1, trigger };
  const t0 = Date.now();
  // waitReady false: the worker loads the normalizer while the sinks start, as a provisioned Lambda (as the builtin
  // SUT file declares it) is ready before its first event.
  await using runtime = await startRuntime({ clients: rc, account: opts.estate.accountId, handlers: [normalizer], sut: 'builtin', waitReady: false });
  let ingest: IngestLedger, pumpMs: number, drainMs: number, drainedAt: number, stats: HandlerStats[];
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
  }
  const result: RunIngestResult = { ingest, runtime: stats, timings: { pumpMs, drainMs, stopMs: Date.now() - t0, drainedAt } };
  if (opts.readBack !== false) {
    const stored = await runLedgerHook('firedrill-builtin', BUILTIN_LEDGER_HOOK, { endpoint: rc.target.endpoint, region: rc.target.region, account: opts.estate.accountId, prefix: opts.topology.prefix, estate: { ...opts.estate, declaration: JSON.stringify(opts.topology.declaration ?? {}) }, refs: {}, env: process.env, requests: Object.keys(ingest.requests) });
    result.ledger = balanceLedger(ingest, stored);
  }
  return result;
}
