import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { ForestModels } from './forest-models.ts';
import type { ForestSourceState } from './generic-detectors.ts';
import { scoreIsolationForest, trainIsolationForest } from './isolation-forest.ts';

function snapshot(version: number, rows = 80): ForestSourceState {
  const rng = createRng(`rows-${version}`);
  const snap = Array.from({ length: rows }, () => [rng.normal(0, 1), rng.normal(3, 1)]);
  return { rows: snap, seen: rows, version, snapshot: snap, snapshotVersion: version };
}

describe('ForestModels', () => {
  it('trains nothing on a snapshot too small to judge by', () => {
    const models = new ForestModels();
    expect(models.model('waf', snapshot(1, 63), 's')).toBeUndefined();
    expect(models.model('waf', { rows: [], seen: 0, version: 0 }, 's')).toBeUndefined();
    expect(models.size).toBe(0);
  });

  it('reuses the model of an unchanged snapshot and keeps one model per seed and source as snapshots move on', () => {
    const models = new ForestModels();
    const first = models.model('waf', snapshot(10), 's');
    expect(models.model('waf', snapshot(10), 's')).toBe(first);
    // Ten learning windows later the snapshot is refrozen: a new model replaces the old one instead of joining it.
    for (let v = 20; v <= 400; v += 10) {
      models.model('waf', snapshot(v), 's');
      models.model('vpcflow', snapshot(v), 's');
    }
    expect(models.size).toBe(2);
    models.model('waf', snapshot(400), 'other seed');
    expect(models.size).toBe(3);
  });

  it('gives the model training that snapshot directly would, so caching changes no score', () => {
    const models = new ForestModels();
    const st = snapshot(30);
    models.model('waf', snapshot(20), 's');
    const cached = models.model('waf', st, 's')!;
    const direct = trainIsolationForest(st.snapshot!, { seed: 's|waf|30|80', trees: 100, sampleSize: 256 });
    for (const x of [[0, 3], [5, -4], [-2, 8]]) expect(scoreIsolationForest(cached, x)).toBe(scoreIsolationForest(direct, x));
  });
});
