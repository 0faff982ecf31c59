export * from './rng.ts';
export * from './clock.ts';
export * from './errors.ts';
export * from './poll-until.ts';
export * from './logger.ts';
export * from './vocabulary.ts';
export type * from './finding.ts';
export * from './topology/index.ts';
