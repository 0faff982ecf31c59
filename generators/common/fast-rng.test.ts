import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../core/rng.ts';
import { fastRng } from './fast-rng.ts';
import { LogNormalTable, normalQuantile } from './sampler.ts';

describe('FastRng', () => {
  it('is a pure function of the core rng it is drawn from, and forks by name', () => {
    const a = fastRng(createRng('s').fork('x'));
    const b = fastRng(createRng('s').fork('x'));
    expect(Array.from({ length: 10 }, () => a.next())).toEqual(Array.from({ length: 10 }, () => b.next()));
    expect(a.fork('y').next()).toBe(fastRng(createRng('s').fork('x')).fork('y').next());
    expect(a.fork('y').next()).not.toBe(a.fork('z').next());
  });
  it('draws uniformly in [0, 1) and keeps int() in bounds', () => {
    fc.assert(fc.property(fc.integer(), (seed) => {
      const r = fastRng(createRng(seed));
      let sum = 0;
      for (let i = 0; i < 2000; i++) {
        const v = r.next();
        if (v < 0 || v >= 1) return false;
        sum += v;
        const k = r.int(3, 7);
        if (k < 3 || k > 7) return false;
      }
      return Math.abs(sum / 2000 - 0.5) < 0.05;
    }), { numRuns: 30 });
  });
});

describe('LogNormalTable', () => {
  it('has the requested median and spread', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    const t = new LogNormalTable(1000, 1);
    const r = fastRng(createRng(1));
    const xs = Array.from({ length: 20000 }, () => t.sample(r)).sort((a, b) => a - b);
    expect(xs[10000]! / 1000).toBeGreaterThan(0.95);
    expect(xs[10000]! / 1000).toBeLessThan(1.05);
    expect(Math.log(xs[16827]! / xs[10000]!)).toBeCloseTo(1, 1);
  });
});
