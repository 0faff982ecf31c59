import { CASCADE_KIND, FINDING_KINDS, WAF_SHARE_SHIFT_KIND, type FindingKind, type IncidentKind } from '../../core/index.ts';

/**
 * Kinds that *detect* an incident of a given kind. An incident shows up in several sources (an SSH
 * brute force is in auth.log and in VPC flows), so more than one specific kind can detect it.
 */
export const DETECTING_KINDS: Partial<Record<IncidentKind, readonly FindingKind[]>> = {
  'ec2-ssh-bruteforce': ['ec2-ssh-bruteforce', 'vpc-ssh-bruteforce'],
  'vpc-ssh-bruteforce': ['vpc-ssh-bruteforce', 'ec2-ssh-bruteforce'],
  'waf-http-flood': ['waf-http-flood', 'vpc-ddos'],
  'vpc-ddos': ['vpc-ddos', 'waf-http-flood'],
  [CASCADE_KIND]: ['root-cause'],
  // seeds/003's modes: a share shift, or — for the unknown-country mode — the geo signature that names it.
  [WAF_SHARE_SHIFT_KIND]: ['share-shift', 'waf-geo-anomaly'],
};

/** Kinds that a given incident *explains* (not false positives), beyond those that detect it. */
export const EXPLAINED_KINDS: Partial<Record<IncidentKind, readonly FindingKind[]>> = {
  [CASCADE_KIND]: ['root-cause', 'rds-connection-exhaustion', 'app-db-errors', 'ecs-task-restarts'],
  'cloudtrail-compromised-key': ['cloudtrail-access-denied-storm'],
  'waf-credential-stuffing': ['waf-http-flood', 'waf-bad-bots'],
  'waf-sqli-scanner': ['waf-bad-bots'],
  // Flood tools are automation clients: while a flood ramps up below the per-client threshold, its requests
  // show up as a bad-bot surge naming the same client first.
  'waf-http-flood': ['waf-bad-bots'],
};

/** Source-agnostic kinds: explained by any incident they overlap in time and entity. */
export const GENERIC_KINDS: readonly FindingKind[] = ['log-new-pattern', 'log-pattern-frequency', 'metric-anomaly', 'share-shift'];

export function detectingKinds(kind: IncidentKind): readonly FindingKind[] {
  return DETECTING_KINDS[kind] ?? [kind as FindingKind];
}

/** Kinds that satisfy a detection requirement of `kind` for an incident of `incidentKind`. */
export function kindsFor(incidentKind: IncidentKind, kind: FindingKind): readonly FindingKind[] {
  if (kind === (incidentKind as string) || (incidentKind === WAF_SHARE_SHIFT_KIND && kind === 'share-shift')) return detectingKinds(incidentKind);
  return DETECTING_KINDS[kind as IncidentKind] ?? [kind];
}

const KNOWN = new Set<string>(FINDING_KINDS);

/**
 * The observation's kind when scoring can use it: one of firedrill's finding kinds. A SUT's own words (an ASFF
 * type, `SSH_BRUTE`) are shown in reports but do not constrain matching: kinds are used when present, never required.
 */
export function scoringKind(kind: string | undefined): FindingKind | undefined {
  return kind !== undefined && KNOWN.has(kind) ? (kind as FindingKind) : undefined;
}
