import type { Rng } from '../../../core/index.ts';
import type { GenerateWindow, RateProfile } from '../../types.ts';

/** Thinning works per segment with a local bound, so a diurnal trough is not sampled at the peak rate. */
const SEGMENT_MS = 60_000;

/**
 * Event times of a non-homogeneous Poisson process, by Lewis–Shedler thinning, as a pull cursor:
 * `next()` returns the next time (integer epoch ms, non-decreasing) or -1 when the window is exhausted.
 * Hot loops use this directly; `arrivals()` wraps it as an iterable.
 */
export class ArrivalCursor {
  private readonly rng: Rng;
  private readonly profile: RateProfile;
  private readonly end: number;
  private segStart: number;
  private segEnd = 0;
  private lambdaMax = 0;
  private meanGapMs = 0;
  private t = 0;
  private done = false;

  constructor(rng: Rng, profile: RateProfile, window: GenerateWindow) {
    this.rng = rng;
    this.profile = profile;
    this.end = window.end;
    this.segStart = window.start;
    this.openSegment();
  }

  private openSegment(): void {
    while (this.segStart < this.end) {
      this.segEnd = Math.min(this.end, this.segStart + SEGMENT_MS);
      this.lambdaMax = this.profile.maxRate(this.segStart, this.segEnd);
      this.t = this.segStart;
      if (this.lambdaMax > 0) {
        this.meanGapMs = 1000 / this.lambdaMax;
        return;
      }
      this.segStart = this.segEnd;
    }
    this.done = true;
  }

  next(): number {
    while (!this.done) {
      // Inverse-CDF exponential inline: this runs once per event at millions per second.
      this.t -= Math.log(1 - this.rng.next()) * this.meanGapMs;
      if (this.t >= this.segEnd) {
        this.segStart = this.segEnd;
        this.openSegment();
        continue;
      }
      const r = this.profile.rateAt(this.t);
      // At the bound there is nothing to thin; skipping the draw keeps constant rates cheap.
      if (r >= this.lambdaMax || this.rng.next() * this.lambdaMax < r) return Math.floor(this.t);
    }
    return -1;
  }
}

/**
 * Event times (integer epoch ms, non-decreasing) of a Poisson process with the given rate profile inside
 * [window.start, window.end). Pass a forked rng (`rng.fork('arrivals')`) so that the times do not shift
 * when the content generator draws differently.
 */
export function* arrivals(rng: Rng, profile: RateProfile, window: GenerateWindow): Generator<number, void, undefined> {
  const c = new ArrivalCursor(rng, profile, window);
  for (let t = c.next(); t >= 0; t = c.next()) yield t;
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
