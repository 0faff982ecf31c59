import { defaultTopology, mergeEstateDeclarations, type EstateDeclaration, type Topology } from '../core/topology/index.ts';
import type { Scenario } from './schema/scenario-schema.ts';

/**
 * The topology a drill runs on: the scenario's declared estate (names, log groups, source map, dependencies)
 * with, over it, what a SUT file declares; the catalog's defaults for everything neither says.
 */
export function topologyOf(scenario: Pick<Scenario, 'estate'>, sutEstate?: EstateDeclaration): Topology {
  return defaultTopology(mergeEstateDeclarations(scenario.estate, sutEstate));
}
