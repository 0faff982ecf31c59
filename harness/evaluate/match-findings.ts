import type { EntityType, Finding, FindingKind } from '../../core/index.ts';
import { DEFAULT_MATCHING, observationDetects, observationDetectsAny, observationExplains } from '../match/index.ts';
import { observationsFromFindings } from './from-findings.ts';
import type { ExpectedIncident } from './types.ts';

/**
 * The matching rules of harness/match applied to firedrill's own Finding objects (read through the `firedrill`
 * preset, default windows), for callers that still hold Findings.
 */
const asObservation = (f: Finding) => observationsFromFindings([f])[0]!;

/** Does `f` satisfy this detection requirement of the incident? (no requirement: the incident's own kind) */
export function findingDetects(inc: ExpectedIncident, f: Finding, req?: { kind: FindingKind; entityType?: EntityType }): boolean {
  return observationDetects(inc, asObservation(f), DEFAULT_MATCHING, req);
}

/** Does `f` satisfy any of the incident's detection requirements? */
export function findingDetectsAny(inc: ExpectedIncident, f: Finding): boolean {
  return observationDetectsAny(inc, asObservation(f), DEFAULT_MATCHING);
}

export function findingExplainedBy(inc: ExpectedIncident, f: Finding): boolean {
  return observationExplains(inc, asObservation(f), DEFAULT_MATCHING);
}
