import { formats } from '../../formats/index.ts';
import { startAndBootstrap } from '../../emulator/index.ts';
import { runIngest } from '../../harness/deliver/index.ts';
import type { WireEvent } from '../../harness/deliver/index.ts';
import { formatLedger } from '../../harness/ledger/index.ts';
import { compile, loadScenario, resolveScenarioArg, topologyOf } from '../../scenarios/index.ts';

export interface IngestCommandOptions {
  scenario: string;
  seed?: string;
  json?: boolean;
  /** Use this running emulator instead of starting one (it is reset first). */
  endpoint?: string;
}

/**
 * compile → sinks → CloudWatch Logs / Firehose / S3 → raw → SQS → normalizer → curated, then the ledger read
 * back from S3. Exit code 0 when every event is accounted for, 1 when the ledger does not balance.
 */
export async function ingestCommand(opts: IngestCommandOptions): Promise<number> {
  const file = resolveScenarioArg(opts.scenario);
  const scenario = await loadScenario(file);
  const topology = topologyOf(scenario);
  const endpoint = opts.endpoint ?? process.env.FIREDRILL_ENDPOINT;
  // A clean emulator: the ledger reads everything in the buckets back, so leftovers of another run would count.
  await using live = await startAndBootstrap({ ...(endpoint ? { endpoint } : {}), reset: true, topology });
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
