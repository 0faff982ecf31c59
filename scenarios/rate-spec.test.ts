import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildRateProfile } from './rate-spec.ts';
import { phaseSpans } from './schema/timeline-checks.ts';

const START = Date.parse('2026-11-21T10:00:00Z');
const phases = phaseSpans({ duration: '20m', phases: { warmup: '5m' } });
const ctx = { start: START, phases, seed: 'test' };
const min = 60_000;

describe('rate profiles from the scenario', () => {
  it('a string is a constant rate', () => {
    const p = buildRateProfile('300/m', ctx);
    expect(p.rateAt(START)).toBe(5);
    expect(p.maxRate(START, START + min)).toBe(5);
  });

  it('ramps climb, hold and come back; bursts add on top', () => {
    const p = buildRateProfile({ base: '60/m', ramps: [{ at: 'fault+0m', duration: '2m', to: 3, hold: '4m' }], bursts: [{ at: '15m', duration: '1m', rate: '120/m' }] }, ctx);
    expect(p.rateAt(START + 4 * min)).toBe(1);
    expect(p.rateAt(START + 6 * min)).toBeCloseTo(2);
    expect(p.rateAt(START + 9 * min)).toBe(3);
    expect(p.rateAt(START + 12 * min)).toBeCloseTo(2);
    expect(p.rateAt(START + 14 * min)).toBe(1);
    expect(p.rateAt(START + 15.5 * min)).toBe(3);
    expect(p.rateAt(START + 17 * min)).toBe(1);
  });

  it('maxRate bounds rateAt on any interval (thinning relies on it)', () => {
    const p = buildRateProfile({ base: '100/m', diurnal: { amplitude: 0.5, peakHour: 10 }, jitter: 0.2, ramps: [{ at: '6m', duration: '1m', to: 4, hold: '2m' }], bursts: [{ at: '8m', duration: '30s', rate: '300/m' }] }, ctx);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * min }), fc.integer({ min: 1, max: 5 * min }), fc.double({ min: 0, max: 1, noNaN: true }), (a, len, u) => {
        const from = START + a;
        const to = from + len;
        const t = from + u * len;
        expect(p.rateAt(t)).toBeLessThanOrEqual(p.maxRate(from, to) + 1e-9);
      }),
    );
  });
});
