export type * from './types.ts';
export { backgroundGenerators, incidentGenerators } from './registry.ts';
export * from './common/index.ts';
