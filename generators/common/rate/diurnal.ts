import type { RateProfile } from '../../types.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface DiurnalOptions {
  /** Mean rate over a day (events/s). */
  mean: number;
  /** Relative swing, 0..1: the peak is mean × (1 + amplitude), the trough mean × (1 − amplitude). */
  amplitude?: number;
  /** UTC hour (0..24, fractional allowed) at which the rate peaks. */
  peakHour?: number;
}

/**
 * A sinusoid over the UTC day. Real web and API traffic follows the working day; a detector that learns a
 * flat baseline would call every morning an anomaly, so background traffic needs this shape to be honest.
 */
export function diurnalRate(opts: DiurnalOptions): RateProfile {
  const mean = opts.mean;
  const amp = opts.amplitude ?? 0.5;
  const peak = opts.peakHour ?? 15;
  if (!(mean >= 0) || !(amp >= 0 && amp <= 1)) {
    throw new RangeError(`diurnalRate: expected mean >= 0 and 0 <= amplitude <= 1, got mean=${mean} amplitude=${amp}`);
  }
  const peakOffset = peak * HOUR_MS;
  const w = (2 * Math.PI) / DAY_MS;
  const rateAt = (t: number) => mean * (1 + amp * Math.cos(w * (t - peakOffset)));
  return {
    rateAt,
    maxRate(from, to) {
      if (to - from >= DAY_MS) return mean * (1 + amp);
      // The maximum of a cosine over an interval is at an end point or at a peak inside it.
      let m = Math.max(rateAt(from), rateAt(to));
      const firstPeak = peakOffset + Math.ceil((from - peakOffset) / DAY_MS) * DAY_MS;
      if (firstPeak <= to) m = mean * (1 + amp);
      return m;
    },
  };
}
