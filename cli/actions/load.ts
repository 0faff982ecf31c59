import { join, resolve } from 'node:path';
import { ConfigError } from '../../core/index.ts';
import type { Topology } from '../../core/topology/index.ts';
import { createAwsClients } from '../../core/aws/index.ts';
import { requireYesForAws } from '../../harness/aws-account/index.ts';
import type { IncidentKind } from '../../core/index.ts';
import { incidentGenerators } from '../../generators/index.ts';
import { assertEndpointAnswers, detectCapabilities, localStackStrategies, startAndBootstrap, type LiveEstate } from '../../emulator/index.ts';
import { balanceLedger, formatLedger } from '../../harness/ledger/index.ts';
import { ESTATE_IDS_KEY, EstateIdsError, readEstateIds, readStoredCounts } from '../../pipeline/store/index.ts';
import { loadScenario, resolveScenarioArg, topologyOf } from '../../scenarios/index.ts';
import { incidentTemplates } from '../../harness/load/choose-incidents.ts';
import { formatTick } from '../../harness/load/format-tick.ts';
import { createLoadSender } from '../../harness/load/load-sender.ts';
import { parseLoadSettings, type RawLoadOptions } from '../../harness/load/load-settings.ts';
import { preflightTick } from '../../harness/load/preflight-tick.ts';
import { runLoad } from '../../harness/load/run-load.ts';
import { openSutDelivery, type SutDelivery } from '../../harness/deliver/index.ts';
import { loadSutFile, startWithBuiltin, sutFileOf } from '../../harness/sut/index.ts';
import { LiveHub, createRunMetrics, startLiveServer } from '../../harness/live/index.ts';
import { DEFAULT_METRICS_PORT } from '../commands/load.ts';
import { parseShard } from '../../harness/load/shard.ts';

const TARGETS = ['moto', 'localstack', 'aws'] as const;

export interface LoadCommandOptions extends RawLoadOptions {
  scenario: string;
  target: string;
  endpoint?: string;
  seed?: string;
  truth?: string;
  json?: boolean;
  /** Expose /metrics (and /events, one per tick) on this port while the load runs: true (9464) or a port. */
  serve?: boolean | string;
  serveHost?: string;
  /** With --target aws and no deployed estate: consent to create billable resources. */
  yes?: boolean;
  /** `i/n`: send only shard i of n of the traffic (default FIREDRILL_SHARD, as the scheduled Fargate task sets it). */
  shard?: string;
  /** The system under test: a SUT file, or `builtin`. Absent: the builtin pipeline's normalizer alone, as before. */
  sut?: string;
}

/**
 * On AWS, the estate infra/ deployed (its ids, which Terraform wrote to the state bucket), so nothing is created and
 * the caller needs no permission beyond the sinks'; without it, bootstrap creates what is missing — only with --yes.
 */
async function deployedEstate(topology: Topology, yes: boolean | undefined, endpoint: string | undefined): Promise<LiveEstate> {
  if (endpoint) await assertEndpointAnswers(endpoint);
  const clients = createAwsClients({ ...(endpoint ? { endpoint } : {}), region: topology.region });
  try {
    const ids = await readEstateIds(clients.s3, topology);
    say(`using the estate ids infra/ wrote (s3://${topology.pipeline.stateBucket}/${ESTATE_IDS_KEY}); nothing is created`);
    const stop = async () => clients.destroy();
    return { endpoint, emulator: undefined, clients, topology, ids, capabilities: await detectCapabilities(endpoint), stop, [Symbol.asyncDispose]: stop };
  } catch (err) {
    clients.destroy();
    if (!(err instanceof EstateIdsError)) throw err;
    requireYesForAws(topology, yes, 'load');
    return startWithBuiltin({ target: 'aws', topology, ...(endpoint ? { endpoint } : {}) });
  }
}

const defaultTruthFile = () => join(process.env.FIREDRILL_REPORT_DIR ?? 'reports', 'load-truth.jsonl');
const say = (line: string) => process.stderr.write(`firedrill load: ${line}\n`);

