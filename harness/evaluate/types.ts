import type { Finding } from '../../core/index.ts';
import type { CapabilityMatrix, Entities, EntityType, FindingKind, IncidentKind, RemediationOutcome, SourceName, TargetCapabilities } from '../../core/index.ts';

/** One incident as the evaluator needs it: resolved from the plan (entities filled by the generators). */
export interface ExpectedIncident {
  id: string;
  kind: IncidentKind;
  /** Event-time window of the incident (onset = start), epoch ms. */
  window: { start: number; end: number };
  entities: Entities;
  /** Must be detected within this many seconds of event time after onset (the tightest requirement). */
  detectWithinSeconds: number;
  /** Must it be detected at all? (false for incidents that are only context) */
  mustDetect: boolean;
  /**
   * Each detection the scenario requires: a finding of `kind` (or a kind that detects it) about the
   * incident's `entityType` entity, within `withinSeconds` of onset. Absent: one requirement, the incident's
   * own kind within detectWithinSeconds.
   */
  detections?: { kind: FindingKind; withinSeconds: number; entityType?: EntityType }[];
  /** For cascades: the root the root-cause finding must name, e.g. `rds:firedrill-orders-db`. */
  expectedRootCause?: string;
  expectedRemediation: { outcome: RemediationOutcome; params: Record<string, string | number> }[];
}

/** What the harness observed of remediation for one incident (read back through the AWS API). */
export interface RemediationObservation {
  incidentId: string;
  planned: boolean;
  executed: boolean;
  /** Step Functions execution status, when one ran. */
  executionStatus?: string;
  executionArn?: string;
  outcomes: { outcome: RemediationOutcome; expected: string; observed: string; ok: boolean }[];
  /** Wall-clock seconds from the finding's publication to the verified outcome. */
  timeToRemediateSeconds: number | null;
}

export interface LedgerSummary {
  balanced: boolean;
  totals: Record<string, number>;
  perSource?: Record<string, Record<string, number>>;
}

export interface EvaluationInput {
  scenarioId: string;
  title: string;
  seed: number | string;
  window: { start: number; end: number };
  incidents: ExpectedIncident[];
  falsePositiveBudget: number;
  findings: Finding[];
  remediation?: RemediationObservation[];
  ledger?: LedgerSummary;
  /** Events per source per time bucket, for the report's timeline. */
  timeline?: Timeline;
  wallSeconds?: number;
  /**
   * What the target has (default: everything). An expectation that needs a service it lacks is reported as
   * unsupported on this target: neither passed nor failed.
   */
  capabilities?: TargetCapabilities;
}

export interface Timeline {
  bucketMs: number;
  start: number;
  /** counts[source][i] = events of that source in bucket i. */
  counts: Partial<Record<SourceName, number[]>>;
}

export interface IncidentResult {
  id: string;
  kind: IncidentKind;
  entities: Entities;
  window: { start: number; end: number };
  detected: boolean;
  /** Event-time seconds from onset to the first matching finding's detection. */
  timeToDetectSeconds: number | null;
  detectedInTime: boolean;
  matchingFindingIds: string[];
  matchingKinds: FindingKind[];
  rootCauseExpected?: string;
  rootCauseObserved?: string[];
  rootCauseCorrect?: boolean;
  /**
   * `expected` counts the outcomes this target can run; `verified` is true when each of those read back as
   * expected (false when there were none); `unsupported` lists those it cannot run.
   */
  remediation?: RemediationObservation & { expected: number; verified: boolean; unsupported: { outcome: RemediationOutcome; reason: string }[] };
  /** Expectations of this incident the target cannot run, each `unsupported on this target: …`. */
  unsupported: string[];
  passed: boolean;
  /** Why it failed, in words a person can act on. */
  failures: string[];
}

export interface DrillScorecard {
  scenarioId: string;
  title: string;
  seed: number | string;
  window: { start: number; end: number };
  passed: boolean;
  incidents: IncidentResult[];
  falsePositives: number;
  falsePositiveBudget: number;
  falsePositiveFindings: { findingId: string; kind: FindingKind; summary: string; detectedAt: number }[];
  findingsTotal: number;
  precision: number;
  recall: number;
  f1: number;
  ledger?: LedgerSummary;
  timeline?: Timeline;
  findings: Finding[];
  wallSeconds?: number;
  failures: string[];
  /** The target and, service by service, whether it has it: the supported / unsupported matrix of this run. */
  target?: CapabilityMatrix;
  /** Every expectation not run on this target (`<incident>: unsupported on this target: …`); not failures. */
  unsupported: string[];
  /**
   * The drill could not be judged: it crashed (or its input was refused) before a scorecard existed. Reports show
   * it as an error (JUnit `<error>`), not as a failed expectation.
   */
  error?: DrillError;
}

export interface DrillError {
  message: string;
  /** The error's class, e.g. EmulatorUnavailableError. */
  type: string;
  /** true when the input was wrong (a scenario or SUT file, a flag): exit code 2 rather than 3. */
  usage: boolean;
}
