import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { baselineStats, createBaseline, dynamicThreshold, isWarm, robustZ, updateBaseline } from './baselines.ts';

describe('baselines', () => {
  it('learns mean and spread, knows when it is warm', () => {
    const b = createBaseline();
    const rng = createRng('b');
    expect(isWarm(b, 5)).toBe(false);
    for (let i = 0; i < 200; i++) updateBaseline(b, rng.normal(100, 10));
    expect(isWarm(b, 5)).toBe(true);
    const s = baselineStats(b);
    expect(s.mean).toBeGreaterThan(90);
    expect(s.mean).toBeLessThan(110);
    expect(s.median).toBeGreaterThan(90);
    expect(s.mad).toBeGreaterThan(5);
    expect(s.mad).toBeLessThan(20);
    expect(robustZ(b, 100)).toBeLessThan(2);
    expect(robustZ(b, 300)).toBeGreaterThan(8);
  });

  it('a single spike does not move the median/MAD threshold much', () => {
    const b = createBaseline();
    for (let i = 0; i < 50; i++) updateBaseline(b, 10 + (i % 3));
    const before = dynamicThreshold(b, { floor: 1 });
    updateBaseline(b, 1000);
    expect(baselineStats(b).median).toBe(11);
    expect(before).toBeGreaterThan(11);
  });

  it('thresholds: floor when empty, relative when learned', () => {
    expect(dynamicThreshold(undefined, { floor: 7 })).toBe(7);
    const b = createBaseline();
    for (let i = 0; i < 30; i++) updateBaseline(b, 100);
    expect(dynamicThreshold(b, { floor: 7, ratio: 3 })).toBeGreaterThanOrEqual(300);
    const zero = createBaseline();
    for (let i = 0; i < 30; i++) updateBaseline(zero, 0);
    expect(dynamicThreshold(zero, { floor: 1, z: 4, minSd: 0.25 })).toBe(1);
  });

  it('serializes as plain JSON and ignores non-finite values', () => {
    const b = createBaseline({ capacity: 4 });
    for (const x of [1, 2, 3, 4, 5, NaN]) updateBaseline(b, x);
    const c = JSON.parse(JSON.stringify(b)) as typeof b;
    expect(c).toEqual(b);
    expect(b.n).toBe(5);
    expect(b.ring.sort()).toEqual([2, 3, 4, 5]);
  });
});
