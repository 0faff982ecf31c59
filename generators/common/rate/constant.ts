import type { RateProfile } from '../../types.ts';

/** The same rate at every instant (events/s). */
export function constantRate(perSecond: number): RateProfile {
  if (!(perSecond >= 0) || !Number.isFinite(perSecond)) {
    throw new RangeError(`constantRate: expected a finite rate >= 0 events/s, got ${perSecond}`);
  }
  return { rateAt: () => perSecond, maxRate: () => perSecond };
}
