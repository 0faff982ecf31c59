import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import cron from 'node-cron';
import { createLogger } from '../../core/index.ts';
import { createRng } from '../../core/index.ts';
import type { EstateIds, Topology } from '../../core/topology/index.ts';
import type { Entities, IncidentKind, SourceName, WireEvent } from '../../core/index.ts';
import type { IngestLedger } from '../deliver/types.ts';
import { compile, splitTruth, type Scenario } from '../../scenarios/index.ts';
import { chooseIncidents, type IncidentTemplate } from './choose-incidents.ts';
import type { LoadSender } from './load-sender.ts';
import type { LoadSettings } from './load-settings.ts';
import { mergeIngestLedgers } from './merge-ingest-ledgers.ts';
import { planTick, type TickPlan } from './plan-tick.ts';
import { shardOf, type Shard } from './shard.ts';
import { tickScenario } from './tick-scenario.ts';

const log = createLogger('firedrill:load');

export interface SourceTickCounts {
  generated: number;
  accepted: number;
  rejected: number;
}

/** What one tick did: printed as a line, or as one JSON object with `--json`. Carries no truth beyond kinds and ids. */
export interface TickReport {
  tick: number;
  seed: string;
  slice: { start: string; end: string };
  incidents: { id: string; kind: IncidentKind }[];
  sources: Partial<Record<SourceName, SourceTickCounts>>;
  totals: SourceTickCounts;
  /** generated = accepted + rejected for every source. */
  balanced: boolean;
  /** Schedule fires skipped since the previous tick because it was still running. */
  skippedFires: number;
  durationMs: number;
}

/** One line of the truth file: what a tick injected. Written locally only; never sent anywhere. */
export interface TruthRecord {
  tick: number;
  seed: string;
  /** `i/n` when this process sent shard i of n: its incidents and counts are its part; the shards' files merge. */
  shard?: string;
  slice: { start: string; end: string };
  /** Wall time the tick began sending (ISO): where wall-time matching of its incidents starts (`firedrill score`). */
  sentAt?: string;
  incidents: { id: string; kind: IncidentKind; sources: SourceName[]; window: { start: string; end: string }; entities: Entities; events: number }[];
}

export interface RunLoadOptions {
  scenario: Scenario;
  /** The scenario file (names it in compiler messages, anchors replay paths). */
  file: string;
  topology: Topology;
  estate: EstateIds;
  settings: LoadSettings;
  seed: string;
  templates: readonly IncidentTemplate[];
  sender: LoadSender;
  truthFile: string;
  /**
   * Send only this shard's streams. n processes with the same seed and schedule generate the same traffic and send
   * disjoint parts of it (every stream whole in one shard); their truth files, concatenated, are the whole run's.
   */
  shard?: Shard;
  onTick?: (report: TickReport) => void;
  /** Aborting stops the run after the tick in progress (SIGINT / SIGTERM in the CLI). */
  signal?: AbortSignal;
  /** Wall clock (tests may shift it); default Date.now. */
  now?: () => number;
}

export interface LoadResult {
  ticks: number;
  stoppedBy: 'ticks' | 'signal';
  /** The ticks' ingest ledgers summed. */
  ingest: IngestLedger;
}

const iso = (ms: number) => new Date(ms).toISOString();

function countsOf(ledger: IngestLedger): Pick<TickReport, 'sources' | 'totals' | 'balanced'> {
  const sources: TickReport['sources'] = {};
  const totals: SourceTickCounts = { generated: 0, accepted: 0, rejected: 0 };
  let balanced = true;
  for (const [source, c] of Object.entries(ledger.sources) as [SourceName, NonNullable<IngestLedger['sources'][SourceName]>][]) {
    const rejected = Object.values(c.rejected).reduce<number>((a, b) => a + (b ?? 0), 0);
    sources[source] = { generated: c.generated, accepted: c.accepted, rejected };
    totals.generated += c.generated;
    totals.accepted += c.accepted;
    totals.rejected += rejected;
    if (c.generated !== c.accepted + rejected) balanced = false;
  }
  return { sources, totals, balanced };
}

