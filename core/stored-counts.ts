import type { SourceName } from './vocabulary.ts';

/** `unknown` = pieces no source could be named for. */
export type SourceKey = SourceName | 'unknown';

/**
 * What a pipeline reports of the events it received, per source, for the harness's ledger (generated = accepted +
 * rejected; landed = normalized + quarantined + duplicates). The reference pipeline reads them back from S3 itself,
 * never from in-memory counters of the run.
 */
export interface StoredCounts {
  landed: Partial<Record<SourceKey, number>>;
  normalized: Partial<Record<SourceKey, number>>;
  quarantined: Partial<Record<SourceKey, Record<string, number>>>;
  duplicates: Partial<Record<SourceKey, number>>;
  rawObjects: number;
  /** Raw objects with no normalizer marker: delivered but never processed. */
  unprocessed: string[];
  /** Quarantined notifications (SQS bodies that were not S3 events): outside the event flow. */
  notificationsQuarantined: number;
  /**
   * Landed copies of each write request the harness asked about (by the fingerprint of core/request-fingerprint.ts):
   * more copies than answers is a request stored again after a lost answer, which the ledger counts as replayed.
   */
  requestCopies: Record<string, number>;
}

/** What raw objects held, counted from their bytes: events by source, and copies of the requests asked about. */
export interface RawCounts {
  objects: number;
  landed: Partial<Record<SourceKey, number>>;
  /** Landed copies per request fingerprint (only the fingerprints asked about). */
  requestCopies: Record<string, number>;
}

