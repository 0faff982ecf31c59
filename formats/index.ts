export type * from './types.ts';
export { formats } from './registry.ts';
export * from './waf.ts';
export * from './vpcflow.ts';
