import type { Rng } from '../../core/rng.ts';

/**
 * Weighted sampling in O(1) per draw (Vose's alias method). rng.weighted is O(n) per draw, which is
 * fine for a handful of choices but not for picking one of thousands of clients a million times a second.
 */
export class AliasSampler {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  readonly size: number;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    if (n === 0) throw new RangeError('AliasSampler: expected at least one weight, got none');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (const w of weights) {
      if (!(w >= 0)) throw new RangeError(`AliasSampler: expected weights >= 0, got ${w}`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError('AliasSampler: expected a positive total weight, got 0');
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [], large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length && large.length) {
      const s = small.pop()!, l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  /** An index in [0, size), drawn with one rng call. */
  sample(rng: Rng): number {
    const u = rng.next() * this.size;
    const i = u | 0;
    return u - i < this.prob[i]! ? i : this.alias[i]!;
  }
}

/** Zipf-like weights 1/(rank+1)^s: a few heavy hitters and a long tail, as real clients and flows are. */
export function zipfWeights(n: number, s = 1.1): number[] {
  return Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));
}
