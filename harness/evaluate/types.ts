import type { Finding } from '../../core/index.ts';
import type { CapabilityMatrix, Entities, EntityType, FindingKind, IncidentKind, RemediationOutcome, SourceName, TargetCapabilities } from '../../core/index.ts';
import type { Observation } from '../observe/index.ts';

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
  /** Wall time (epoch ms) the sink accepted the incident's first event, when the run recorded it (wall-time matching and time to detect). */
  wallStart?: number;
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
  /** What the SUT reported, as observed through its taps (one per tap and id: the latest version). */
  observations?: Observation[];
  /** firedrill's own Finding objects, read as the builtin's findings tap does (the `firedrill` preset). */
  findings?: Finding[];
  /** Matching windows (default 60 s skew, 5 min grace) and the wall time observation ended. */
  matching?: { skewMs?: number; graceMs?: number; wallEnd?: number };
  /**
   * The truth carries no labels to match on (incidents without entity values, or a source that kept none):
   * the scorecard then claims no precision, recall or F1. Also set when every incident lacks entities.
   */
  unlabelled?: boolean;
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
  /** Event-time seconds from onset to the detection time the earliest matching finding states (null: none states one). */
  timeToDetectSeconds: number | null;
  /** Wall seconds from the delivery of the incident's first event to the earliest matching finding's appearance (null: delivery not recorded). */
  wallTimeToDetectSeconds: number | null;
  detectedInTime: boolean;
  matchingFindingIds: string[];
  /** Kinds of the matching findings, as the SUT named them (firedrill's vocabulary or its own). */
  matchingKinds: string[];
  rootCauseExpected?: string;
  rootCauseObserved?: string[];
  rootCauseCorrect?: boolean;
  /** The explanation attached to its findings, scored against the truth (absent: no matching finding carries one). */
  explanation?: ExplanationScore;
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
  falsePositiveFindings: { findingId: string; tap: string; kind: string; summary: string; detectedAt?: number; observedAt: number }[];
  findingsTotal: number;
  /** null when the truth is unlabelled (nothing to match findings on). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** The truth had no labels: detection by kind and time only, no precision / recall / F1 claimed. */
  unlabelled: boolean;
  ledger?: LedgerSummary;
  timeline?: Timeline;
  findings: ScoredFinding[];
  /**
   * The explanations line: over incidents detected, how many carry an explanation, how many of those name the true
   * root and a failure class the incident kind accepts. A measure, not an expectation: it never fails a drill.
   */
  explanations?: { detected: number; explained: number; rootNamed: number; classCorrect: number; correct: number };
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

/** An explanation as scored against one incident's truth. */
export interface ExplanationScore {
  findingId: string;
  text: string;
  /** As the SUT named it. */
  failureClass?: string;
  /** The classes the incident kind accepts (empty: the kind has none, only the root is scored). */
  expectedClasses: string[];
  /** It names the true root entity (for a cascade: first, before any other tier). */
  rootNamed: boolean;
  /** null when the kind has no expected class. */
  classCorrect: boolean | null;
  correct: boolean;
}

/** One observation as scored: what it is, and which incidents it was counted for. */
export interface ScoredFinding {
  /** The observation's id within its tap. */
  findingId: string;
  tap: string;
  /** As the SUT named it (absent when the tap maps no kind). */
  kind?: string;
  /** The observation's text. */
  summary: string;
  /** The event time the SUT states for it (its claimedTime), when it states one. */
  detectedAt?: number;
  observedAt: number;
  arrivedAt?: number;
  entities: string[];
  rootCause?: string[];
  explanation?: string;
  failureClass?: string;
  /** Incidents it is counted for (detection, another member, a symptom); empty: a false positive. */
  explains: string[];
  /** Incidents it detects. */
  detects: string[];
  raw: unknown;
}
