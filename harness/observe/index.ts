/** Observing a system under test: taps where its findings appear, and the mapping to observations. */
export type * from './types.ts';
export { PRESETS } from './types.ts';
export { createMapper, expressionProblem, compactJson, PRESET_MAPS, MAP_FIELDS, type Mapper } from './mapping.ts';
export type { TapContext } from './tap-context.ts';
export { createTap, openTaps, newRunId, type TapSet } from './open-taps.ts';
export { compileFilterPattern, motoAppliesPattern, type EventFilter } from './filter-pattern.ts';
export { handlerReturns } from './taps/returns-tap.ts';
export { parseObject } from './taps/s3-tap.ts';
