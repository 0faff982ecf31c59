export type * from './types.ts';
export { formats } from './registry.ts';
