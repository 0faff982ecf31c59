import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import { destinationKey } from '../generators/common/truth.ts';
import type { GeneratedEvent } from '../generators/types.ts';
import { compile, GeneratorContractError } from './compile.ts';
import { ScenarioValidationError } from './errors.ts';
import { validateScenario } from './load-scenario.ts';
import type { ScenarioInput } from './schema/scenario-schema.ts';
import { fakeRegistry, fakeBackground } from './testdata/fake-generators.ts';
import { toEvaluationInput } from '../harness/evaluate/plan-to-evaluation.ts';

const NOW = Date.parse('2026-11-21T11:00:00Z');
const estate = syntheticEstate(defaultTopology());
const generators = fakeRegistry();

function drill(over: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    id: 'unit',
    title: 'Unit drill',
    description: 'compiler properties',
    seed: 42,
    duration: '15m',
    phases: { warmup: '6m', recovery: '2m' },
    background: [
      { source: 'waf', rate: '120/m' },
      { source: 'rds', rate: { base: '60/m', jitter: 0.1, bursts: [{ at: 'fault+1m', duration: '1m', rate: '60/m' }] } },
      { source: 'app', rate: { base: '120/m', ramps: [{ at: 'fault+0m', duration: '1m', to: 2, hold: '2m' }] } },
      { source: 'ecs', rate: '30/m' },
    ],
    incidents: [
      { id: 'flood', kind: 'waf-http-flood', at: 'fault+1m', duration: '3m', entities: { ip: '198.51.100.7' } },
      {
        id: 'cascade',
        kind: 'rds-app-ecs-cascade',
        at: { after: 'flood', lag: '1m' },
        duration: '5m',
        cascade: [
          { from: 'rds', to: 'app', lag: '45s' },
          { from: 'app', to: 'ecs', lag: '90s' },
        ],
      },
    ],
    expect: {
      detect: [{ incident: 'flood', entity: 'ip', within: '2m' }, { incident: 'cascade', entity: 'database', within: '5m' }],
      rootCause: [{ incident: 'cascade', source: 'rds', entity: 'database', within: '5m' }],
      remediation: [
        { incident: 'flood', outcome: 'waf-ip-blocked', within: '5m' },
        { incident: 'cascade', outcome: 'rds-parameter-raised', within: '8m', params: { parameter: 'max_connections', atLeast: 200 } },
      ],
    },
    ...over,
  };
}

const build = (input: ScenarioInput, seed?: string | number) =>
  compile(validateScenario(input, { now: NOW }), estate, { now: NOW, generators, ...(seed === undefined ? {} : { seed }) });

const fingerprint = (events: Iterable<GeneratedEvent>) => {
  const out: string[] = [];
  for (const e of events) out.push(`${e.time}|${destinationKey(e.dest)}|${e.label?.incidentId ?? ''}|${e.message}`);
  return out;
};

