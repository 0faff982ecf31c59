export type * from './types.ts';
export { defaultTopology, type TopologyOptions } from './default-topology.ts';
export { syntheticEstate } from './synthetic-estate.ts';
