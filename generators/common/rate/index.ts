export { constantRate } from './constant.ts';
export { diurnalRate, type DiurnalOptions } from './diurnal.ts';
export { rampRate, type RampOptions } from './ramp.ts';
export { burstRate, type BurstOptions } from './burst.ts';
export { sumRates, productRates, scaleRate } from './compose.ts';
export { noiseFactor, type NoiseOptions } from './noise.ts';
export { parseRate } from './parse-rate.ts';
export { arrivals, ArrivalCursor, expectedCount } from './arrivals.ts';
export type { RateProfile } from '../../types.ts';
