import type { AwsClients } from '../../core/aws/index.ts';
import type { EstateIds, Topology } from '../../core/topology/index.ts';
import { startRuntime, type HandlerSpec, type HandlerStats, type LocalRuntime } from '../../runtime/index.ts';
import { balanceLedger, type PipelineLedger } from '../ledger/index.ts';
import { prepareSut, runLedgerHook, type LoadedSut, type SutSpec } from '../sut/index.ts';
import { createSinks, pumpEvents, type CreateSinksOptions } from './pump-events.ts';
import { routeToEntry } from './route-to-entry.ts';
import type { IngestLedger, WireEvent } from './types.ts';

export interface SutDeliveryOptions {
  clients: AwsClients;
  sut: LoadedSut;
  /** The run's topology (the scenario's estate under the SUT file's) and the bootstrapped estate. */
  topology: Topology;
  estate: EstateIds;
  /** Fire the SUT's schedules on wall time (`load`) rather than not at all (`ingest`). */
  wallClockSchedules?: boolean;
  /** On an emulator a failed SQS message comes back after this many seconds, not the queue's visibility timeout. */
  failedVisibilitySeconds?: number;
  sinks?: Omit<CreateSinksOptions, 'clients' | 'account'>;
  log?: (line: string) => void;
}

/** A SUT made ready to take deliveries: its resources (local mode), its handlers running, its entry points known. */
export interface SutDelivery extends AsyncDisposable {
  spec: SutSpec;
  account: string;
  /** Delivers the events to the SUT's entry points, then waits until its handlers are idle; the sinks' ledger. */
  deliver(events: Iterable<WireEvent> | AsyncIterable<WireEvent>): Promise<IngestLedger>;
  /** What the SUT took in (its ledger hook), balanced against what was delivered; undefined without a hook. */
  ledger(ingest: IngestLedger): Promise<PipelineLedger | undefined>;
  stats(): HandlerStats[];
  stop(): Promise<void>;
}

/** A handler as a delivery runs it: on an emulator, failed SQS messages return after a second (retry semantics unchanged). */
function forTarget(h: SutSpec['handlers'][number], failedVisibilitySeconds: number | undefined): HandlerSpec {
  if (h.trigger.type === 'sqs' && failedVisibilitySeconds !== undefined) return { ...h, trigger: { ...h.trigger, failedVisibilitySeconds } };
  return h;
}

/**
 * Delivery to any system under test outside a drill (`firedrill ingest --sut`, `load --sut`): the SUT file's
 * resources created and its setup hook run (local mode; a deployed SUT is only looked up), its handlers started in
 * the local runtime as Lambda would run them, and each batch of events sent to the entry points the file declares
 * (a source it names no entry for goes where the estate sends it).
 */
export async function openSutDelivery(opts: SutDeliveryOptions): Promise<SutDelivery> {
  const { clients, topology } = opts;
  // `${estate:declaration}`: the run's estate declaration as JSON beside the ids, as a drill hands it over.
  const estate = { ...opts.estate, declaration: JSON.stringify(topology.declaration ?? {}) };
  const prepared = await prepareSut({
    sut: opts.sut,
    clients,
    prefix: topology.prefix,
    estate,
    ...(topology.declaration ? { declaration: topology.declaration } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
  const spec = prepared.spec;
  const runtime: LocalRuntime = await startRuntime({ clients, account: prepared.account, handlers: spec.handlers.map((h) => forTarget(h, opts.failedVisibilitySeconds)), sut: spec.name });
  if (opts.wallClockSchedules) runtime.startWallClockSchedules();
  const route = routeToEntry(spec.entry);
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= runtime.stop());
  return {
    spec,
    account: prepared.account,
    async deliver(events) {
      const routed = (async function* () {
        for await (const e of events) yield route(e);
      })();
      const sinks = createSinks({ clients: { logs: clients.logs, firehose: clients.firehose, s3: clients.s3, kinesis: clients.kinesis }, account: prepared.account, ...opts.sinks });
      const ingest = await pumpEvents(routed, sinks);
      await runtime.idle();
      return ingest;
    },
    async ledger(ingest) {
      if (!spec.ledger) return undefined;
      const stored = await runLedgerHook(spec.name, spec.ledger, {
        endpoint: clients.target.endpoint,
        region: clients.target.region,
        account: prepared.account,
        prefix: topology.prefix,
        estate,
        ...(topology.declaration ? { declaration: topology.declaration } : {}),
        refs: prepared.refs,
        env: process.env,
        requests: Object.keys(ingest.requests),
      });
      return balanceLedger(ingest, stored);
    },
    stats: () => runtime.stats(),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
