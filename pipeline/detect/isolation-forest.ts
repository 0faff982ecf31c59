import { createRng, type Rng } from '../../core/index.ts';

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
  // Pick a random feature and split uniformly between its min and max in this node (the paper's rule);
  // a feature constant here is skipped by trying the others in a random rotation, and a node constant on
  // every feature is a leaf.
  const offset = Math.floor(rng.next() * dims);
  for (let k = 0; k < dims; k++) {
    const f = (offset + k) % dims;
    let lo = Infinity, hi = -Infinity;
    for (const r of rows) {
      const x = r[f]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (!(hi > lo)) continue;
    const v = lo + rng.next() * (hi - lo);
    const left: number[][] = [];
    const right: number[][] = [];
    for (const r of rows) (r[f]! < v ? left : right).push(r);
    return { f, v, l: buildTree(rng, left, depth + 1, limit), r: buildTree(rng, right, depth + 1, limit) };
  }
  return { size: rows.length };
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

/**
 * Trees flattened into typed arrays for scoring (the JSON-friendly node objects stay the model's public
 * form): one pass over monomorphic arrays is several times faster than chasing objects.
 */
interface CompiledForest {
  roots: Int32Array;
  feature: Int32Array; // -1 for leaves
  value: Float64Array; // split value, or the leaf's c(size) correction
  left: Int32Array;
  right: Int32Array;
}
const compiled = new WeakMap<IsolationForestModel, CompiledForest>();

function compile(model: IsolationForestModel): CompiledForest {
  let n = 0;
  const count = (t: IsoNode): number => ('f' in t ? 1 + count(t.l) + count(t.r) : 1);
  for (const t of model.trees) n += count(t);
  const c: CompiledForest = { roots: new Int32Array(model.trees.length), feature: new Int32Array(n), value: new Float64Array(n), left: new Int32Array(n), right: new Int32Array(n) };
  let next = 0;
  const put = (t: IsoNode): number => {
    const i = next++;
    if ('f' in t) {
      c.feature[i] = t.f;
      c.value[i] = t.v;
      c.left[i] = put(t.l);
      c.right[i] = put(t.r);
    } else {
      c.feature[i] = -1;
      // An unsplit leaf of size > 1 stands for a subtree we did not grow: add its expected depth.
      c.value[i] = averagePathLength(t.size);
    }
    return i;
  };
  model.trees.forEach((t, k) => (c.roots[k] = put(t)));
  return c;
}

/** Anomaly score in (0, 1]. */
export function scoreIsolationForest(model: IsolationForestModel, x: readonly number[]): number {
  if (x.length !== model.dims) throw new RangeError(`scoreIsolationForest: expected ${model.dims} features, got ${x.length}`);
  let c = compiled.get(model);
  if (!c) compiled.set(model, (c = compile(model)));
  const { roots, feature, value, left, right } = c;
  let total = 0;
  for (let k = 0; k < roots.length; k++) {
    let i = roots[k]!;
    let d = 0;
    while (feature[i]! >= 0) {
      i = x[feature[i]!]! < value[i]! ? left[i]! : right[i]!;
      d++;
    }
    total += d + value[i]!;
  }
  const norm = averagePathLength(model.sampleSize);
  return norm === 0 ? 0.5 : Math.pow(2, -(total / roots.length) / norm);
}
