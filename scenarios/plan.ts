import type { Topology, EstateIds } from '../core/topology/index.ts';
import type { Entities, EntityType, FindingKind, IncidentKind, RemediationOutcome, SourceName } from '../core/index.ts';
import type { Destination, GeneratedEvent, GenerateWindow, TruthEntry } from '../generators/index.ts';
import type { Scenario } from './schema/scenario-schema.ts';
import type { PhaseName } from './schema/primitives.ts';

/** What a compiled drill is: everything needed to run it and to score it, and nothing else. */
export interface Plan {
  scenario: Scenario;
  /** The seed actually used (the scenario's, or an override), printed by every run. */
  seed: string;
  /** Event-time window of the whole drill, epoch ms, [start, end). */
  window: GenerateWindow;
  phases: PlanPhase[];
  topology: Topology;
  estate: EstateIds;
  streams: PlannedStream[];
  incidents: PlannedIncident[];
  /**
   * Some of the data is a recording with no ground truth (a replay without labels): what it holds is unknown, so
   * a scorecard claims no precision or recall and says so.
   */
  unlabelled?: boolean;
  expectations: ResolvedExpectations;
  /**
   * Every event of every destination merged in time order (ties: background streams in scenario order,
   * then incidents). Each call regenerates the same sequence; nothing is held in memory.
   */
  events(): Iterable<GeneratedEvent>;
  /** Events of one destination (see `destinationKey`), in time order. */
  eventsFor(destKey: string): Iterable<GeneratedEvent>;
  /** Per-destination streams, materialised (fine for drill-sized plans; use events() for big ones). */
  byDestination(): Map<string, { dest: Destination; source: SourceName; events: GeneratedEvent[] }>;
  /** The truth manifest: one entry per labelled event, in time order. Never sent anywhere. */
  truth(): Iterable<TruthEntry>;
}

export interface PlanPhase {
  name: PhaseName;
  start: number;
  end: number;
}

export interface PlannedStream {
  /** rng fork name: `background/<name>` or `incident/<id>`. */
  name: string;
  kind: 'background' | 'replay' | 'incident';
  sources: readonly SourceName[];
}

export interface PlannedIncident {
  id: string;
  kind: IncidentKind;
  /** Sources the incident emits to (the generator's, or the scenario's subset). */
  sources: SourceName[];
  /** onset = window.start. Every labelled event of the incident lies inside. */
  window: GenerateWindow;
  intensity: number;
  /** Chosen by the scenario, drawn from pools, and completed by the generator's describe(). */
  entities: Entities;
  /** Links of a failure chain with lags (ms) and each source's first-symptom offset from onset. */
  cascade?: { links: { from: SourceName; to: SourceName; lagMs: number }[]; offsets: Partial<Record<SourceName, number>> };
  /** Exactly what the generator received as IncidentRequest.params. */
  params: Record<string, unknown>;
}

export interface EntityRef {
  type: EntityType;
  value: string;
}

export interface ResolvedDetection {
  incidentId: string;
  /** Finding kind that counts (default: the incident kind). */
  kind: FindingKind;
  entity?: EntityRef;
  withinMs: number;
  /** Latest detection time in event time: onset + within. */
  deadline: number;
}

export interface ResolvedRootCause {
  incidentId: string;
  kind: FindingKind;
  source: SourceName;
  entity: EntityRef;
  /** How the evaluator names the root: `<source>:<entity value>`, e.g. `rds:firedrill-orders-db`. */
  root: string;
  withinMs: number;
  deadline: number;
}

export interface ResolvedRemediation {
  incidentId: string;
  outcome: RemediationOutcome;
  entity?: EntityRef;
  /** The scenario's params plus the entity (e.g. `{ ip: '203.0.113.7' }` for waf-ip-blocked). */
  params: Record<string, string | number | boolean>;
  withinMs: number;
  deadline: number;
}

export interface ResolvedExpectations {
  detect: ResolvedDetection[];
  rootCause: ResolvedRootCause[];
  remediation: ResolvedRemediation[];
  falsePositives: { max: number; kinds?: FindingKind[] };
}
