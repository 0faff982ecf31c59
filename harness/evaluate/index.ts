export { evaluateDrill } from './evaluate-drill.ts';
export { detectingKinds, entitiesOverlap, findingDetects, findingDetectsAny, findingExplainedBy } from './match-findings.ts';
export type * from './types.ts';
export { toEvaluationInput } from './plan-to-evaluation.ts';
