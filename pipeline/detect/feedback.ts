import type { EntityType, FeedbackVerdict, Finding, FindingKind } from '../../core/index.ts';
import type { Candidate } from './candidate.ts';

/**
 * One verdict on one finding, kept self-contained: what it was about (kind, primary entity, templates) rather
 * than only its id, so it still applies after the finding itself is gone and to later episodes of the same thing.
 */
export interface FeedbackEntry {
  findingId: string;
  verdict: FeedbackVerdict;
  note?: string;
  /** Wall time (epoch ms) the verdict was given; a later verdict on the same thing wins. */
  at: number;
  kind: FindingKind;
  entityType: EntityType;
  entity: string;
  /** The finding's templates (template miner findings); absent: the verdict is about the kind on that entity. */
  patterns?: string[];
}

/** The verdict as a finding gives it: what it is about, taken from the finding itself. */
export function feedbackEntryFor(f: Finding, verdict: FeedbackVerdict, at: number, note?: string): FeedbackEntry {
  return {
    findingId: f.findingId,
    verdict,
    at,
    kind: f.kind,
    entityType: f.primary,
    entity: f.entities[f.primary] ?? '',
    ...(f.patterns?.length ? { patterns: [...f.patterns] } : {}),
    ...(note ? { note } : {}),
  };
}

const about = (e: FeedbackEntry, c: Pick<Candidate, 'kind' | 'primary' | 'entities' | 'pattern'>): boolean =>
  e.kind === c.kind && e.entityType === c.primary && e.entity === c.entities[c.primary] && (!e.patterns || (c.pattern !== undefined && e.patterns.includes(c.pattern)));

/**
 * Is this candidate something an operator marked benign? Only exactly that: the same kind on the same entity
 * and, for a template finding, one of the same templates. Another entity, another pattern, another kind all
 * still fire; and a later true-positive verdict on the same thing lifts the suppression (confirmed kinds keep
 * their sensitivity). A verdict never lowers a threshold or touches a baseline: it only decides whether a
 * candidate that fired becomes a finding.
 */
export function suppressedByFeedback(c: Pick<Candidate, 'kind' | 'primary' | 'entities' | 'pattern'>, feedback: readonly FeedbackEntry[]): boolean {
  let latest: FeedbackEntry | undefined;
  for (const e of feedback) if (about(e, c) && (!latest || e.at >= latest.at)) latest = e;
  return latest?.verdict === 'false-positive';
}
