import type { Rng } from '../core/index.ts';
import type { EstateIds, Topology } from '../core/topology/index.ts';
import type { IncidentKind, SourceName, Entities } from '../core/index.ts';
import type { Destination } from '../core/index.ts';

/** Where AWS would deliver a line (declared in core/ so the sinks share it without importing generators/). */
export type { Destination };

/**
 * One generated event. `label` exists only on incident events and is stripped into the truth manifest
 * before anything reaches a sink; `message` is byte-identical whether or not a label is attached.
 */
export interface GeneratedEvent {
  /** Event time, epoch ms. Every generator yields events in non-decreasing time. */
  time: number;
  source: SourceName;
  dest: Destination;
  message: string;
  label?: TruthLabel;
}

export interface TruthLabel {
  incidentId: string;
  kind: IncidentKind;
  /** For cascades: which link of the chain this event belongs to ('rds' | 'app' | 'ecs'). */
  role?: string;
}

/** One truth-manifest entry: kept by the harness, never sent to AWS. */
export interface TruthEntry {
  incidentId: string;
  kind: IncidentKind;
  source: SourceName;
  time: number;
  /** Identifies the event without its text: destination + time + a hash of the line. */
  eventKey: string;
  role?: string;
}

/** Events per second as a function of event time. Profiles compose (e.g. diurnal × jitter + burst). */
export interface RateProfile {
  /** Instantaneous rate (events/s) at time t (ms). */
  rateAt(t: number): number;
  /** An upper bound of rateAt over [from, to), for thinning-based Poisson sampling. */
  maxRate(from: number, to: number): number;
}

/** Entities the generators draw from: built from the bootstrapped estate plus seeded synthetic ones. */
export interface EntityPools {
  estate: EstateIds;
  topology: Topology;
  /** Synthetic people and machines with consistent habits (home IPs, countries, user agents). */
  users: UserProfile[];
  /** Client IPs of normal web traffic, with their country and ASN. */
  clients: { ip: string; country: string; asn: number }[];
  /** Internet noise sources (scanners hitting the edge that get REJECTed as background). */
  internetNoise: string[];
  /** External services the estate normally talks to (package mirrors, APIs). */
  externalServices: { ip: string; port: number }[];
}

export interface UserProfile {
  userName: string;
  /** IAM user this person maps to (CloudTrail / S3 requester); undefined for anonymous web users. */
  iamUser?: { userName: string; userId: string; arn: string; accessKeyId: string };
  homeIps: string[];
  country: string;
  userAgent: string;
  /** Their usual API calls, with weights. */
  habits: { eventSource: string; eventName: string; weight: number }[];
}

export interface GenerateWindow {
  start: number;
  end: number;
}

export interface BackgroundRequest {
  window: GenerateWindow;
  rate: RateProfile;
  /** Source-specific options (e.g. VPC custom field list); validated by the generator. */
  options?: Record<string, unknown>;
}

export interface IncidentRequest {
  incidentId: string;
  kind: IncidentKind;
  window: GenerateWindow;
  /** 0..1 scales volume; 1 is a clear-cut incident. */
  intensity: number;
  /** Entities chosen by the scenario; generators draw the rest from pools. */
  entities: Entities;
  /** Kind-specific parameters (cascade lags, target paths …). */
  params?: Record<string, unknown>;
}

/** A source's normal behaviour. */
export interface BackgroundGenerator {
  source: SourceName;
  /** Yields events in non-decreasing time inside the window. */
  generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Iterable<GeneratedEvent>;
}

/** An incident mode: may emit to several sources (an SSH brute force shows in VPC flows and auth.log). */
export interface IncidentGenerator {
  kind: IncidentKind;
  sources: readonly SourceName[];
  /** Yields labelled events in non-decreasing time; the entities it used are returned via `describe`. */
  generate(rng: Rng, pools: EntityPools, req: IncidentRequest): Iterable<GeneratedEvent>;
  /** The entities the incident is about, resolved from the request and pools (same rng → same answer). */
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities;
}
