/**
 * Scoring findings produced elsewhere (`firedrill score`), and the files a run leaves for it: truth.json (what was
 * planted), findings.jsonl (what the SUT's taps showed) and run.json (remediation, ledger, timeline).
 */
export { writeTruthFile, readTruthFile, parseTruthJson, truthToJson, truthFromJson, TRUTH_FORMAT, type DrillTruth, type TruthFileData } from './truth-file.ts';
export { appendObservations, writeObservations, readObservations, observationToLine, type FindingsLine } from './findings-file.ts';
export { writeRunRecord, readRunRecord, RUN_FORMAT, type RunRecord } from './run-record.ts';
export { parseLoadTruth, loadTruthToDrill, mergeLoadShards, type LoadTruthTick } from './load-truth.ts';
export { scoreFiles, readAnyTruth, type ScoreOptions, type ScoreResult } from './score-files.ts';
