import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../core/rng.ts';
import { lambdaFormat, parseLambda, type LambdaLineOrigin, type LambdaRecord } from '../../formats/lambda.ts';
import { constantRate } from '../common/rate/index.ts';
import { determinismSuite, SAMPLE_START, samplePools } from '../common/testing.ts';
import type { GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { EventQueue } from './event-queue.ts';
import { lambdaBackground, lambdaErrorSpike, lambdaMemoryExhaustion, lambdaTimeoutStorm } from './index.ts';

const pools = samplePools(42);
const window = { start: SAMPLE_START, end: SAMPLE_START + 10 * 60_000 };
const fnByGroup = new Map(pools.topology.estate.lambdas.map((l) => [`/aws/lambda/${l.name}`, l]));

function incident(gen: IncidentGenerator, seed: number, intensity = 1): { events: GeneratedEvent[]; req: IncidentRequest } {
  const req: IncidentRequest = { incidentId: 'inc-7', kind: gen.kind, window, intensity, entities: {} };
  return { events: [...gen.generate(createRng(seed), pools, req)], req };
}

type Parsed = { e: GeneratedEvent; r: LambdaRecord; group: string; stream: string };

/** Structure: group/stream naming, exact tabs and units, START…REPORT per request in one stream, Init only on cold starts. */
function parsed(events: GeneratedEvent[]): Parsed[] {
  const problems: string[] = [];
  const out: Parsed[] = [];
  let last = -Infinity;
  for (const e of events) {
    const bad = (why: string) => problems.length < 5 && problems.push(`${why}: ${JSON.stringify(e.message.slice(0, 200))}`);
    if (e.time < last || e.time < window.start || e.time >= window.end) bad('time');
    last = e.time;
    if (e.dest.kind !== 'cwl' || !fnByGroup.has(e.dest.logGroup)) {
      bad('destination');
      continue;
    }
    if (!/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/.test(e.dest.logStream)) bad('stream name');
    if (!e.message.endsWith('\n')) bad('no trailing newline');
    const r = parseLambda(e.message);
    if (r.type === 'report') {
      const fn = fnByGroup.get(e.dest.logGroup)!;
      if (!/^REPORT RequestId: \S+\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: \d+ MB\tMax Memory Used: \d+ MB\t/.test(e.message)) bad('REPORT layout');
      if (r.memorySizeMb !== fn.memoryMb || r.maxMemoryUsedMb > r.memorySizeMb) bad('memory');
      // Timed-out invocations (older wording) run a few ms past the limit but are billed the limit, as AWS does.
      if (r.billedMs < Math.floor(r.durationMs) && r.durationMs <= fn.timeoutSeconds * 1000) bad('billed < duration');
    }
    if ((r.type === 'app' || r.type === 'timeout') && r.time !== e.time) bad('line time differs from event time');
    if (e.message.includes('inc-7')) bad('label leaked into the line');
    out.push({ e, r, group: e.dest.logGroup, stream: e.dest.logStream });
  }
  expect(problems).toEqual([]);
  return out;
}

function byRequest(ps: Parsed[]): Map<string, Parsed[]> {
  const m = new Map<string, Parsed[]>();
  for (const p of ps) {
    const list = m.get(p.r.requestId ?? '') ?? [];
    list.push(p);
    m.set(p.r.requestId ?? '', list);
  }
  return m;
}

describe('lambda background', () => {
  const events = [...lambdaBackground.generate(createRng(3), pools, { window, rate: constantRate(4) })];
  const ps = parsed(events);
  it('writes START … END, REPORT per invocation in one stream; Init Duration exactly on a stream’s first invocation', () => {
    expect(events.length).toBeGreaterThan(5000);
    expect(events.every((e) => e.label === undefined)).toBe(true);
    const firstReport = new Map<string, boolean>();
    for (const [, lines] of byRequest(ps)) {
      if (lines[0]!.r.type !== 'start') continue; // cut by the window's end
      expect(new Set(lines.map((l) => l.stream)).size).toBe(1);
      const report = lines.find((l) => l.r.type === 'report');
      if (!report) continue;
      expect(lines.map((l) => l.r.type).slice(-2)).toEqual(['end', 'report']);
      const r = report.r as Extract<LambdaRecord, { type: 'report' }>;
      const first = !firstReport.has(report.stream);
      firstReport.set(report.stream, true);
      expect(r.initDurationMs !== undefined).toBe(first);
    }
    expect(firstReport.size).toBeGreaterThan(3);
    // Warm reuse dominates: far fewer streams than invocations.
    expect(firstReport.size).toBeLessThan(byRequest(ps).size / 10);
  });
  it('normalizes every line to the contract fields', () => {
    const origin: LambdaLineOrigin = { logGroup: ps[0]!.group, timestamp: ps[0]!.e.time };
    const n = lambdaFormat.normalize(ps[0]!.r, origin);
    expect(n.entities.function).toBe(ps[0]!.group.slice('/aws/lambda/'.length));
    expect(n.time).toBe(ps[0]!.e.time);
  });
});

describe('lambda incidents', () => {
  it('timeout storm uses both timeout forms on the described function', () => {
    const { events, req } = incident(lambdaTimeoutStorm, 5);
    const ps = parsed(events);
    const who = lambdaTimeoutStorm.describe(createRng(5), pools, req);
    const fn = pools.topology.estate.lambdas.find((l) => l.name === who.function)!;
    expect(ps.every((p) => p.group === `/aws/lambda/${who.function}`)).toBe(true);
    const legacy = ps.filter((p) => p.r.type === 'timeout');
    const modern = ps.filter((p) => p.r.type === 'report' && p.r.status === 'timeout');
    expect(legacy.length).toBeGreaterThan(50);
    expect(modern.length).toBeGreaterThan(50);
    for (const p of legacy) expect(p.e.message).toMatch(new RegExp(`^\\S+Z [0-9a-f-]{36} Task timed out after ${fn.timeoutSeconds}\\.\\d{2} seconds\\n\\n$`));
    for (const p of modern) expect((p.r as { durationMs: number }).durationMs).toBe(fn.timeoutSeconds * 1000);
    expect(events.every((e) => e.label?.kind === 'lambda-timeout-storm')).toBe(true);
  });

  it('error spike writes multi-line stack traces as single events', () => {
    const ps = parsed(incident(lambdaErrorSpike, 6).events);
    const errors = ps.filter((p) => p.r.type === 'app' && p.r.level === 'ERROR');
    expect(errors.length).toBeGreaterThan(500);
    expect(errors.some((p) => p.e.message.split('\n').length > 3 && /\n {4}at /.test(p.e.message))).toBe(true);
    expect(errors.some((p) => p.e.message.includes('\tERROR\tInvoke Error \t{"errorType":'))).toBe(true);
  });

  it('memory exhaustion: Max Memory Used = Memory Size with Runtime.OutOfMemory or Runtime.ExitError', () => {
    const { events, req } = incident(lambdaMemoryExhaustion, 7);
    const ps = parsed(events);
    const who = lambdaMemoryExhaustion.describe(createRng(7), pools, req);
    const fn = pools.topology.estate.lambdas.find((l) => l.name === who.function)!;
    const oom = ps.filter((p) => p.r.type === 'report' && p.r.errorType === 'Runtime.OutOfMemory');
    expect(oom.length).toBeGreaterThan(10);
    for (const p of oom) expect((p.r as { maxMemoryUsedMb: number }).maxMemoryUsedMb).toBe(fn.memoryMb);
    expect(ps.some((p) => p.r.type === 'runtime-error' && p.r.text.includes('Runtime.ExitError'))).toBe(true);
  });

  it('property: any seed and intensity gives ordered, labelled, parseable lines of the described function', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0.05, max: 2, noNaN: true }), fc.constantFrom(lambdaTimeoutStorm, lambdaErrorSpike, lambdaMemoryExhaustion), (seed, intensity, gen) => {
        const short = { start: window.start, end: window.start + 120_000 };
        const req: IncidentRequest = { incidentId: 'p', kind: gen.kind, window: short, intensity, entities: {} };
        const who = gen.describe(createRng(seed), pools, req);
        let last = -Infinity;
        for (const e of gen.generate(createRng(seed), pools, req)) {
          if (e.time < last || e.time >= short.end || e.label?.kind !== gen.kind) return false;
          if (e.dest.kind !== 'cwl' || e.dest.logGroup !== `/aws/lambda/${who.function}`) return false;
          last = e.time;
          parseLambda(e.message);
        }
        return true;
      }),
      { numRuns: 25 },
    );
  });
});

describe('EventQueue', () => {
  it('releases in time order, ties in insertion order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
        const q = new EventQueue();
        times.forEach((t, i) => q.push({ time: t, source: 'lambda', dest: { kind: 'firehose', deliveryStream: 'x' }, message: String(i) }));
        const out = [...q.drain(Infinity)];
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => String(x.i));
        return out.map((e) => e.message).join() === expected.join();
      }),
    );
  });
});

determinismSuite({ background: 'lambda' });
determinismSuite({ incident: 'lambda-timeout-storm' });
determinismSuite({ incident: 'lambda-error-spike' });
determinismSuite({ incident: 'lambda-memory-exhaustion' });
