import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../../core/rng.ts';
import { arrivals, burstRate, constantRate, diurnalRate, expectedCount, noiseFactor, parseRate, productRates, rampRate, scaleRate, sumRates } from './index.ts';

const T0 = Date.UTC(2026, 4, 1, 0, 0, 0);
const H = 3_600_000;

describe('rate profiles', () => {
  it('parses rate strings', () => {
    expect(parseRate('2000/s')).toBe(2000);
    expect(parseRate('50/m')).toBeCloseTo(50 / 60);
    expect(parseRate('36/h')).toBeCloseTo(0.01);
    expect(parseRate('7')).toBe(7);
    expect(() => parseRate('fast')).toThrow(/expected: a rate such as 2000\/s/);
  });
  it('diurnal peaks at its peak hour and bounds itself', () => {
    const d = diurnalRate({ mean: 100, amplitude: 0.5, peakHour: 15 });
    expect(d.rateAt(T0 + 15 * H)).toBeCloseTo(150);
    expect(d.rateAt(T0 + 3 * H)).toBeCloseTo(50);
    fc.assert(fc.property(fc.integer({ min: 0, max: 48 * H }), fc.integer({ min: 1, max: 30 * H }), (a, len) => {
      const m = d.maxRate(T0 + a, T0 + a + len);
      for (let k = 0; k <= 20; k++) if (d.rateAt(T0 + a + (len * k) / 20) > m + 1e-9) return false;
      return true;
    }));
  });
  it('ramp, burst, sum, product and scale compose', () => {
    const p = sumRates(scaleRate(productRates(constantRate(10), noiseFactor({ seed: 's', sigma: 0.1 })), 2), burstRate({ start: T0 + 1000, end: T0 + 2000, rate: 100 }));
    expect(p.rateAt(T0 + 1500)).toBeGreaterThan(100);
    expect(p.rateAt(T0 + 2500)).toBeLessThan(30);
    expect(p.maxRate(T0, T0 + 3000)).toBeGreaterThanOrEqual(p.rateAt(T0 + 1500));
    const r = rampRate({ start: T0, end: T0 + 10_000, from: 0, to: 100 });
    expect(r.rateAt(T0 + 5000)).toBe(50);
    expect(r.rateAt(T0 + 20_000)).toBe(100);
  });
});

describe('arrivals', () => {
  it('yields integer, non-decreasing times inside the window', () => {
    fc.assert(fc.property(fc.integer(), fc.integer({ min: 1, max: 500 }), (seed, rate) => {
      const w = { start: T0, end: T0 + 30_000 };
      let prev = -Infinity;
      for (const t of arrivals(createRng(seed), diurnalRate({ mean: rate }), w)) {
        if (!Number.isInteger(t) || t < prev || t < w.start || t >= w.end) return false;
        prev = t;
      }
      return true;
    }), { numRuns: 50 });
  });
  it('matches the expected count of a thinned profile', () => {
    const profile = sumRates(constantRate(200), burstRate({ start: T0 + 60_000, end: T0 + 120_000, rate: 800 }));
    const w = { start: T0, end: T0 + 300_000 };
    let n = 0;
    for (const _t of arrivals(createRng(3), profile, w)) n++;
    const expected = expectedCount(profile, w);
    expect(expected).toBeCloseTo(200 * 300 + 800 * 60, -2);
    expect(Math.abs(n - expected) / expected).toBeLessThan(0.02);
  });
});
