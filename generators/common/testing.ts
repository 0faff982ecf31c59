/**
 * Determinism snapshots shared by every source's tests. Not exported from common/index.ts: it imports
 * vitest and the registries, neither of which production code should load.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/index.ts';
import { defaultTopology, syntheticEstate } from '../../core/topology/index.ts';
import type { IncidentKind, SourceName } from '../../core/index.ts';
import type { EntityPools, GeneratedEvent } from '../types.ts';
import { backgroundGenerators, incidentGenerators } from '../registry.ts';
import { buildPools } from './pools.ts';
import { constantRate } from './rate/index.ts';
import { destinationKey } from './truth.ts';

export type GeneratorRef = { background: SourceName } | { incident: IncidentKind };

/** The name a determinism suite is registered under; registry.test.ts looks for it in snapshot files. */
export function determinismName(ref: GeneratorRef): string {
  return 'background' in ref ? `background:${ref.background}` : `incident:${ref.incident}`;
}

export interface SampleOptions {
  seed?: number | string;
  /** Events to take (default 500). */
  count?: number;
  /** First lines kept verbatim in the sample (default 3). */
  headLines?: number;
  /** Background: events/s of the constant rate (default 200). Incident: ignored. */
  rate?: number;
  /** Passed to the generator (background `options` / incident `params`). */
  options?: Record<string, unknown>;
  /** Incident intensity (default 1). */
  intensity?: number;
}

export interface DeterminismSample {
  count: number;
  /** SHA-256 over time, destination, label and message of every event taken. */
  digest: string;
  head: string[];
}

/** A fixed start (2026-05-01T12:00:00Z) so snapshots do not depend on the day they were taken. */
export const SAMPLE_START = Date.UTC(2026, 4, 1, 12, 0, 0);

/** The pools every sample uses: synthetic estate of the default topology, pools forked from the seed. */
export function samplePools(seed: number | string): EntityPools {
  const topology = defaultTopology();
  const estate = syntheticEstate(topology);
  return buildPools(createRng(seed).fork('pools'), estate, topology);
}

/** The first `count` events of a registered generator for a fixed seed. */
export function sampleEvents(ref: GeneratorRef, opts: SampleOptions = {}): GeneratedEvent[] {
  const seed = opts.seed ?? 42;
  const count = opts.count ?? 500;
  const pools = samplePools(seed);
  const rng = createRng(seed);
  let events: Iterable<GeneratedEvent>;
  if ('background' in ref) {
    const gen = backgroundGenerators[ref.background];
    if (!gen) throw new Error(`no background generator registered for ${ref.background}`);
    const rate = opts.rate ?? 200;
    // Twice the expected duration: Poisson counts vary, and the sample must reach `count`.
    const end = SAMPLE_START + Math.ceil((2 * count * 1000) / rate) + 60_000;
    events = gen.generate(rng.fork(`background/${ref.background}`), pools, {
      window: { start: SAMPLE_START, end },
      rate: constantRate(rate),
      ...(opts.options ? { options: opts.options } : {}),
    });
  } else {
    const gen = incidentGenerators[ref.incident];
    if (!gen) throw new Error(`no incident generator registered for ${ref.incident}`);
    events = gen.generate(rng.fork(`incident/${ref.incident}`), pools, {
      incidentId: 'inc-0001',
      kind: ref.incident,
      window: { start: SAMPLE_START, end: SAMPLE_START + 10 * 60_000 },
      intensity: opts.intensity ?? 1,
      entities: {},
      ...(opts.options ? { params: opts.options } : {}),
    });
  }
  const out: GeneratedEvent[] = [];
  for (const e of events) {
    out.push(e);
    if (out.length >= count) break;
  }
  return out;
}

/** A stable digest plus the first lines, for toMatchSnapshot. */
export function determinismSample(ref: GeneratorRef, opts: SampleOptions = {}): DeterminismSample {
  const events = sampleEvents(ref, opts);
  const h = createHash('sha256');
  for (const e of events) {
    h.update(`${e.time}\t${destinationKey(e.dest)}\t${e.label ? `${e.label.incidentId}/${e.label.kind}/${e.label.role ?? ''}` : ''}\t${e.message}\n`);
  }
  return { count: events.length, digest: h.digest('hex'), head: events.slice(0, opts.headLines ?? 3).map((e) => e.message) };
}

/**
 * Registers the determinism suite of one generator: snapshots for a few fixed seeds, same seed twice →
 * identical, different seeds → different. Call it once per registered generator from the source's tests.
 */
export function determinismSuite(ref: GeneratorRef, opts: Omit<SampleOptions, 'seed'> & { seeds?: readonly (number | string)[] } = {}): void {
  const seeds = opts.seeds ?? [1, 42];
  describe(`determinism ${determinismName(ref)}`, () => {
    for (const seed of seeds) {
      it(`seed ${seed}`, () => {
        expect(determinismSample(ref, { ...opts, seed })).toMatchSnapshot();
      });
    }
    it('same seed → byte-identical, other seed → different', () => {
      const a = determinismSample(ref, { ...opts, seed: 7 });
      const b = determinismSample(ref, { ...opts, seed: 7 });
      const c = determinismSample(ref, { ...opts, seed: 8 });
      expect(b).toEqual(a);
      expect(c.digest).not.toBe(a.digest);
      expect(a.count).toBeGreaterThan(0);
    });
  });
}
