/**
 * firedrill's library API (`import { … } from 'firedrill'`): what the CLI does, callable from a test runner or a
 * script. Everything here is re-exported from the folder that owns it; the folders' other exports are internals.
 */

// Scenarios: author (defineScenario, the JSON Schema), load and validate, compile to a plan.
export {
  defineScenario,
  loadScenario,
  parseScenario,
  validateScenario,
  validateScenarioText,
  compile,
  listCatalog,
  CATALOG_DIR,
  scenarioJsonSchema,
  ScenarioValidationError,
  formatIssue,
  type Scenario,
  type ScenarioInput,
  type ScenarioIssue,
  type Plan,
  type CatalogEntry,
  type CompileOptions,
  type ValidationResult,
} from './scenarios/index.ts';

// Running drills end to end on an emulator or AWS.
export { runDrill, runDrills, type DrillRun, type DrillProgress, type DrillPhase, type DrillTarget, type RunDrillOptions, type RunDrillsOptions } from './harness/drill/index.ts';

// Scoring: the scorecard of a drill from its plan, findings and observed remediation; the reports written from it.
export { evaluateDrill, toEvaluationInput } from './harness/evaluate/index.ts';
export type { DrillScorecard, IncidentResult, EvaluationInput, RemediationObservation } from './harness/evaluate/index.ts';
export { renderScorecard, renderSummary, toJUnit, toHtml, writeReports, type ReportPaths } from './harness/reports/index.ts';

// Emulators and the topology they are bootstrapped with. startAndBootstrap and withEmulator create the estate only
// (what a drill acts on); a system under test brings its own plumbing (prepareSut below), and startWithBuiltin adds
// firedrill's own reference pipeline's queues, topic, tables and streams from its SUT file, as `up` does.
export { startEmulator, startAndBootstrap, withEmulator, type EmulatorHandle, type LiveEstate, type StartEmulatorOptions } from './emulator/index.ts';
export { startWithBuiltin } from './harness/sut/index.ts';
export { defaultTopology, topologyInventory, type Topology, type EstateIds, type TopologyOptions } from './core/topology/index.ts';

// Errors carry expected / seen / fix.
export { FiredrillError, ConfigError } from './core/index.ts';

// Defining a system under test (a SUT file: entry points, handlers, taps): its schema, validation with located
// errors, `${…}` references, and preparing it on a target; the published JSON Schema is `firedrill/sut.schema.json`.
// BUILTIN_SUT_FILE is firedrill's own reference pipeline declared the same way (`--sut builtin`).
export {
  sutObjectSchema,
  sutJsonSchema,
  validateSutText,
  validateSutFiles,
  loadSutFile,
  resolveSut,
  prepareSut,
  SutValidationError,
  BUILTIN_SUT_FILE,
  type SutFileData,
  type SutFileInput,
  type LoadedSut,
  type SutValidation,
  type PreparedSut,
  type PrepareSutOptions,
} from './harness/sut/index.ts';

// Scoring findings produced elsewhere against a run's truth (`firedrill score`), and the files a run leaves.
export { scoreFiles, readTruthFile, readObservations, readRunRecord, type ScoreOptions, type ScoreResult } from './harness/score/index.ts';
// Several SUTs' runs of the same drills as one matrix (`firedrill compare`).
export { buildComparison, scoreRunDir, writeComparison, comparisonMarkdown, type Comparison, type ComparisonCell, type ComparisonPaths } from './harness/compare/index.ts';
