/**
 * Robust streaming baselines. Two estimators side by side because they fail differently: EWMA (with an
 * exponentially weighted variance) follows slow drift; median/MAD over a ring buffer ignores the odd spike.
 * A value is anomalous only when both agree it is far out, which keeps normal variation quiet.
 * Plain JSON objects so detector state serializes as is.
 */
export interface BaselineState {
  /** Observations folded in so far (warm-up awareness: see `isWarm`). */
  n: number;
  mean: number;
  variance: number;
  /** Last `capacity` observations (ring buffer), for median/MAD. */
  ring: number[];
  head: number;
  capacity: number;
  alpha: number;
}

export interface BaselineOptions {
  /** EWMA smoothing factor (default 0.1 ≈ the last 20 windows). */
  alpha?: number;
  /** Ring buffer size for median/MAD (default 60). */
  capacity?: number;
}

export function createBaseline(opts: BaselineOptions = {}): BaselineState {
  return { n: 0, mean: 0, variance: 0, ring: [], head: 0, capacity: opts.capacity ?? 60, alpha: opts.alpha ?? 0.1 };
}

/** Folds one observation in. Returns the same (mutated) object for convenience. */
export function updateBaseline(b: BaselineState, x: number): BaselineState {
  if (!Number.isFinite(x)) return b;
  if (b.n === 0) {
    b.mean = x;
    b.variance = 0;
  } else {
    // During the first windows a plain running mean converges faster than a small alpha would.
    const a = Math.max(b.alpha, 1 / (b.n + 1));
    const diff = x - b.mean;
    const incr = a * diff;
    b.mean += incr;
    b.variance = (1 - a) * (b.variance + diff * incr);
  }
  b.n++;
  if (b.ring.length < b.capacity) b.ring.push(x);
  else b.ring[b.head] = x;
  b.head = (b.head + 1) % b.capacity;
  return b;
}

export function isWarm(b: BaselineState | undefined, minHistory: number): boolean {
  return b !== undefined && b.n >= minHistory;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface BaselineStats {
  n: number;
  mean: number;
  sd: number;
  median: number;
  /** MAD scaled by 1.4826 so it estimates σ for normal data. */
  mad: number;
  max: number;
}

export function baselineStats(b: BaselineState): BaselineStats {
  const med = median(b.ring);
  const mad = 1.4826 * median(b.ring.map((x) => Math.abs(x - med)));
  return { n: b.n, mean: b.mean, sd: Math.sqrt(Math.max(b.variance, 0)), median: med, mad, max: b.ring.length ? Math.max(...b.ring) : 0 };
}

/**
 * How far above normal x is, in robust σ: the smaller of the EWMA z and the median/MAD z, each with a
 * floor on σ (`minSd`, and √mean for counts, Poisson-style) so a flat baseline does not make every +1 infinite.
 */
export function robustZ(b: BaselineState, x: number, minSd = 1): number {
  const s = baselineStats(b);
  const poisson = Math.sqrt(Math.max(s.mean, 0));
  const sd1 = Math.max(s.sd, minSd, poisson);
  const sd2 = Math.max(s.mad, minSd, poisson);
  return Math.min((x - s.mean) / sd1, (x - s.median) / sd2);
}

/**
 * The count above which a window is abnormal: at least `floor`, at least `ratio` × the usual level, and
 * `z` robust σ above it. Thresholds stay relative to what the data taught, never to a scenario's values.
 */
export function dynamicThreshold(b: BaselineState | undefined, opts: { floor: number; ratio?: number; z?: number; minSd?: number }): number {
  if (!b || b.n === 0) return opts.floor;
  const s = baselineStats(b);
  const level = Math.max(s.mean, s.median);
  const sd = Math.max(s.sd, s.mad, opts.minSd ?? 1, Math.sqrt(Math.max(level, 0)));
  return Math.max(opts.floor, level * (opts.ratio ?? 3), level + (opts.z ?? 6) * sd);
}
