/** Observing a system under test: taps where its findings appear, and the mapping to observations. */
export type * from './types.ts';
export { PRESETS } from './types.ts';
export { createMapper, expressionProblem, compactJson, PRESET_MAPS, MAP_FIELDS, type Mapper } from './mapping.ts';
