import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultTopology, syntheticEstate } from '../../core/topology/index.ts';
import { compile, loadScenario } from '../../scenarios/index.ts';
import { planTick } from './plan-tick.ts';
import { tickScenario } from './tick-scenario.ts';

const file = resolve('scenarios/waf-http-flood.yaml');
const topology = defaultTopology();
const estate = syntheticEstate(topology);
const NOW = Date.parse('2026-11-21T12:00:00.010Z');

async function tickEvents(tick: number, now: number, withFlood: boolean, seed = 'unit') {
  const scenario = await loadScenario(file);
  const plan = planTick(tick, now, 10_000, seed);
  const chosen = withFlood ? scenario.incidents.map(({ at: _a, duration: _d, ...t }) => t) : [];
  const compiled = compile(tickScenario(scenario, plan, chosen), estate, { topology, file, seed });
  return { plan, compiled, events: [...compiled.events()] };
}

describe('tickScenario', () => {
  it('generates exactly the slice, with the chosen incident across all of it, labelled with a per-tick id', async () => {
    const { plan, compiled, events } = await tickEvents(4, NOW, true);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.time >= plan.start && e.time < plan.end)).toBe(true);
    expect(compiled.incidents).toHaveLength(1);
    expect(compiled.incidents[0]).toMatchObject({ id: 'flood-t4', kind: 'waf-http-flood', window: { start: plan.start, end: plan.end } });
    const labelled = events.filter((e) => e.label);
    expect(labelled.length).toBeGreaterThan(0);
    expect(new Set(labelled.map((e) => e.label!.incidentId))).toEqual(new Set(['flood-t4']));
    expect(compiled.expectations.detect).toEqual([]);
  });

  it('background only when nothing is chosen; ramps and bursts of the drill timeline are dropped', async () => {
    const { events } = await tickEvents(0, NOW, false);
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => e.label)).toBe(false);
    const scenario = await loadScenario(resolve('scenarios/bad-day.yaml'));
    const cut = tickScenario(scenario, planTick(0, NOW, 60_000, 1), []);
    for (const b of cut.background) if (b.rate && typeof b.rate !== 'string') expect(b.rate.ramps ?? b.rate.bursts).toBeUndefined();
    expect(new Set(cut.background.map((b) => b.name)).size).toBe(cut.background.length);
  });

  it('is deterministic per (seed, tick), and differs between ticks and seeds', async () => {
    const lines = async (tick: number, seed: string) => (await tickEvents(tick, NOW, true, seed)).events.map((e) => `${e.time - planTick(tick, NOW, 10_000, seed).start} ${e.message.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z|\b\d{10,13}\b/g, 'T')}`);
    expect(await lines(1, 'a')).toEqual(await lines(1, 'a'));
    expect(await lines(2, 'a')).not.toEqual(await lines(1, 'a'));
    expect(await lines(1, 'b')).not.toEqual(await lines(1, 'a'));
  });
});
