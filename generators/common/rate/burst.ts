import type { RateProfile } from '../../types.ts';

export interface BurstOptions {
  /** Burst window, epoch ms, [start, end). */
  start: number;
  end: number;
  /** Extra events/s inside the window (0 outside). Add it to a base with sumRates. */
  rate: number;
}

/** Extra rate inside a window: the shape of most incidents (a flood, a scan, an error storm). */
export function burstRate(opts: BurstOptions): RateProfile {
  const { start, end, rate } = opts;
  if (!(end > start) || !(rate >= 0)) {
    throw new RangeError(`burstRate: expected end > start and rate >= 0, got start=${start} end=${end} rate=${rate}`);
  }
  return {
    rateAt: (t) => (t >= start && t < end ? rate : 0),
    maxRate: (a, b) => (a < end && b > start ? rate : 0),
  };
}
