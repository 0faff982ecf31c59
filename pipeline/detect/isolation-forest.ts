import { createRng, type Rng } from '../../core/rng.ts';

/**
 * Isolation Forest (Liu, Ting & Zhou 2008), the model ../shared/seeds/000 and 002 use, in TypeScript with a
 * seeded RNG so the same (seed, training data) always gives the same trees and the same scores.
 * Score s(x) = 2^(-E[h(x)] / c(ψ)): close to 1 for points isolated in few splits, ~0.5 or below for inliers.
 */
export interface IsolationForestOptions {
  /** Number of trees (default 100, as in the paper and scikit-learn). */
  trees?: number;
  /** Sub-sample size ψ per tree (default 256). */
  sampleSize?: number;
  seed?: string | number;
}

/** A tree node in a flat, JSON-friendly form: internal nodes split, leaves carry their size. */
export type IsoNode =
  | { f: number; v: number; l: IsoNode; r: IsoNode }
  | { size: number };

export interface IsolationForestModel {
  sampleSize: number;
  dims: number;
  trees: IsoNode[];
}

const EULER = 0.5772156649;

/** Average path length of an unsuccessful BST search over n points: the normaliser c(n). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER) - (2 * (n - 1)) / n;
}

function buildTree(rng: Rng, rows: number[][], depth: number, limit: number): IsoNode {
  if (depth >= limit || rows.length <= 1) return { size: rows.length };
  const dims = rows[0]!.length;
  // Only split on features that still vary in this node; a constant node is a leaf.
  const candidates: number[] = [];
  const mins: number[] = [];
  const maxs: number[] = [];
  for (let f = 0; f < dims; f++) {
    let lo = Infinity, hi = -Infinity;
    for (const r of rows) {
      const x = r[f]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    mins[f] = lo;
    maxs[f] = hi;
    if (hi > lo) candidates.push(f);
  }
  if (candidates.length === 0) return { size: rows.length };
  const f = rng.pick(candidates);
  const v = mins[f]! + rng.next() * (maxs[f]! - mins[f]!);
  const left: number[][] = [];
  const right: number[][] = [];
  for (const r of rows) (r[f]! < v ? left : right).push(r);
  return { f, v, l: buildTree(rng, left, depth + 1, limit), r: buildTree(rng, right, depth + 1, limit) };
}

export function trainIsolationForest(rows: readonly number[][], opts: IsolationForestOptions = {}): IsolationForestModel {
  if (rows.length === 0) throw new RangeError('trainIsolationForest: expected at least one training row, got none');
  const dims = rows[0]!.length;
  for (const r of rows) {
    if (r.length !== dims) throw new RangeError(`trainIsolationForest: expected rows of ${dims} features, got one of ${r.length}`);
  }
  const rng = createRng(`${opts.seed ?? 'iforest'}/isolation-forest`);
  const trees = opts.trees ?? 100;
  const psi = Math.min(opts.sampleSize ?? 256, rows.length);
  const limit = Math.ceil(Math.log2(Math.max(psi, 2)));
  const out: IsoNode[] = [];
  for (let t = 0; t < trees; t++) {
    const treeRng = rng.fork(`tree-${t}`);
    // Sampling without replacement (partial Fisher-Yates over indices).
    const idx = rows.map((_, i) => i);
    for (let i = 0; i < psi; i++) {
      const j = i + Math.floor(treeRng.next() * (idx.length - i));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    out.push(buildTree(treeRng, idx.slice(0, psi).map((i) => rows[i]!), 0, limit));
  }
  return { sampleSize: psi, dims, trees: out };
}

function pathLength(node: IsoNode, x: readonly number[], depth: number): number {
  let n = node;
  let d = depth;
  while ('f' in n) {
    n = x[n.f]! < n.v ? n.l : n.r;
    d++;
  }
  // An unsplit leaf of size > 1 stands for a subtree we did not grow: add its expected depth.
  return d + averagePathLength(n.size);
}

/** Anomaly score in (0, 1]. */
export function scoreIsolationForest(model: IsolationForestModel, x: readonly number[]): number {
  if (x.length !== model.dims) throw new RangeError(`scoreIsolationForest: expected ${model.dims} features, got ${x.length}`);
  let total = 0;
  for (const t of model.trees) total += pathLength(t, x, 0);
  const mean = total / model.trees.length;
  const c = averagePathLength(model.sampleSize);
  return c === 0 ? 0.5 : Math.pow(2, -mean / c);
}
