export { evaluateDrill } from './evaluate-drill.ts';
export { findingDetects, findingDetectsAny, findingExplainedBy } from './match-findings.ts';
export { detectingKinds, entitiesOverlap } from '../match/index.ts';
export { observationsFromFindings, FINDINGS_TAP } from './from-findings.ts';
export type * from './types.ts';
export { toEvaluationInput } from './plan-to-evaluation.ts';
