import type { RateProfile } from '../../types.ts';

export interface RampOptions {
  /** Ramp start and end, epoch ms. Before `start` the rate is `from`, after `end` it is `to`. */
  start: number;
  end: number;
  from: number;
  to: number;
}

/** A linear change of rate: an incident that builds up, or traffic growing after a release. */
export function rampRate(opts: RampOptions): RateProfile {
  const { start, end, from, to } = opts;
  if (!(end > start) || !(from >= 0) || !(to >= 0)) {
    throw new RangeError(`rampRate: expected end > start and rates >= 0, got start=${start} end=${end} from=${from} to=${to}`);
  }
  const slope = (to - from) / (end - start);
  const rateAt = (t: number) => (t <= start ? from : t >= end ? to : from + slope * (t - start));
  return { rateAt, maxRate: (a, b) => Math.max(rateAt(a), rateAt(b)) };
}
