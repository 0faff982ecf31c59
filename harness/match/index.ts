/**
 * Matching observations to incidents without any change to the SUT: planted entity values in what it wrote, or
 * overlapping mapped entities; the incident's time in event time or wall time; kinds when they are firedrill's.
 */
export { DETECTING_KINDS, EXPLAINED_KINDS, GENERIC_KINDS, detectingKinds, kindsFor, scoringKind } from './kinds.ts';
export { entitiesOverlap, mentionsAny, namesEntities, tokenIndex, MIN_PLANTED_LENGTH } from './entities.ts';
export { DEFAULT_MATCHING, byEarliest, inIncidentTime, observationDetects, observationDetectsAny, observationExplains, wallTime, type MatchIncident, type MatchSettings } from './match-observation.ts';
export { namesRoot } from './root-cause.ts';