/** Generates, sends and records one tick; returns its report and the sinks' full ledger. */
export async function runTick(opts: RunLoadOptions, plan: TickPlan, skippedFires = 0): Promise<{ report: TickReport; ledger: IngestLedger }> {
  const t0 = Date.now();
  const chosen = chooseIncidents(opts.settings.anomalies, opts.templates, opts.settings.probability, createRng(plan.seed).fork('anomalies'));
  const compiled = compile(tickScenario(opts.scenario, plan, chosen), opts.estate, { topology: opts.topology, file: opts.file, seed: opts.seed });
  const labelled = new Map<string, number>();
  const labelledAnywhere = new Map<string, number>();
  const count = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
  let label: string | undefined;
  // Labels are split off here: the sender gets wire events (time, source, destination, line) and nothing else.
  // splitTruth reports an event's label just before it yields the event, so `label` belongs to the next one.
  const all = splitTruth(compiled.events(), (t) => (label = t.incidentId));
  const shard = opts.shard;
  const wire = (function* (): Generator<WireEvent> {
    for (const e of all) {
      const id = label;
      label = undefined;
      if (id !== undefined) count(labelledAnywhere, id);
      // With a shard, only the streams that fall to it; every process generates the same events to choose from.
      if (shard && shardOf(e, shard.count) !== shard.index) continue;
      if (id !== undefined) count(labelled, id);
      yield e;
    }
  })();
  const sentAt = iso(Date.now());
  const ledger = await opts.sender.send(wire);
  const slice = { start: iso(plan.start), end: iso(plan.end) };
  const truth: TruthRecord = {
    tick: plan.tick,
    seed: plan.seed,
    ...(opts.shard ? { shard: `${opts.shard.index}/${opts.shard.count}` } : {}),
    slice,
    sentAt,
    // A shard lists the incidents it sent events of (shard 0 also those none were sent of), so the shards' lists
    // merge into the unsharded run's.
    incidents: compiled.incidents.filter((i) => !shard || (labelled.get(i.id) ?? 0) > 0 || (shard.index === 0 && !labelledAnywhere.get(i.id))).map((i) => ({ id: i.id, kind: i.kind, sources: i.sources, window: { start: iso(i.window.start), end: iso(i.window.end) }, entities: i.entities, events: labelled.get(i.id) ?? 0 })),
  };
  await appendFile(opts.truthFile, `${JSON.stringify(truth)}\n`);
  const report: TickReport = {
    tick: plan.tick,
    seed: plan.seed,
    slice,
    incidents: compiled.incidents.map((i) => ({ id: i.id, kind: i.kind })),
    ...countsOf(ledger),
    skippedFires,
    durationMs: Date.now() - t0,
  };
  return { report, ledger };
}

/**
 * The load loop: on every fire of the cron schedule, one tick (the slice of event time that just ended, the
 * incidents the anomaly mode picks, sent through the sender). Stops after `settings.ticks` ticks or when the
 * signal aborts, always finishing the tick in progress. The truth file is truncated at the start.
 */
export async function runLoad(opts: RunLoadOptions): Promise<LoadResult> {
  const now = opts.now ?? Date.now;
  await mkdir(dirname(opts.truthFile), { recursive: true });
  await writeFile(opts.truthFile, '');
  let total = mergeIngestLedgers([]);
  let tick = 0;
  let busy = false;
  let skipped = 0;
  let stopping: LoadResult['stoppedBy'] | undefined;

  return new Promise<LoadResult>((resolve, reject) => {
    const finish = (err?: unknown) => {
      opts.signal?.removeEventListener('abort', onAbort);
      void Promise.resolve(task.destroy()).finally(() => (err === undefined ? resolve({ ticks: tick, stoppedBy: stopping ?? 'signal', ingest: total }) : reject(err as Error)));
    };
    const onAbort = () => {
      stopping ??= 'signal';
      if (!busy) finish();
    };
    const fire = async () => {
      if (stopping) return;
      // A tick still running when the schedule fires again: this fire is skipped, not queued. A queued tick would
      // start late and generate a slice that is already old, and a backlog would only grow while sending is slower
      // than the schedule; the next tick generates the slice current at its own time, and skippedFires says so.
      if (busy) {
        skipped++;
        return;
      }
      busy = true;
      try {
        // Fires skipped while the previous tick ran are reported by this one; those during this tick by the next.
        const skippedBefore = skipped;
        skipped = 0;
        const { report, ledger } = await runTick(opts, planTick(tick, now(), opts.settings.sliceMs, opts.seed), skippedBefore);
        tick++;
        total = mergeIngestLedgers([total, ledger]);
        opts.onTick?.(report);
        if (opts.settings.ticks !== undefined && tick >= opts.settings.ticks) stopping ??= 'ticks';
      } catch (err) {
        stopping ??= 'signal';
        busy = false;
        finish(err);
        return;
      }
      busy = false;
      if (stopping) finish();
    };
    // node-cron reports missed fires on the console; through the logger they go to stderr and stay out of --json.
    const logger = { info: (m: string) => log.info(m), warn: (m: string) => log.warn(m), error: (m: string | Error) => log.error(m), debug: (m: string | Error) => log.debug(m) };
    // Declared last, used only once the schedule (or an abort) calls back.
    const task = cron.createTask(opts.settings.schedule, fire, { logger, name: 'firedrill-load' });
    if (opts.signal?.aborted) return finish();
    opts.signal?.addEventListener('abort', onAbort);
    void task.start();
  });
}
