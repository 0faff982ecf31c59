import type { Entities, FindingKind, Severity } from './vocabulary.ts';

/**
 * What the detector reports. One finding per ongoing incident: while it lasts the same finding is
 * updated (lastSeen, count, score), keyed by `findingId` = hash(kind, primary entity, episode start).
 */
export interface Finding {
  findingId: string;
  kind: FindingKind;
  /** Who/what it is about, as the logs show it. The `primary` entity type is the one it is keyed by. */
  entities: Entities;
  primary: keyof Entities;
  /** Event-time window the evidence spans, epoch ms. */
  firstSeen: number;
  lastSeen: number;
  /** Event time at which the detector first raised it (end of the window that tripped it). */
  detectedAt: number;
  score: number;
  severity: Severity;
  /** Which method raised it: 'signature:ssh-bruteforce', 'iforest:waf', 'template:new-pattern', 'rca' … */
  method: string;
  summary: string;
  evidence: { sampleLines: string[]; features: Record<string, number> };
  /** For root-cause findings: the chain, root first, e.g. ['rds:orders-db connection exhaustion', …]. */
  chain?: string[];
  /** For root-cause findings: ids of the findings it explains. */
  explains?: string[];
}

export type { Severity };
