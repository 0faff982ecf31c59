export { cascadeIncident, cascadeTimeline, type CascadeTimeline } from './cascade.ts';
export { rdsConnectionExhaustion, appDbErrors, ecsTaskRestarts } from './single-links.ts';
export { parseCascadeParams, CASCADE_DEFAULTS, type CascadeParams } from './params.ts';
export type { LinkContext } from './link.ts';
