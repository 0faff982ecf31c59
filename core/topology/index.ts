export type * from './types.ts';
export { defaultTopology, PLAYBOOK_STATE_MACHINES, type TopologyOptions } from './default-topology.ts';
export { syntheticEstate } from './synthetic-estate.ts';
export { topologyInventory, computeInventory, RESOURCE_KINDS, COMPUTE_KINDS, type InventoryItem, type ResourceKind, type ComputeItem, type ComputeKind } from './inventory.ts';
export { eksNodes } from './eks-nodes.ts';
export { mergeEstateDeclarations, fieldList, type EstateDeclaration, type EstateNames, type LogGroupDeclaration, type SourceRouteDeclaration } from './estate-declaration.ts';
export { logGroupRouter, globToRegExp, type LogGroupRoute } from './log-group-routes.ts';
export { topologyFromEnv, topologyEnv } from './topology-from-env.ts';
