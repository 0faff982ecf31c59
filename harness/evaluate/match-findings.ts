import type { Finding } from '../../core/index.ts';
import type { Entities, EntityType, FindingKind, IncidentKind } from '../../core/index.ts';
import { CASCADE_KIND } from '../../core/index.ts';
import type { ExpectedIncident } from './types.ts';

/**
 * Kinds that *detect* an incident of a given kind. An incident shows up in several sources (an SSH
 * brute force is in auth.log and in VPC flows), so more than one specific kind can detect it.
 */
const DETECTING_KINDS: Partial<Record<IncidentKind, readonly FindingKind[]>> = {
  'ec2-ssh-bruteforce': ['ec2-ssh-bruteforce', 'vpc-ssh-bruteforce'],
  'vpc-ssh-bruteforce': ['vpc-ssh-bruteforce', 'ec2-ssh-bruteforce'],
  'waf-http-flood': ['waf-http-flood', 'vpc-ddos'],
  'vpc-ddos': ['vpc-ddos', 'waf-http-flood'],
  [CASCADE_KIND]: ['root-cause'],
};

/** Kinds that a given incident *explains* (not false positives), beyond those that detect it. */
const EXPLAINED_KINDS: Partial<Record<IncidentKind, readonly FindingKind[]>> = {
  [CASCADE_KIND]: ['root-cause', 'rds-connection-exhaustion', 'app-db-errors', 'ecs-task-restarts'],
  'cloudtrail-compromised-key': ['cloudtrail-access-denied-storm'],
  'waf-credential-stuffing': ['waf-http-flood', 'waf-bad-bots'],
  'waf-sqli-scanner': ['waf-bad-bots'],
};

/** Source-agnostic kinds: explained by any incident they overlap in time and entity. */
const GENERIC_KINDS: readonly FindingKind[] = ['log-new-pattern', 'log-pattern-frequency', 'metric-anomaly'];

export function detectingKinds(kind: IncidentKind): readonly FindingKind[] {
  return DETECTING_KINDS[kind] ?? [kind as FindingKind];
}

function norm(v: string): string {
  return v.trim().toLowerCase();
}

/** Values overlap when equal, or when one names the other (an ARN ending in a user name, a chain naming a db). */
export function entitiesOverlap(incident: Entities, finding: Entities, chain: readonly string[] = []): boolean {
  const incidentValues = Object.values(incident).filter((v): v is string => typeof v === 'string' && v.length > 0).map(norm);
  if (incidentValues.length === 0) return true;
  const findingValues = [...Object.values(finding).filter((v): v is string => typeof v === 'string'), ...chain].map(norm);
  for (const a of incidentValues) {
    for (const b of findingValues) {
      if (a === b) return true;
      if (a.length >= 4 && b.length >= 4 && (b.endsWith(`/${a}`) || a.endsWith(`/${b}`) || b.includes(`:${a}`) || b.includes(`${a} `))) return true;
    }
  }
  return false;
}

/** Grace after an incident ends during which its findings (late windows, episode tails) are still its own. */
const GRACE_MS = 5 * 60_000;

function overlapsInTime(inc: ExpectedIncident, f: Finding): boolean {
  return f.lastSeen >= inc.window.start - 60_000 && f.firstSeen <= inc.window.end + GRACE_MS;
}

/** Kinds that satisfy a detection requirement of `kind` for an incident of `incidentKind`. */
function kindsFor(incidentKind: IncidentKind, kind: FindingKind): readonly FindingKind[] {
  if (kind === (incidentKind as string)) return detectingKinds(incidentKind);
  return DETECTING_KINDS[kind as IncidentKind] ?? [kind];
}

/** The incident's entities, narrowed to one type when a requirement names it. */
function entitiesFor(inc: ExpectedIncident, entityType: EntityType | undefined): Entities {
  if (!entityType || inc.entities[entityType] === undefined) return inc.entities;
  return { [entityType]: inc.entities[entityType] };
}

/** Does `f` satisfy this detection requirement of the incident? (no requirement: the incident's own kind) */
export function findingDetects(inc: ExpectedIncident, f: Finding, req?: { kind: FindingKind; entityType?: EntityType }): boolean {
  const kinds = req ? kindsFor(inc.kind, req.kind) : detectingKinds(inc.kind);
  return kinds.includes(f.kind) && overlapsInTime(inc, f) && entitiesOverlap(entitiesFor(inc, req?.entityType), f.entities, f.chain);
}

/** Does `f` satisfy any of the incident's detection requirements? */
export function findingDetectsAny(inc: ExpectedIncident, f: Finding): boolean {
  const reqs = inc.detections?.length ? inc.detections : undefined;
  return reqs ? reqs.some((r) => findingDetects(inc, f, r)) : findingDetects(inc, f);
}

export function findingExplainedBy(inc: ExpectedIncident, f: Finding): boolean {
  if (findingDetectsAny(inc, f)) return true;
  // A finding of a detecting kind that shares any of the incident's entities (not only the one a requirement
  // names) is the same incident seen from another member: the second IP of a flood from a few IPs, another
  // scanner of the same web ACL. It does not count as a detection, but it is no false positive either.
  const kinds = new Set<FindingKind>([...detectingKinds(inc.kind), ...(inc.detections ?? []).flatMap((r) => kindsFor(inc.kind, r.kind))]);
  if (kinds.has(f.kind) && overlapsInTime(inc, f) && entitiesOverlap(inc.entities, f.entities, f.chain)) return true;
  if (!overlapsInTime(inc, f)) return false;
  const explained = EXPLAINED_KINDS[inc.kind] ?? [];
  if (explained.includes(f.kind) || GENERIC_KINDS.includes(f.kind)) return entitiesOverlap(inc.entities, f.entities, f.chain);
  return false;
}
