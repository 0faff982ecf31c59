import type { NormalizedRecord } from '../../formats/index.ts';
import type { SourceName } from '../../core/index.ts';
import { candidateFrom, scoreOver, type Candidate } from './candidate.ts';
import { str } from './features.ts';
import { classKind, entityOf, isPlatformLine, textOf } from './generic-detectors.ts';
import { messageClasses } from './message-classes.ts';

/**
 * Failed sign-ins where there is too little history to learn a rate from.
 *
 * The brute-force signatures compare a window's failures with the level the entity's quiet windows taught. That
 * needs failures to learn from: an internet-facing host hums with scanners and learns its level in minutes. A
 * host that sees a failed sign-in once a week has no level — every window holds zero or one line — so a
 * threshold never fires there, although a failed sign-in on such a host is exactly what an operator wants to
 * hear about. Here each entity (instance, host, service …) keeps two numbers: when it was first seen and how
 * many failed sign-ins it showed in windows that raised nothing. Its rate per window is estimated as
 * (failures + 1) / (windows elapsed + 1) — the +1 keeps a short history from looking quiet — and a window is
 * flagged when the entity is sparse (that rate ≤ SPARSE_RATE: most of its windows hold none, so rate rules
 * cannot work) and the window's count is improbable under it (Poisson tail ≤ ALPHA). So one failure fires only
 * after about ALPHA⁻¹ windows without any (a week of one-minute windows), two after about 70, three after 20; at production rates, or on any
 * host that learned its hum, the rule is silent and the signatures judge.
 *
 * What a failed sign-in is comes from the line's meaning (`auth-failure` of message-classes.ts: `Failed
 * password`, `PAM: Authentication failure`, `Invalid user`, `User root … not allowed`, `ROOT LOGIN REFUSED`) or
 * from the EC2 parser's reading (ssh-failed, ssh-invalid-user, pam-failure), on any text source. A pre-auth probe
 * (`auth-probe`: a client that left before it authenticated, `Connection closed by … [preauth]`, or whose
 * handshake failed, `Did not receive identification string`, `Unable to negotiate … no matching cipher`) is an
 * attempt that failed one step earlier, and counts the same: on a host that hears from nobody, a stranger
 * knocking is the news; on an internet-facing one it is part of the hum the rate learns.
 */
export interface SparseAuthEntity {
  /** Start of the first window the entity was seen in (epoch ms). */
  since: number;
  /** Failed sign-ins learned (from windows where this rule did not fire on the entity). */
  failures: number;
}
export type SparseAuthState = Record<string, SparseAuthEntity>;

/** A rate below this many failures per window is too sparse to learn a threshold from (≥ 95 % of windows hold none). */
export const SPARSE_RATE = 0.05;
/** Poisson tail probability at or below which a window's failures are a surprise (about one per entity-week of minutes). */
export const ALPHA = 1e-4;
const MAX_ENTITIES = 2000;
export const SPARSE_AUTH_METHOD = 'auth:sparse-failures@';
const PARSED_FAILURES = /^(ssh-failed|ssh-invalid-user|pam-failure)$/;

/** P(X ≥ k) for X ~ Poisson(λ), summed from k upwards (no cancellation for tiny λ). */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  let term = Math.exp(-lambda);
  for (let i = 1; i <= k; i++) term *= lambda / i;
  let sum = 0;
  for (let i = k; term > sum * 1e-12 && i < k + 200; i++) {
    sum += term;
    term *= lambda / (i + 1);
  }
  return Math.min(1, sum);
}

export function isAuthFailure(r: NormalizedRecord): boolean {
  if (PARSED_FAILURES.test(str(r, 'kind'))) return true;
  const classes = messageClasses(textOf(r));
  return classes.includes('auth-failure') || classes.includes('auth-probe');
}

export function sparseAuthCandidates(
  source: SourceName,
  rs: readonly NormalizedRecord[],
  st: SparseAuthState,
  window: { start: number; end: number },
  opts: { minHistory: number },
): Candidate[] {
  const groups = new Map<string, { primary: NonNullable<ReturnType<typeof entityOf>>['primary']; value: string; failures: NormalizedRecord[] }>();
  for (const r of rs) {
    // Platform lines and the EKS audit trail are structured records with signatures of their own (as in the miner).
    if (isPlatformLine(source, r)) continue;
    const e = entityOf(source, r);
    if (!e) continue;
    const key = `${source}|${e.primary}|${e.value}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { primary: e.primary, value: e.value, failures: [] }));
    if (isAuthFailure(r)) g.failures.push(r);
  }
  const out: Candidate[] = [];
  const span = window.end - window.start;
  for (const [key, g] of groups) {
    const known = st[key];
    if (!known) {
      // First sight: nothing to judge by. Remembered (while there is room) with this window's failures.
      if (Object.keys(st).length < MAX_ENTITIES) st[key] = { since: window.start, failures: g.failures.length };
      continue;
    }
    const elapsed = Math.floor((window.start - known.since) / span);
    const k = g.failures.length;
    const rate = (known.failures + 1) / (elapsed + 1);
    const p = k ? poissonTail(k, rate) : 1;
    if (k && elapsed >= opts.minHistory && rate <= SPARSE_RATE && p <= ALPHA) {
      const ips = [...new Set(g.failures.map((r) => str(r, 'rhost') || r.entities.ip || '').filter(Boolean))];
      out.push(candidateFrom(g.failures, {
        kind: classKind(source, ['auth-failure']), primary: g.primary, entities: { [g.primary]: g.value, ...(ips.length === 1 ? { ip: ips[0]! } : {}) },
        score: scoreOver(-Math.log10(p), -Math.log10(ALPHA)), method: `${SPARSE_AUTH_METHOD}${source}`,
        summary: `${k} failed sign-in${k > 1 ? 's' : ''} on ${g.primary} ${g.value}, which showed ${known.failures} in ${elapsed} windows before (P ≈ ${p.toExponential(1)}): ${textOf(g.failures[0]!).slice(0, 160)}`,
        features: { failures: k, learnedFailures: known.failures, windowsElapsed: elapsed, rate, poissonTail: p, remoteAddresses: ips.length },
      }));
    } else {
      known.failures += k;
    }
  }
  return out;
}