describe('compile', () => {
  it('places the drill before now, inside the CloudWatch Logs window, with phases in order', () => {
    const plan = build(drill());
    expect(plan.window.end).toBeLessThanOrEqual(NOW);
    expect(plan.window.start).toBe(NOW - 15 * 60_000 - 5 * 60_000);
    expect(plan.phases.map((p) => [p.name, (p.end - p.start) / 60_000])).toEqual([['warmup', 6], ['fault', 7], ['recovery', 2]]);
    expect(plan.seed).toBe('42');
    expect(plan.streams.map((s) => s.name)).toEqual(['background/waf', 'background/rds', 'background/app', 'background/ecs', 'incident/flood', 'incident/cascade']);
  });

  it('is deterministic, and a seed override changes the output', () => {
    const a = fingerprint(build(drill()).events());
    const b = fingerprint(build(drill()).events());
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    expect(fingerprint(build(drill(), 'other').events())).not.toEqual(a);
  });

  it('changing one stream never shifts another (named rng forks)', () => {
    const base = build(drill());
    const changed = build(drill({ background: [...drill().background.slice(0, 3), { source: 'ecs', rate: '90/m' }] }));
    const notEcs = (p: typeof base) => fingerprint([...p.events()].filter((e) => e.source !== 'ecs' || e.label));
    expect(notEcs(changed)).toEqual(notEcs(base));
  });

  it('resolves entities (chosen, drawn, described) and expectations', () => {
    const plan = build(drill());
    const flood = plan.incidents.find((i) => i.id === 'flood')!;
    expect(flood.entities.ip).toBe('198.51.100.7');
    expect(plan.expectations.detect[0]).toMatchObject({ incidentId: 'flood', kind: 'waf-http-flood', entity: { type: 'ip', value: '198.51.100.7' }, withinMs: 120_000, deadline: flood.window.start + 120_000 });
    expect(plan.expectations.detect[1]!.kind).toBe('root-cause');
    expect(plan.expectations.rootCause[0]!.root).toBe(`rds:${estate.rds.dbInstanceId}`);
    expect(plan.expectations.remediation[0]!.params).toEqual({ ip: '198.51.100.7' });
    expect(plan.expectations.remediation[1]!.params).toEqual({ parameter: 'max_connections', atLeast: 200, database: estate.rds.dbInstanceId });
    const evalInput = toEvaluationInput(plan);
    expect(evalInput.incidents.find((i) => i.id === 'cascade')).toMatchObject({ mustDetect: true, detectWithinSeconds: 300, expectedRootCause: `rds:${estate.rds.dbInstanceId}` });
    expect(evalInput.falsePositiveBudget).toBe(0);
  });

  it('draws pool entities reproducibly and honours `match`', () => {
    const input = drill({ incidents: [{ id: 'brute', kind: 'ec2-ssh-bruteforce', at: 'fault+1m', duration: '3m', entities: { instance: { pool: 'instances', match: 'bastion' }, ip: { pool: 'internetNoise' } } }], expect: {} });
    const a = build(input);
    const bastion = estate.instances.find((i) => i.name.endsWith('bastion'))!;
    expect(a.incidents[0]!.entities.instance).toBe(bastion.instanceId);
    expect(build(input).incidents[0]!.entities.ip).toBe(a.incidents[0]!.entities.ip);
  });

  it('reports generators that are not registered, and pools that match nothing, by path', () => {
    const input = drill({ incidents: [{ id: 'x', kind: 'waf-bad-bots', at: 'fault+1m', duration: '2m', entities: { instance: { pool: 'instances', match: 'nope' } } }], expect: {} });
    const scenario = validateScenario(input, { now: NOW });
    const partial = { background: { waf: fakeBackground('waf') }, incidents: {} };
    const err = (() => {
      try {
        compile(scenario, estate, { now: NOW, generators: partial });
      } catch (e) {
        return e as ScenarioValidationError;
      }
    })();
    expect(err).toBeInstanceOf(ScenarioValidationError);
    expect(err!.issues.map((i) => i.path)).toEqual(['background[1].source', 'background[2].source', 'background[3].source', 'incidents[0].kind']);
    expect(err!.issues[3]!.summary).toBe('no incident generator registered for `waf-bad-bots`');
    const err2 = (() => {
      try {
        compile(scenario, estate, { now: NOW, generators });
      } catch (e) {
        return e as ScenarioValidationError;
      }
    })();
    expect(err2!.issues[0]).toMatchObject({ path: 'incidents[0].entities.instance', summary: 'nothing in pool `instances` gives a `instance`' });
  });

  it('refuses a generator that breaks its contract', () => {
    const leaky = { ...generators, incidents: { ...generators.incidents, 'waf-http-flood': { ...generators.incidents['waf-http-flood']!, *generate() {
      yield { time: NOW - 19 * 60_000, source: 'waf' as const, dest: { kind: 'firehose' as const, deliveryStream: 'x' }, message: 'early', label: { incidentId: 'flood', kind: 'waf-http-flood' as const } };
    } } } };
    const plan = compile(validateScenario(drill(), { now: NOW }), estate, { now: NOW, generators: leaky });
    expect(() => [...plan.events()]).toThrow(GeneratorContractError);
  });

  it('restricts an incident to the sources the scenario names', () => {
    const input = drill({ incidents: [{ id: 'brute', kind: 'ec2-ssh-bruteforce', sources: ['ec2'], at: 'fault+1m', duration: '3m' }], expect: {} });
    const plan = build(input);
    const sources = new Set([...plan.events()].filter((e) => e.label).map((e) => e.source));
    expect([...sources]).toEqual(['ec2']);
    expect(plan.incidents[0]!.sources).toEqual(['ec2']);
  });

  it('offers per-destination streams in time order, and eventsFor agrees with byDestination', () => {
    const plan = build(drill());
    const byDest = plan.byDestination();
    let total = 0;
    for (const [key, slot] of byDest) {
      total += slot.events.length;
      for (let i = 1; i < slot.events.length; i++) expect(slot.events[i]!.time).toBeGreaterThanOrEqual(slot.events[i - 1]!.time);
      expect(slot.events.every((e) => destinationKey(e.dest) === key)).toBe(true);
    }
    expect(total).toBe([...plan.events()].length);
    const [firstKey, firstSlot] = [...byDest][0]!;
    expect([...plan.eventsFor(firstKey)]).toEqual(firstSlot.events);
  });
});

