import type { SourceName } from '../../core/index.ts';
import type { ForestSourceState } from './generic-detectors.ts';
import { trainIsolationForest, type IsolationForestModel } from './isolation-forest.ts';

/** A detector keeps one forest per source; a process that runs detectors of a few seeds (tests, evaluations) a few more. */
const MAX_CACHED = 16;

/**
 * The Isolation Forest of a source's frozen snapshot, trained once and kept between windows (100 trees are about
 * 0.5 MB of node objects, plus their compiled arrays). Only the current snapshot's model is kept per seed and
 * source: a model trained on an older snapshot is never scored again (snapshots only move forward), so keeping it
 * made the cache grow with the drill's length — every ten learning windows, one more model per source — until a
 * cap of 33 models. Retraining the same snapshot gives the same trees (its key seeds them), so what is cached
 * changes only speed, never a score.
 */
export class ForestModels {
  private readonly current = new Map<string, { key: string; model: IsolationForestModel }>();

  model(source: SourceName, st: ForestSourceState, seed: string): IsolationForestModel | undefined {
    if (!st.snapshot || st.snapshot.length < 64) return undefined;
    const slot = `${seed}|${source}`;
    const key = `${slot}|${st.snapshotVersion}|${st.snapshot.length}`;
    const had = this.current.get(slot);
    if (had?.key === key) return had.model;
    // Let go of the old model before training its successor, so both are never held at once.
    this.current.delete(slot);
    const model = trainIsolationForest(st.snapshot, { seed: key, trees: 100, sampleSize: 256 });
    if (this.current.size >= MAX_CACHED) this.current.clear();
    this.current.set(slot, { key, model });
    return model;
  }

  /** Models held (for tests). */
  get size(): number {
    return this.current.size;
  }
}
