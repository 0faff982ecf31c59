import { parseDuration } from '../core/index.ts';
import { burstRate, constantRate, diurnalRate, noiseFactor, parseRate, productRates, sumRates } from '../generators/index.ts';
import type { RateProfile } from '../generators/index.ts';
import type { RateProfileSpec } from './schema/scenario-schema.ts';
import { resolveOffset, type PhaseSpan } from './schema/timeline-checks.ts';

export interface RateContext {
  /** Drill start, epoch ms (ramp and burst offsets are relative to it). */
  start: number;
  phases: readonly PhaseSpan[];
  /** Seed of the jitter (the stream's rng seed), so two streams never wiggle together. */
  seed: string;
}

/**
 * A multiplier that climbs linearly from 1 to `to`, optionally holds and comes back down. Written here
 * because common/rate's rampRate has no way back down and a marketing spike must end.
 */
function trapezoidFactor(start: number, rise: number, to: number, hold: number | undefined): RateProfile {
  const top = start + rise;
  const fallStart = hold === undefined ? Infinity : top + hold;
  const fallEnd = fallStart + rise;
  const rateAt = (t: number): number => {
    if (t <= start) return 1;
    if (t < top) return 1 + ((to - 1) * (t - start)) / rise;
    if (t <= fallStart) return to;
    if (t < fallEnd) return to + ((1 - to) * (t - fallStart)) / rise;
    return 1;
  };
  return {
    rateAt,
    // Piecewise linear: the maximum is at an end of the interval or at a corner inside it.
    maxRate(a, b) {
      let m = Math.max(rateAt(a), rateAt(b));
      for (const c of [start, top, fallStart, fallEnd]) if (c > a && c < b) m = Math.max(m, rateAt(c));
      return m;
    },
  };
}

/** `300/m`, or base × diurnal × jitter × ramps + bursts, built from the shared rate profiles. */
export function buildRateProfile(spec: RateProfileSpec, ctx: RateContext): RateProfile {
  if (typeof spec === 'string') return constantRate(parseRate(spec));
  const factors: RateProfile[] = [constantRate(parseRate(spec.base))];
  if (spec.diurnal) factors.push(diurnalRate({ mean: 1, amplitude: spec.diurnal.amplitude, peakHour: spec.diurnal.peakHour }));
  if (spec.jitter) factors.push(noiseFactor({ seed: ctx.seed, sigma: spec.jitter }));
  for (const r of spec.ramps ?? []) {
    const at = ctx.start + resolveOffset(r.at, ctx.phases);
    factors.push(trapezoidFactor(at, parseDuration(r.duration), r.to, r.hold === undefined ? undefined : parseDuration(r.hold)));
  }
  const shaped = factors.length === 1 ? factors[0]! : productRates(...factors);
  const bursts = (spec.bursts ?? []).map((b) => {
    const at = ctx.start + resolveOffset(b.at, ctx.phases);
    return burstRate({ start: at, end: at + parseDuration(b.duration), rate: parseRate(b.rate) });
  });
  return bursts.length === 0 ? shaped : sumRates(shaped, ...bursts);
}
