/** The detector: pure window detection over NormalizedRecords, its state, and the models it is built from. */
export {
  detectWindow, createDetectorState, windowsDue, resolveConfig, DEFAULT_DETECTOR_CONFIG,
  type DetectorState, type DetectorConfig, type DetectTopology, type DetectWindow, type DetectResult,
} from './detector.ts';
export type { FindingChange, FindingChangeKind } from './episodes.ts';
export type { Candidate } from './candidate.ts';
export { trainIsolationForest, scoreIsolationForest, type IsolationForestModel } from './isolation-forest.ts';
export { TemplateMiner, maskLine, type TemplateMinerState } from './template-miner.ts';
export { nodeOf, rootCauses } from './rca.ts';
export { feedbackEntryFor, suppressedByFeedback, type FeedbackEntry } from './feedback.ts';
export { concept, hasConcept, stems, type Concept } from './message-classes.ts';
export { RecordCompactor, SAMPLE_ONLY_MESSAGE } from './compact-record.ts';
