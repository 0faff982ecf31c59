import type { NormalizedRecord } from '../../formats/index.ts';
import type { Entities, EntityType, FindingKind, Severity } from '../../core/index.ts';

/** A window-level detection before episode merging: what a signature or model saw in one window. */
export interface Candidate {
  kind: FindingKind;
  primary: EntityType;
  entities: Entities;
  /** 0..1; 0.5 at the threshold, towards 1 as evidence grows. */
  score: number;
  method: string;
  summary: string;
  firstSeen: number;
  lastSeen: number;
  /** Matching events in this window. */
  count: number;
  sampleLines: string[];
  features: Record<string, number>;
  severity?: Severity;
  /** Root-cause candidates only: the chain (root first) and the findings it explains. */
  chain?: string[];
  explains?: string[];
  /**
   * Weak evidence (e.g. one line of a failure class never seen on this entity): not a finding on its own, but
   * promoted to one when root cause analysis links it with trouble along the declared dependencies.
   */
  needsCorroboration?: boolean;
  /** Template miner candidates: the masked template that fired. */
  pattern?: string;
}

/** 0.5 at the threshold, rising towards 1 as the observation exceeds it. */
export function scoreOver(observed: number, threshold: number): number {
  if (threshold <= 0) return 1;
  const r = observed / threshold;
  return r < 1 ? 0.5 * r : Math.min(0.99, 0.5 + 0.5 * (1 - 1 / r));
}

/** How much of a record's message a candidate keeps as a sample line (and all the detector reads of some sources' messages, see compact-record.ts). */
export const SAMPLE_LINE_CHARS = 500;

/** Builds a candidate from the records that are its evidence (times and sample lines come from them). */
export function candidateFrom(
  evidence: NormalizedRecord[],
  c: Omit<Candidate, 'firstSeen' | 'lastSeen' | 'count' | 'sampleLines'> & { count?: number },
): Candidate {
  let first = Infinity, last = -Infinity;
  for (const r of evidence) {
    if (r.time < first) first = r.time;
    if (r.time > last) last = r.time;
  }
  return {
    ...c,
    count: c.count ?? evidence.length,
    firstSeen: first,
    lastSeen: last,
    sampleLines: evidence.slice(0, 3).map((r) => r.message.slice(0, SAMPLE_LINE_CHARS)),
  };
}
