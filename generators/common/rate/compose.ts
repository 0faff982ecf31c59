import type { RateProfile } from '../../types.ts';

/** Sum of profiles: a base plus bursts. */
export function sumRates(...profiles: RateProfile[]): RateProfile {
  return {
    rateAt(t) {
      let r = 0;
      for (const p of profiles) r += p.rateAt(t);
      return r;
    },
    maxRate(a, b) {
      let r = 0;
      for (const p of profiles) r += p.maxRate(a, b);
      return r;
    },
  };
}

/** Product of profiles: a rate shaped by dimensionless factors (diurnal with mean 1, noise). */
export function productRates(...profiles: RateProfile[]): RateProfile {
  return {
    rateAt(t) {
      let r = 1;
      for (const p of profiles) r *= p.rateAt(t);
      return r;
    },
    // Valid because rates are non-negative: the product of upper bounds bounds the product.
    maxRate(a, b) {
      let r = 1;
      for (const p of profiles) r *= p.maxRate(a, b);
      return r;
    },
  };
}

/** A profile scaled by a constant (intensity knobs). */
export function scaleRate(profile: RateProfile, factor: number): RateProfile {
  return { rateAt: (t) => profile.rateAt(t) * factor, maxRate: (a, b) => profile.maxRate(a, b) * factor };
}
