import type { Rng } from '../../core/index.ts';

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

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * A log-normal sampler from a quantile table: one rng draw, a lookup and a linear interpolation instead of
 * Box–Muller's log, sqrt and cos. The tail is cut at the 1/(2·size) quantile (z ≈ 3.7 for 4096), which is
 * far beyond what any detector baseline sees.
 */
export class LogNormalTable {
  private readonly q: Float64Array;
  private readonly size: number;
  constructor(median: number, sigma: number, size = 4096) {
    this.size = size;
    this.q = new Float64Array(size + 1);
    for (let i = 0; i <= size; i++) this.q[i] = median * Math.exp(sigma * normalQuantile(Math.min(1 - 0.5 / size, Math.max(0.5 / size, i / size))));
  }
  sample(rng: Rng): number {
    const u = rng.next() * this.size;
    const i = u | 0;
    const lo = this.q[i]!;
    return lo + (this.q[i + 1]! - lo) * (u - i);
  }
}
