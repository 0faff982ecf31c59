import { formats } from '../../formats/index.ts';
import { startAndBootstrap } from '../../emulator/index.ts';
import { openSutDelivery, runIngest } from '../../harness/deliver/index.ts';
import { loadSutFile, startWithBuiltin, sutFileOf } from '../../harness/sut/index.ts';
import { resolve } from 'node:path';
import type { WireEvent } from '../../harness/deliver/index.ts';
import { formatLedger } from '../../harness/ledger/index.ts';
import { compile, loadScenario, resolveScenarioArg, topologyOf } from '../../scenarios/index.ts';

export interface IngestCommandOptions {
  scenario: string;
  seed?: string;
  json?: boolean;
  /** Use this running emulator instead of starting one (it is reset first). */
  endpoint?: string;
  /** The system under test: a SUT file, or `builtin`. Absent: the builtin pipeline's normalizer alone, as before. */
  sut?: string;
}

/**
 * compile → sinks → CloudWatch Logs / Firehose / S3 → raw → SQS → normalizer → curated, then the ledger read
 * back from S3. Exit code 0 when every event is accounted for, 1 when the ledger does not balance.
 */
export async function ingestCommand(opts: IngestCommandOptions): Promise<number> {
  if (opts.sut) return ingestToSut(opts);
  const file = resolveScenarioArg(opts.scenario);
  const scenario = await loadScenario(file);
  const topology = topologyOf(scenario);
  const endpoint = opts.endpoint ?? (process.env.FIREDRILL_ENDPOINT || process.env.AWS_ENDPOINT_URL || undefined);
  // A clean emulator: the ledger reads everything in the buckets back, so leftovers of another run would count.
  // The estate, and the builtin pipeline's plumbing from its SUT file (its handlers are not run: runIngest drives the normalizer).
  await using live = await startWithBuiltin({ ...(endpoint ? { endpoint } : {}), reset: true, topology });
  const plan = compile(scenario, live.ids, { topology, file, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  // Labels stay with the harness: the sinks get the wire fields only.
  const events = (function* (): Generator<WireEvent> {
    for (const e of plan.events()) yield { time: e.time, source: e.source, dest: e.dest, message: e.message };
  })();
  const r = await runIngest({ clients: live.clients, topology, estate: live.ids, formats, events });
  const ledger = r.ledger!;
  if (opts.json) {
    const out = {
      scenario: scenario.id,
      seed: opts.seed ?? scenario.seed,
      balanced: ledger.balanced,
      sources: ledger.sources,
      rawObjects: ledger.rawObjects,
      notificationsQuarantined: ledger.notificationsQuarantined,
      problems: ledger.problems,
      calls: r.ingest.calls,
      retries: r.ingest.retries,
      timings: r.timings,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(`${scenario.id} (seed ${opts.seed ?? scenario.seed}) on ${live.endpoint}\n${formatLedger(ledger)}\n`);
    process.stdout.write(`sinks done in ${(r.timings.pumpMs / 1000).toFixed(1)} s, pipeline drained in ${(r.timings.drainMs / 1000).toFixed(1)} s\n`);
  }
  return ledger.balanced ? 0 : 1;
}

/**
 * `ingest --sut`: the scenario delivered to the SUT file's entry points (its resources created, its handlers running
 * as Lambda would, until they are idle; schedules are not fired: that is a drill's business). The ledger is the SUT's
 * ledger hook's when it has one, else delivery's (generated = accepted + refused). Exit 0 balanced, 1 not.
 */
async function ingestToSut(opts: IngestCommandOptions): Promise<number> {
  const sut = await loadSutFile(sutFileOf(opts.sut === 'builtin' ? 'builtin' : resolve(opts.sut!)));
  const file = resolveScenarioArg(opts.scenario);
  const scenario = await loadScenario(file);
  const topology = topologyOf(scenario, sut.data.estate);
  const endpoint = opts.endpoint ?? (process.env.FIREDRILL_ENDPOINT || process.env.AWS_ENDPOINT_URL || undefined);
  // The estate only; a deployed SUT's target is not wiped (it lives there).
  await using live = await startAndBootstrap({ ...(endpoint ? { endpoint } : {}), reset: sut.data.mode !== 'deployed', topology });
  await using delivery = await openSutDelivery({ clients: live.clients, sut, topology, estate: live.ids, failedVisibilitySeconds: 1, log: (l) => process.stderr.write(`firedrill ingest: ${l}\n`) });
  const plan = compile(scenario, live.ids, { topology, file, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  const events = (function* (): Generator<WireEvent> {
    for (const e of plan.events()) yield { time: e.time, source: e.source, dest: e.dest, message: e.message };
  })();
  const t0 = Date.now();
  const ingest = await delivery.deliver(events);
  const drainMs = Date.now() - t0;
  const ledger = await delivery.ledger(ingest);
  const refused = (c: { rejected: Record<string, number | undefined> }) => Object.values(c.rejected).reduce<number>((a, b) => a + (b ?? 0), 0);
  const balanced = ledger ? ledger.balanced : Object.values(ingest.sources).every((c) => c!.generated === c!.accepted + refused(c!));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ scenario: scenario.id, sut: sut.data.name, seed: opts.seed ?? scenario.seed, balanced, sources: ledger?.sources ?? ingest.sources, calls: ingest.calls, retries: ingest.retries, handlers: delivery.stats(), drainMs }, null, 2)}\n`);
  } else {
    const lines = ledger
      ? [formatLedger(ledger)]
      : Object.entries(ingest.sources).map(([s, c]) => `${s.padEnd(10)} generated ${c!.generated} → accepted ${c!.accepted} → refused ${refused(c!)}${Object.keys(c!.rejected).length ? ` (${Object.entries(c!.rejected).map(([r, n]) => `${r} ${n}`).join(', ')})` : ''}`);
    process.stdout.write(`${scenario.id} (seed ${opts.seed ?? scenario.seed}) → ${sut.data.name} on ${live.endpoint ?? 'AWS'}\n${lines.join('\n')}\ndelivered and drained in ${(drainMs / 1000).toFixed(1)} s\n`);
  }
  return balanced ? 0 : 1;
}
