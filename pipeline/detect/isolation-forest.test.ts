import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { averagePathLength, scoreIsolationForest, trainIsolationForest } from './isolation-forest.ts';

function cluster(n: number, seed: string): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => [rng.normal(0, 1), rng.normal(5, 0.5), rng.normal(-2, 2)]);
}

describe('isolation forest', () => {
  it('c(n) matches the paper', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(256)).toBeCloseTo(10.24, 1);
  });

  it('planted outliers score highest', () => {
    const inliers = cluster(500, 'in');
    const outliers = [[8, 5, -2], [0, 12, -2], [-7, -3, 9], [6, 9, 10]];
    const model = trainIsolationForest([...inliers, ...outliers], { seed: 1 });
    const scored = [...inliers, ...outliers].map((x, i) => ({ i, s: scoreIsolationForest(model, x) })).sort((a, b) => b.s - a.s);
    const top = new Set(scored.slice(0, outliers.length).map((x) => x.i));
    for (let k = 0; k < outliers.length; k++) expect(top.has(inliers.length + k)).toBe(true);
    for (const o of outliers) expect(scoreIsolationForest(model, o)).toBeGreaterThan(0.6);
    expect(scoreIsolationForest(model, [0, 5, -2])).toBeLessThan(0.5);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const rows = cluster(300, 'det');
    const a = trainIsolationForest(rows, { seed: 'x' });
    const b = trainIsolationForest(rows, { seed: 'x' });
    const c = trainIsolationForest(rows, { seed: 'y' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    expect(scoreIsolationForest(a, [3, 3, 3])).toBe(scoreIsolationForest(b, [3, 3, 3]));
  });

  it('scores lie in (0, 1] and the model survives a JSON round trip', () => {
    const rows = cluster(200, 'range');
    const m = trainIsolationForest(rows, { seed: 2, trees: 50 });
    const m2 = JSON.parse(JSON.stringify(m)) as typeof m;
    const rng = createRng('probe');
    for (let i = 0; i < 200; i++) {
      const x = [rng.normal(0, 10), rng.normal(0, 10), rng.normal(0, 10)];
      const s = scoreIsolationForest(m, x);
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThanOrEqual(1);
      expect(scoreIsolationForest(m2, x)).toBe(s);
    }
  });

  it('handles constant features and rejects bad input', () => {
    const m = trainIsolationForest(Array.from({ length: 50 }, () => [1, 1]), { seed: 3 });
    expect(scoreIsolationForest(m, [1, 1])).toBeLessThanOrEqual(1);
    expect(() => trainIsolationForest([])).toThrow(/at least one/);
    expect(() => scoreIsolationForest(m, [1])).toThrow(/expected 2 features/);
  });
});