/**
 * Cron-scheduled load: each tick sends the slice of the scenario's traffic that just ended (stamped with wall-clock
 * time) through the real sinks into the target. Exit code 0 when every tick balanced (and, on an emulator, the
 * ledger read back from S3 at the end balances), 1 otherwise.
 */
export async function loadCommand(opts: LoadCommandOptions): Promise<number> {
  if (!(TARGETS as readonly string[]).includes(opts.target)) {
    throw new ConfigError(`unknown --target ${JSON.stringify(opts.target)}`, { expected: TARGETS.join(' | '), seen: opts.target, fix: '--target moto (default) loads the embedded emulator; --target aws the account of your AWS credentials' });
  }
  const metricsPort = opts.serve === undefined || opts.serve === false ? undefined : opts.serve === true ? DEFAULT_METRICS_PORT : Number(opts.serve);
  if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65_535)) {
    throw new ConfigError(`--serve ${JSON.stringify(opts.serve)} is not a port`, { expected: `a port 0–65535, or --serve alone for ${DEFAULT_METRICS_PORT}`, seen: String(opts.serve), fix: `--serve ${DEFAULT_METRICS_PORT}` });
  }
  const registered = Object.keys(incidentGenerators) as IncidentKind[];
  // Flags are checked before anything is started, so a typo costs no emulator start.
  const settings = parseLoadSettings(opts, registered);
  const shardText = opts.shard ?? (process.env.FIREDRILL_SHARD || undefined);
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  const file = resolveScenarioArg(opts.scenario);
  const scenario = await loadScenario(file);
  const candidates = incidentTemplates(scenario, settings, registered);
  const seed = String(opts.seed ?? scenario.seed);
  const truthFile = resolve(opts.truth ?? defaultTruthFile());
  const aws = opts.target === 'aws';
  // A SUT file is read before anything starts: a bad one fails in milliseconds, located.
  const sut = opts.sut ? await loadSutFile(sutFileOf(opts.sut === 'builtin' ? 'builtin' : resolve(opts.sut))) : undefined;
  const topology = topologyOf(scenario, sut?.data.estate);
  const endpoint = opts.endpoint ?? (aws ? undefined : process.env.FIREDRILL_ENDPOINT || process.env.AWS_ENDPOINT_URL || undefined);

  // The same way to a target as `run` and `ingest`. An emulator is wiped first: the ledger at the end reads
  // everything in the buckets back, so another run's leftovers would count. AWS is never wiped, nor is the target of a
  // deployed SUT (it lives there). With a SUT, only the estate is bootstrapped: the rest is the SUT file's.
  const start = {
    ...(endpoint ? { endpoint } : {}),
    target: aws ? ('aws' as const) : ('emulator' as const),
    reset: !aws && sut?.data.mode !== 'deployed',
    topology,
    ...(opts.target === 'localstack' ? { emulator: { strategies: localStackStrategies(), container: 'localstack' as const } } : {}),
  };
  // Without a SUT, the builtin pipeline's plumbing comes from its SUT file too (its normalizer is driven per tick).
  await using live = aws && !sut ? await deployedEstate(topology, opts.yes, endpoint) : sut ? await startAndBootstrap(start) : await startWithBuiltin(start);
  const preflight = preflightTick({ scenario, file, topology, estate: live.ids, sliceMs: settings.sliceMs, seed, templates: candidates, strict: settings.incidents.length > 0, now: Date.now() });
  for (const d of preflight.dropped) say(`left out ${d.kind}: ${d.reason} (a longer --slice would fit it)`);
  const templates = preflight.templates;
  const where = aws && !endpoint ? 'aws' : 'emulator';
  // With a SUT: its resources and setup, its handlers running for the whole load (schedules on wall time), each tick
  // delivered to its entry points and drained. Without: the builtin's normalizer per tick, as before.
  const delivery: SutDelivery | undefined = sut
    ? await openSutDelivery({ clients: live.clients, sut, topology, estate: live.ids, wallClockSchedules: true, ...(live.endpoint ? { failedVisibilitySeconds: 1 } : {}), log: say })
    : undefined;
  await using _stopDelivery = { [Symbol.asyncDispose]: async () => delivery?.stop() };
  const sender = delivery ? { send: (events: Parameters<SutDelivery['deliver']>[0]) => delivery.deliver(events) } : createLoadSender(live.clients, topology, live.ids, where);
  if (delivery) say(`delivering to ${delivery.spec.name}'s entry points; score its findings afterwards with firedrill score --truth <truth> --findings ${opts.sut}${live.endpoint && !opts.endpoint ? ' (keep the emulator: give --endpoint)' : ''}`);

  const stop = new AbortController();
  const onSignal = () => {
    say('stopping after the tick in progress');
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const anomalies = settings.anomalies === 'random' ? `random (p=${settings.probability}, from ${templates.map((t) => t.kind).join(', ') || 'nothing'})` : settings.anomalies === 'enforce' ? `enforce ${templates.map((t) => t.kind).join(', ')}` : 'none';
  say(`${scenario.id} (seed ${seed}) on ${live.endpoint ?? `AWS ${topology.region}`}; schedule "${settings.schedule}", slice ${settings.sliceMs / 1000}s, anomalies ${anomalies}`);
  if (shard) say(`shard ${shard.index}/${shard.count}: this process sends the streams that fall to it; the shards' truth files concatenated are the run's`);
  say(`truth → ${truthFile} (never sent)${settings.ticks ? `; ${settings.ticks} tick(s)` : '; Ctrl-C stops after the tick in progress'}`);

  const metrics = metricsPort === undefined ? undefined : createRunMetrics();
  const hub = new LiveHub();
  const server = metrics ? await startLiveServer({ port: metricsPort!, ...(opts.serveHost ? { host: opts.serveHost } : {}), hub, metrics: metrics.registry }) : undefined;
  if (server) say(`metrics: ${server.url}metrics (Prometheus), ticks as server-sent events at ${server.url}events`);
  let allBalanced = true;
  try {
    const result = await runLoad({
      scenario,
      file,
      topology,
      estate: live.ids,
      settings,
      seed,
      templates,
      sender,
      truthFile,
      ...(shard ? { shard } : {}),
      signal: stop.signal,
      onTick: (r) => {
        if (!r.balanced) allBalanced = false;
        metrics?.onTick(r);
        if (server) hub.publish({ ...r, type: 'tick' });
        process.stdout.write(`${opts.json ? JSON.stringify(r) : formatTick(r)}\n`);
      },
    });
    say(`${result.ticks} tick(s), stopped by ${result.stoppedBy === 'ticks' ? '--ticks' : 'signal'}`);
    if (delivery && result.ticks > 0) {
      // What the SUT says it took in (its ledger hook), against every accepted event of the run.
      const ledger = await delivery.ledger(result.ingest);
      if (ledger && !ledger.balanced) allBalanced = false;
      if (ledger && !opts.json) process.stdout.write(`${formatLedger(ledger)}\n`);
      else if (ledger) say(`ledger balanced: ${ledger.balanced ? 'yes' : 'NO'}`);
    } else if (where === 'emulator' && result.ticks > 0) {
      // The normalizer drained every tick; what it wrote must account for every accepted event of the run.
      const ledger = balanceLedger(result.ingest, await readStoredCounts(live.clients.s3, topology, { requests: Object.keys(result.ingest.requests) }));
      if (!ledger.balanced) allBalanced = false;
      if (opts.json) say(`ledger balanced: ${ledger.balanced ? 'yes' : 'NO'}`);
      else process.stdout.write(`${formatLedger(ledger)}\n`);
    }
  } finally {
    await server?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return allBalanced ? 0 : 1;
}
