import type { RateProfile } from '../../types.ts';

export interface NoiseOptions {
  /** Seed of the noise (use the stream's rng.seed): same seed → same wiggles. */
  seed: string;
  /** Relative standard deviation of the multiplier per step, e.g. 0.15. */
  sigma: number;
  /** Length of a step, ms (the multiplier is constant within a step). Default one minute. */
  stepMs?: number;
}

function hash01(seed: string, step: number): number {
  let h = 2166136261 ^ step;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * A dimensionless multiplier (mean ≈ 1) that wiggles per step, to multiply into a base profile. It is a
 * pure function of (seed, step index) rather than of an rng's draw count, so generating a sub-window gives
 * the same rates as generating the whole day.
 */
export function noiseFactor(opts: NoiseOptions): RateProfile {
  const step = opts.stepMs ?? 60_000;
  const sigma = opts.sigma;
  if (!(sigma >= 0 && sigma < 1) || !(step > 0)) {
    throw new RangeError(`noiseFactor: expected 0 <= sigma < 1 and stepMs > 0, got sigma=${sigma} stepMs=${step}`);
  }
  // Uniform on [1 − √3σ, 1 + √3σ] has mean 1 and standard deviation σ; bounded, so maxRate is exact.
  const half = Math.min(0.99, Math.sqrt(3) * sigma);
  return {
    rateAt: (t) => 1 - half + 2 * half * hash01(opts.seed, Math.floor(t / step)),
    maxRate: () => 1 + half,
  };
}
