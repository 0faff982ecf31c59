import type { Destination, WireEvent } from '../../core/index.ts';
import type { SourceName } from '../../core/index.ts';

export type { Destination, WireEvent };

/**
 * Why an event did not enter AWS. `tooOld` / `tooNew` / `expired` are AWS's own words
 * (rejectedLogEventsInfo); the rest are limits firedrill enforces before sending, as AWS would refuse them.
 */
export const REJECT_REASONS = [
  'tooOld',
  'tooNew',
  'expired',
  'eventTooLarge',
  'emptyMessage',
  'recordTooLarge',
  'unknownDestination',
  'sendFailed',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Per source: what the sinks were handed, what AWS accepted, what was refused and why. */
export interface SourceIngestCounts {
  generated: number;
  accepted: number;
  rejected: Partial<Record<RejectReason, number>>;
}

/** What the sinks did with a run's events; `calls` counts API calls by operation (after retries). */
export interface IngestLedger {
  sources: Partial<Record<SourceName, SourceIngestCounts>>;
  calls: Record<string, number>;
  /** Retries after throttling, 5xx or network errors, by operation. */
  retries: Record<string, number>;
  /** Examples of rejections (first few per reason), so a report can show what was refused. */
  examples: { source: SourceName; reason: RejectReason; detail: string }[];
  /** Keys of the objects the S3 sink wrote (bucket/key), for tests and reports. */
  s3Objects: string[];
  /**
   * Every accepted PutLogEvents / PutRecordBatch by the fingerprint of what it stored (core/request-fingerprint.ts):
   * its source, events, and how many times it was sent and answered. The ledger counts the copies that landed: more
   * copies than answers is a request stored again after a lost answer (`replayed`). One entry per request, a few
   * dozen bytes for a thousand events.
   */
  requests: Record<string, RequestRecord>;
}

export interface RequestRecord {
  source: SourceName;
  events: number;
  sends: number;
}

/** Mutable tally the sinks share; `snapshot()` turns it into an IngestLedger. */
export class IngestTally {
  private readonly sources: Partial<Record<SourceName, SourceIngestCounts>> = {};
  private readonly calls: Record<string, number> = {};
  private readonly retries: Record<string, number> = {};
  private readonly examples: IngestLedger['examples'] = [];
  private readonly exampleCount = new Map<RejectReason, number>();
  readonly s3Objects: string[] = [];
  private readonly requests: Record<string, RequestRecord> = {};

  private of(source: SourceName): SourceIngestCounts {
    let c = this.sources[source];
    if (!c) {
      c = { generated: 0, accepted: 0, rejected: {} };
      this.sources[source] = c;
    }
    return c;
  }
  generated(source: SourceName, n = 1): void {
    this.of(source).generated += n;
  }
  accepted(source: SourceName, n = 1): void {
    this.of(source).accepted += n;
  }
  rejected(source: SourceName, reason: RejectReason, n = 1, detail?: string): void {
    if (n <= 0) return;
    const r = this.of(source).rejected;
    r[reason] = (r[reason] ?? 0) + n;
    const seen = this.exampleCount.get(reason) ?? 0;
    if (detail !== undefined && seen < 3) {
      this.exampleCount.set(reason, seen + 1);
      this.examples.push({ source, reason, detail });
    }
  }
  /** An accepted request and the fingerprint of what it stored. */
  request(fingerprint: string, source: SourceName, events: number): void {
    if (events <= 0) return;
    const r = (this.requests[fingerprint] ??= { source, events, sends: 0 });
    r.sends++;
  }
  call(op: string): void {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
  }
  retry(op: string): void {
    this.retries[op] = (this.retries[op] ?? 0) + 1;
  }
  snapshot(): IngestLedger {
    return structuredClone({ sources: this.sources, calls: this.calls, retries: this.retries, examples: this.examples, s3Objects: this.s3Objects, requests: this.requests });
  }
}
