import type { Entities, EntityType, FindingKind, IncidentKind } from '../../core/index.ts';
import type { Observation } from '../observe/index.ts';
import { namesEntities } from './entities.ts';
import { EXPLAINED_KINDS, GENERIC_KINDS, detectingKinds, kindsFor, scoringKind } from './kinds.ts';

/** An incident as matching needs it (harness/evaluate's ExpectedIncident is one). */
export interface MatchIncident {
  id: string;
  kind: IncidentKind;
  /** Event-time window, epoch ms; onset = start. */
  window: { start: number; end: number };
  entities: Entities;
  detections?: { kind: FindingKind; withinSeconds: number; entityType?: EntityType }[];
  /** Wall time (epoch ms) the sink accepted the incident's first event, when the run recorded it. */
  wallStart?: number;
}

export interface MatchSettings {
  /** A finding may be placed this long before the onset (event time) or the first delivery (wall time). */
  skewMs: number;
  /** A finding placed up to this long after the incident's end is still its own. */
  graceMs: number;
  /** Wall time the observation ended (the drill's end): wall-placed findings after it belong to no incident. */
  wallEnd?: number;
}

/** Today's values (the evaluator's GRACE_MS and skew before the SUT contract): 60 s and 5 min. */
export const DEFAULT_MATCHING: MatchSettings = { skewMs: 60_000, graceMs: 5 * 60_000 };

/** Wall time the finding became visible: the transport's stamp when it has one, else firedrill's first sight. */
export function wallTime(o: Observation): number {
  return o.arrivedAt ?? o.observedAt;
}

/**
 * Was the finding observed in the incident's time? When the SUT states event times, the span it covers
 * (firstSeen..lastSeen, or the claimed time) must overlap [onset − skew, end + grace]; otherwise the wall time
 * it appeared must fall in [wall delivery of the incident's first event − skew, end of observation]. With
 * neither (no stated time, no recorded delivery) nothing can refute it: it counts as in time.
 */
export function inIncidentTime(inc: MatchIncident, o: Observation, s: MatchSettings): boolean {
  const from = o.firstSeen ?? o.claimedTime ?? o.lastSeen;
  const to = o.lastSeen ?? o.claimedTime ?? o.firstSeen;
  if (from !== undefined && to !== undefined) return to >= inc.window.start - s.skewMs && from <= inc.window.end + s.graceMs;
  if (inc.wallStart === undefined) return true;
  const t = wallTime(o);
  return t >= inc.wallStart - s.skewMs && (s.wallEnd === undefined || t <= s.wallEnd);
}

/** The incident's entities, narrowed to one type when a requirement names it. */
function entitiesFor(inc: MatchIncident, entityType: EntityType | undefined): Entities {
  if (!entityType || inc.entities[entityType] === undefined) return inc.entities;
  return { [entityType]: inc.entities[entityType] };
}

/**
 * Does the observation satisfy this detection requirement (none: the incident's own kind)? A firedrill kind
 * must be one that detects it; an observation without one (or with the SUT's own word) detects by entity and
 * time alone.
 */
export function observationDetects(inc: MatchIncident, o: Observation, s: MatchSettings, req?: { kind: FindingKind; entityType?: EntityType }): boolean {
  const kind = scoringKind(o.kind);
  if (kind !== undefined && !(req ? kindsFor(inc.kind, req.kind) : detectingKinds(inc.kind)).includes(kind)) return false;
  return inIncidentTime(inc, o, s) && namesEntities(entitiesFor(inc, req?.entityType), o);
}

/** Does the observation satisfy any of the incident's detection requirements? */
export function observationDetectsAny(inc: MatchIncident, o: Observation, s: MatchSettings): boolean {
  const reqs = inc.detections?.length ? inc.detections : undefined;
  return reqs ? reqs.some((r) => observationDetects(inc, o, s, r)) : observationDetects(inc, o, s);
}

/** Is the observation this incident's (a detection, another member's finding, a symptom)? If none explains it, it is a false positive. */
export function observationExplains(inc: MatchIncident, o: Observation, s: MatchSettings): boolean {
  if (observationDetectsAny(inc, o, s)) return true;
  if (!inIncidentTime(inc, o, s)) return false;
  const kind = scoringKind(o.kind);
  // No usable kind: any finding about the incident's entities, in its time, is its own.
  if (kind === undefined) return namesEntities(inc.entities, o);
  // A finding of a detecting kind that shares any of the incident's entities (not only the one a requirement
  // names) is the same incident seen from another member: the second IP of a flood from a few IPs, another
  // scanner of the same web ACL. It does not count as a detection, but it is no false positive either.
  const kinds = new Set<FindingKind>([...detectingKinds(inc.kind), ...(inc.detections ?? []).flatMap((r) => kindsFor(inc.kind, r.kind))]);
  if (kinds.has(kind)) return namesEntities(inc.entities, o);
  const explained = EXPLAINED_KINDS[inc.kind] ?? [];
  if (explained.includes(kind) || GENERIC_KINDS.includes(kind)) return namesEntities(inc.entities, o);
  return false;
}

/**
 * Earliest first: by the event time the SUT claims when both state one, else by wall time. Several findings of
 * one incident count once, and the earliest is the one its time to detect is measured on.
 */
export function byEarliest(a: Observation, b: Observation): number {
  if (a.claimedTime !== undefined && b.claimedTime !== undefined) return a.claimedTime - b.claimedTime;
  if (a.claimedTime !== undefined) return -1;
  if (b.claimedTime !== undefined) return 1;
  return wallTime(a) - wallTime(b);
}
