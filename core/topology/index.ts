export type * from './types.ts';
export { defaultTopology, type TopologyOptions } from './default-topology.ts';
export { syntheticEstate } from './synthetic-estate.ts';
export { topologyInventory, RESOURCE_KINDS, type InventoryItem, type ResourceKind } from './inventory.ts';
export { eksNodes } from './eks-nodes.ts';
