/**
 * End-to-end pipeline throughput on moto: generate → sinks → CloudWatch Logs / Firehose / S3 → raw → SQS →
 * normalizer → curated, in events/s, beside the emulator's own ceiling measured in the same run (a bare loop
 * of full PutLogEvents batches, each delivered by moto through the subscription filter to Firehose → S3 →
 * SQS). Prints figures; asserts nothing about time (benchmarks inform, tests decide).
 *
 *   npm run bench:pipeline [-- --duration 2h --seed 7 --scenario scenarios/quiet-baseline.yaml]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { HOUR } from '../core/clock.ts';
import { defaultTopology } from '../core/topology/default-topology.ts';
import { formats } from '../formats/registry.ts';
import { startEmulator } from '../localstack/start-emulator.ts';
import { startAndBootstrap } from '../localstack/start-and-bootstrap.ts';
import { runIngest } from '../localstack/runtime/index.ts';
import type { WireEvent } from '../pipeline/ingest/types.ts';
import { balanceLedger, readStoredCounts } from '../pipeline/ledger/index.ts';
import { compile, loadScenario } from '../scenarios/index.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'scenarios/quiet-baseline.yaml' },
    duration: { type: 'string', default: '2h' },
    seed: { type: 'string', default: '7' },
    'ceiling-batches': { type: 'string', default: '20' },
  },
});

/** Where the emulator's time went: the five costliest calls by summed latency. */
function topCalls(entries: { service: string; command: string; durationMs: number }[]): string {
  const by = new Map<string, { n: number; ms: number }>();
  for (const e of entries) {
    const k = `${e.service}:${e.command}`;
    const a = by.get(k) ?? { n: 0, ms: 0 };
    a.n++;
    a.ms += e.durationMs;
    by.set(k, a);
  }
  return [...by]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 6)
    .map(([k, a]) => `${k} ×${a.n} ${(a.ms / 1000).toFixed(1)} s`)
    .join(', ');
}

await using emulator = await startEmulator();
const topology = defaultTopology();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

// 1. The emulator's ceiling: full 10,000-event PutLogEvents requests in a bare loop, one after the other.
let ceiling: number;
{
  await using live = await startAndBootstrap({ endpoint: emulator.endpoint, reset: true, topology });
  const group = topology.pipeline.logGroups.find((g) => g.source === 'lambda')!.name;
  await live.clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'ceiling' }));
  const batches = Number(values['ceiling-batches']);
  const base = Date.now() - HOUR;
  const prepared = Array.from({ length: batches }, (_, b) =>
    Array.from({ length: 10_000 }, (_, i) => ({ timestamp: base + b * 10_000 + i, message: `START RequestId: ${randomUUID()} Version: $LATEST` })),
  );
  const t0 = performance.now();
  for (const logEvents of prepared) await live.clients.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'ceiling', logEvents }));
  const ms = performance.now() - t0;
  ceiling = (batches * 10_000) / (ms / 1000);
  process.stdout.write(`emulator ceiling: ${fmt(batches * 10_000)} events in ${batches} PutLogEvents of 10,000 → ${fmt(ceiling)} events/s\n`);
}

// 2. The pipeline end to end, on a clean emulator: generation included, the clock stops when curated is complete.
{
  await using live = await startAndBootstrap({ endpoint: emulator.endpoint, reset: true, topology });
  const scenario = await loadScenario(values.scenario!);
  const mark = live.clients.ledger.mark();
  const t0 = performance.now();
  const plan = compile({ ...scenario, duration: values.duration! }, live.ids, { topology, seed: values.seed!, file: values.scenario! });
  let count = 0;
  const events = (function* (): Generator<WireEvent> {
    for (const e of plan.events()) {
      count++;
      yield { time: e.time, source: e.source, dest: e.dest, message: e.message };
    }
  })();
  const r = await runIngest({ clients: live.clients, topology, estate: live.ids, formats, events, readBack: false, idleTimeoutMs: 600_000 });
  const ms = performance.now() - t0;
  const e2e = count / (ms / 1000);
  const ledger = balanceLedger(r.ingest, await readStoredCounts(live.clients.s3, topology));
  const handlerMs = r.runtime.reduce((a, s) => a + s.handlerMs, 0);
  process.stdout.write(
    [
      `pipeline end to end: ${fmt(count)} events (${scenario.id}, ${values.duration}, seed ${values.seed}) in ${(ms / 1000).toFixed(1)} s → ${fmt(e2e)} events/s`,
      `  sinks done after ${(r.timings.pumpMs / 1000).toFixed(1)} s (${r.ingest.calls.PutLogEvents ?? 0} PutLogEvents, ${r.ingest.calls.PutRecordBatch ?? 0} PutRecordBatch, ${r.ingest.calls.PutObject ?? 0} PutObject); drained after ${(r.timings.drainMs / 1000).toFixed(1)} s; normalizer busy ${(handlerMs / 1000).toFixed(1)} s`,
      `  ledger balanced: ${ledger.balanced}${ledger.problems.length ? ` (${ledger.problems.join('; ')})` : ''}`,
      `  emulator time by call (sum of latencies): ${topCalls(live.clients.ledger.since(mark))}`,
      `ratio end-to-end / ceiling: ${(e2e / ceiling).toFixed(2)} (target ≥ 0.8)`,
      '',
    ].join('\n'),
  );
}