describe('timeline properties (fast-check)', () => {
  const arb = fc.record({
    seed: fc.integer({ min: 0, max: 1e6 }),
    warmup: fc.integer({ min: 2, max: 6 }),
    at: fc.integer({ min: 0, max: 3 }),
    len: fc.integer({ min: 4, max: 6 }),
    lag1: fc.integer({ min: 10, max: 90 }),
    lag2: fc.integer({ min: 10, max: 90 }),
  });

  it('events inside the window and chronological per destination; warm-up free of incident events; truth inside incident windows; cascade lags respected', () => {
    fc.assert(
      fc.property(arb, ({ seed, warmup, at, len, lag1, lag2 }) => {
        const input = drill({
          seed,
          phases: { warmup: `${warmup}m`, recovery: '1m' },
          incidents: [
            { id: 'flood', kind: 'waf-http-flood', at: `fault+${at}m`, duration: '2m' },
            { id: 'cascade', kind: 'rds-app-ecs-cascade', at: `fault+${at}m`, duration: `${len}m`, cascade: [{ from: 'rds', to: 'app', lag: `${lag1}s` }, { from: 'app', to: 'ecs', lag: `${lag2}s` }] },
          ],
          expect: {},
        });
        const plan = build(input);
        const warmEnd = plan.phases.find((p) => p.name === 'warmup')!.end;
        const last = new Map<string, number>();
        const firstByRole = new Map<string, number>();
        for (const e of plan.events()) {
          expect(e.time).toBeGreaterThanOrEqual(plan.window.start);
          expect(e.time).toBeLessThan(plan.window.end);
          const key = destinationKey(e.dest);
          expect(e.time).toBeGreaterThanOrEqual(last.get(key) ?? -Infinity);
          last.set(key, e.time);
          if (e.label) {
            expect(e.time).toBeGreaterThanOrEqual(warmEnd);
            if (e.label.incidentId === 'cascade' && !firstByRole.has(e.label.role!)) firstByRole.set(e.label.role!, e.time);
          }
        }
        for (const t of plan.truth()) {
          const inc = plan.incidents.find((i) => i.id === t.incidentId)!;
          expect(t.time).toBeGreaterThanOrEqual(inc.window.start);
          expect(t.time).toBeLessThan(inc.window.end);
        }
        const cascade = plan.incidents.find((i) => i.id === 'cascade')!;
        expect(cascade.cascade!.offsets).toEqual({ rds: 0, app: lag1 * 1000, ecs: (lag1 + lag2) * 1000 });
        const onset = cascade.window.start;
        expect(firstByRole.get('rds')!).toBeGreaterThanOrEqual(onset);
        if (firstByRole.has('app')) expect(firstByRole.get('app')!).toBeGreaterThanOrEqual(onset + lag1 * 1000);
        if (firstByRole.has('ecs')) expect(firstByRole.get('ecs')!).toBeGreaterThanOrEqual(onset + (lag1 + lag2) * 1000);
      }),
      { numRuns: 15 },
    );
  }, 90_000);
});
