import type { Entities, FailureClass, FeedbackVerdict, FindingKind, Severity } from './vocabulary.ts';

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
  /**
   * For findings raised by the template miner (pattern frequency, new pattern, token variation): the masked
   * templates of the episode, `<*>` for variable tokens (at most 20). Feedback keys on them, so a verdict about
   * one pattern never silences another on the same entity.
   */
  patterns?: string[];
  /** The latest verdict an operator or a system gave on this finding (`firedrill feedback`). */
  feedback?: { verdict: FeedbackVerdict; note?: string; at: number };
  /** What the analyzer made of the evidence (pipeline/analyze); absent when none ran or it failed. */
  analysis?: FindingAnalysis;
}

/** The analyzer's reading of a finding: a root-cause explanation, a failure class and what to do. */
export interface FindingAnalysis {
  /** A few sentences naming the root entity and what went wrong. */
  explanation: string;
  category: FailureClass;
  suggestedAction: string;
  /** The entity at the root, as the logs name it (an IP, a database id, a function name …). */
  rootEntity?: string;
  /** Who produced it: `offline` (deterministic, in process), `bedrock` or `openai` (an OpenAI-compatible endpoint). */
  provider: AnalysisProvider;
  /** The model that answered, for bedrock and openai. */
  model?: string;
  /** Why a model's answer was not used and the offline analysis stands in (malformed JSON, an unknown class …). */
  fallbackReason?: string;
}

export type AnalysisProvider = 'offline' | 'bedrock' | 'openai';

export type { Severity };
