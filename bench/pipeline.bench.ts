/**
 * End-to-end pipeline throughput on moto: generate → sinks → CloudWatch Logs / Firehose / S3 → raw → SQS →
 * normalizer → curated, in events/s, beside the emulator's own ceiling measured in the same run (a bare loop
 * of full PutLogEvents batches, each delivered by moto through the subscription filter to Firehose → S3 →
 * SQS). Prints figures; asserts nothing about time (benchmarks inform, tests decide).
 *
 * Both are measured in several interleaved rounds (ceiling, pipeline, ceiling, pipeline …) and the ratio is taken
 * between the medians: on a shared 2-vCPU VM one run of either varies by ±20 %, and interleaving lets a slow
 * spell of the machine touch both sides.
 *
 *   npm run bench:pipeline [-- --duration 2h --seed 7 --scenario scenarios/quiet-baseline.yaml --rounds 3]
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { HOUR } from '../core/clock.ts';
import { defaultTopology } from '../core/topology/default-topology.ts';
import { formats } from '../formats/registry.ts';
import { startEmulator } from '../emulator/start-emulator.ts';
import { startWithBuiltin } from '../harness/sut/index.ts';
import { runIngest } from '../harness/deliver/index.ts';
import type { WireEvent } from '../harness/deliver/types.ts';
import { splitLogBatches } from '../harness/deliver/log-batches.ts';
import { balanceLedger } from '../harness/ledger/index.ts';
import { readStoredCounts } from '../pipeline/store/index.ts';
import { compile, loadScenario } from '../scenarios/index.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'scenarios/quiet-baseline.yaml' },
    duration: { type: 'string', default: '2h' },
    seed: { type: 'string', default: '7' },
    'ceiling-batches': { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
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
/** CPU seconds (user + system) the emulator process has used so far; Linux /proc, 0 elsewhere. */
const emulatorCpu = (): number => {
  try {
    const f = readFileSync(`/proc/${emulator.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
};
const nodeCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const topology = defaultTopology();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

// 1. The emulator's ceiling: a bare loop of full PutLogEvents requests, one after the other, carrying the very
//    messages the pipeline run will carry (every source's, in time order), cut at 10,000 events or 1 MiB like
//    the sink cuts them. Each request is delivered by moto through the subscription filter to Firehose → S3 → SQS,
//    so the ceiling already includes the emulator's own delivery. A second figure with short synthetic messages
//    (full 10,000-event requests) is printed for reference only: events/s depends on event size.
const plan = (ids: Awaited<ReturnType<typeof startWithBuiltin>>['ids']) => compile({ ...scenario, duration: values.duration! }, ids, { topology, seed: values.seed!, file: values.scenario! });
const scenario = await loadScenario(values.scenario!);
/** One ceiling measurement; the short-message reference only when asked (it does not change between rounds). */
async function measureCeiling(withShort: boolean): Promise<number> {
  await using live = await startWithBuiltin({ endpoint: emulator.endpoint, reset: true, topology });
  const group = topology.pipeline.logGroups.find((g) => g.source === 'lambda')!.name;
  const put = async (stream: string, batches: { timestamp: number; message: string }[][]) => {
    await live.clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    const c0 = [emulatorCpu(), nodeCpu()];
    const t0 = performance.now();
    for (const logEvents of batches) await live.clients.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents }));
    const ms = performance.now() - t0;
    const n = batches.reduce((a, b) => a + b.length, 0);
    return { n, requests: batches.length, ms, rate: n / (ms / 1000), cpu: `cpu: emulator ${(emulatorCpu() - c0[0]!).toFixed(1)} s, node ${(nodeCpu() - c0[1]!).toFixed(1)} s, wall ${(ms / 1000).toFixed(1)} s` };
  };
  // The messages are re-timed into the last hour (PutLogEvents refuses events older than 14 days) keeping their order.
  const base = Date.now() - HOUR;
  const own = [...plan(live.ids).events()].map((e, i) => ({ time: base + Math.floor(i / 100), message: e.message }));
  const workload = await put('ceiling-workload', splitLogBatches(own).map((b) => b.map((e) => ({ timestamp: e.time, message: e.message }))));
  process.stdout.write(`emulator ceiling: ${fmt(workload.n)} events of this workload in ${workload.requests} full PutLogEvents → ${fmt(workload.rate)} events/s (${workload.cpu})\n`);
  if (withShort) {
    const batches = Number(values['ceiling-batches']);
    const short = await put(
      'ceiling-short',
      Array.from({ length: batches }, (_, b) => Array.from({ length: 10_000 }, (_, i) => ({ timestamp: base + b * 10_000 + i, message: `START RequestId: ${randomUUID()} Version: $LATEST` }))),
    );
    process.stdout.write(`  for reference, short messages: ${fmt(short.n)} events in ${short.requests} PutLogEvents of 10,000 → ${fmt(short.rate)} events/s (${short.cpu})\n`);
  }
  return workload.rate;
}

// 2. The pipeline end to end, on a clean emulator: generation included, the clock stops when curated is complete
//    (the drain; the runtime's teardown after it is not counted). CPU figures run to the end of runIngest.
async function measurePipeline(): Promise<number> {
  await using live = await startWithBuiltin({ endpoint: emulator.endpoint, reset: true, topology });
  const mark = live.clients.ledger.mark();
  const c0 = [emulatorCpu(), nodeCpu()];
  const t0 = performance.now();
  const compiled = plan(live.ids);
  let count = 0;
  const events = (function* (): Generator<WireEvent> {
    for (const e of compiled.events()) {
      count++;
      yield { time: e.time, source: e.source, dest: e.dest, message: e.message };
    }
  })();
  const r = await runIngest({ clients: live.clients, topology, estate: live.ids, formats, events, readBack: false, idleTimeoutMs: 600_000 });
  // The clock stops at the drain: every notification handled, curated complete. Stopping the local runtime after
  // that (its idle long polls run out, up to 1 s) is teardown, not throughput, and is printed apart.
  const ms = r.timings.drainedAt - t0;
  const cpu = `cpu: emulator ${(emulatorCpu() - c0[0]!).toFixed(1)} s, node ${(nodeCpu() - c0[1]!).toFixed(1)} s`;
  const e2e = count / (ms / 1000);
  const ledger = balanceLedger(r.ingest, await readStoredCounts(live.clients.s3, topology, { requests: Object.keys(r.ingest.requests) }));
  const handlerMs = r.runtime.reduce((a, s) => a + s.durationMs, 0);
  process.stdout.write(
    [
      `pipeline end to end: ${fmt(count)} events (${scenario.id}, ${values.duration}, seed ${values.seed}) in ${(ms / 1000).toFixed(1)} s → ${fmt(e2e)} events/s`,
      `  sinks done after ${(r.timings.pumpMs / 1000).toFixed(1)} s (${r.ingest.calls.PutLogEvents ?? 0} PutLogEvents, ${r.ingest.calls.PutRecordBatch ?? 0} PutRecordBatch, ${r.ingest.calls.PutObject ?? 0} PutObject); drained after ${(r.timings.drainMs / 1000).toFixed(1)} s; runtime stopped after ${(r.timings.stopMs / 1000).toFixed(1)} s; normalizer busy ${(handlerMs / 1000).toFixed(1)} s`,
      `  local runtime: ${r.runtime.map((q) => `${q.invocations} invocations, ${q.received} notifications received, ${q.succeeded} deleted, ${q.failed} failed, ${q.errors} handler errors`).join('; ')}`,
      `  ${cpu}`,
      `  ledger balanced: ${ledger.balanced}${ledger.problems.length ? ` (${ledger.problems.join('; ')})` : ''}`,
      `  emulator time by call from this thread (sinks, local runtime, read-back; sum of latencies — the normalizer calls from its own thread): ${topCalls(live.clients.ledger.since(mark))}`,
      '',
    ].join('\n'),
  );
  return e2e;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rounds = Math.max(1, Number(values.rounds));
const ceilings: number[] = [];
const pipelines: number[] = [];
for (let round = 1; round <= rounds; round++) {
  process.stdout.write(`— round ${round} of ${rounds}\n`);
  ceilings.push(await measureCeiling(round === 1));
  pipelines.push(await measurePipeline());
  process.stdout.write(`  ratio this round: ${(pipelines.at(-1)! / ceilings.at(-1)!).toFixed(2)}\n`);
}
const c = median(ceilings);
const e = median(pipelines);
process.stdout.write(
  [
    '',
    `median of ${rounds} rounds: ceiling ${fmt(c)} events/s (${ceilings.map(fmt).join(', ')}), end to end ${fmt(e)} events/s (${pipelines.map(fmt).join(', ')})`,
    `ratio end-to-end / ceiling: ${(e / c).toFixed(2)} (target ≥ 0.8)`,
    '',
  ].join('\n'),
);
