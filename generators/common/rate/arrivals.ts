import type { Rng } from '../../../core/rng.ts';
import type { GenerateWindow, RateProfile } from '../../types.ts';

/** Thinning works per segment with a local bound, so a diurnal trough is not sampled at the peak rate. */
const SEGMENT_MS = 60_000;

/**
 * Event times (integer epoch ms, non-decreasing) of a non-homogeneous Poisson process with the given rate
 * profile inside [window.start, window.end), by Lewis–Shedler thinning. Pass a forked rng
 * (`rng.fork('arrivals')`) so that the times do not shift when the content generator draws differently.
 */
export function* arrivals(rng: Rng, profile: RateProfile, window: GenerateWindow): Generator<number, void, undefined> {
  const { start, end } = window;
  for (let segStart = start; segStart < end; segStart += SEGMENT_MS) {
    const segEnd = Math.min(end, segStart + SEGMENT_MS);
    const lambdaMax = profile.maxRate(segStart, segEnd);
    if (!(lambdaMax > 0)) continue;
    const meanGapMs = 1000 / lambdaMax;
    let t = segStart;
    while (true) {
      // Inverse-CDF exponential inline: this loop runs once per event at millions per second.
      t -= Math.log(1 - rng.next()) * meanGapMs;
      if (t >= segEnd) break;
      const r = profile.rateAt(t);
      // When the profile is at its bound there is nothing to thin; skipping the draw keeps constant rates cheap.
      if (r >= lambdaMax || rng.next() * lambdaMax < r) yield Math.floor(t);
    }
  }
}

/** The expected number of events of a profile in a window (numerical integral, one-second steps). */
export function expectedCount(profile: RateProfile, window: GenerateWindow): number {
  let n = 0;
  const step = Math.max(1000, Math.floor((window.end - window.start) / 100_000));
  for (let t = window.start; t < window.end; t += step) {
    n += (profile.rateAt(t + Math.min(step, window.end - t) / 2) * Math.min(step, window.end - t)) / 1000;
  }
  return n;
}
