import { DAY, HOUR } from '../../core/index.ts';
import type { RejectReason } from './types.ts';

/** PutLogEvents limits (CloudWatch Logs API reference). Emulators do not enforce them; firedrill does. */
export const CWL_LIMITS = {
  maxEvents: 10_000,
  /** Sum of UTF-8 message bytes plus `perEventOverhead` for each event. */
  maxBatchBytes: 1_048_576,
  perEventOverhead: 26,
  /** A batch may not span more than 24 hours. */
  maxSpanMs: 24 * HOUR,
  /** One event (message bytes + overhead) must fit in a batch on its own. */
  maxEventBytes: 1_048_576,
  /** Events older than 14 days or more than 2 hours in the future are rejected one by one. */
  maxAgeMs: 14 * DAY,
  maxFutureMs: 2 * HOUR,
} as const;
export type CwlLimits = { -readonly [K in keyof typeof CWL_LIMITS]: number };

export interface TimedMessage {
  time: number;
  message: string;
}

/** Bytes an event counts for against the 1 MiB batch limit. */
export function cwlEventBytes(message: string, limits: CwlLimits = CWL_LIMITS): number {
  return Buffer.byteLength(message, 'utf8') + limits.perEventOverhead;
}

export interface EventCheckContext {
  /** AWS's "now" (the sink's clock at send time). */
  now: number;
  /** The log group's retention; events before it are `expired`. */
  retentionDays?: number;
  /**
   * Events this close to the 14-day / 2-hour bounds are refused here rather than sent: the bound moves while
   * a request is in flight, and AWS and moto disagree on rejectedLogEventsInfo index semantics (see the report).
   */
  marginMs?: number;
}

/** Why AWS would refuse this event, or undefined when it would take it. */
export function checkLogEvent(e: TimedMessage, ctx: EventCheckContext, limits: CwlLimits = CWL_LIMITS): RejectReason | undefined {
  if (e.message.length === 0) return 'emptyMessage';
  if (cwlEventBytes(e.message, limits) > limits.maxEventBytes) return 'eventTooLarge';
  const margin = ctx.marginMs ?? 0;
  if (e.time < ctx.now - limits.maxAgeMs + margin) return 'tooOld';
  if (ctx.retentionDays !== undefined && e.time < ctx.now - ctx.retentionDays * DAY + margin) return 'expired';
  if (e.time > ctx.now + limits.maxFutureMs - margin) return 'tooNew';
  return undefined;
}

/** Stable chronological order (PutLogEvents requires it within a request). */
export function sortChronologically<T extends TimedMessage>(events: T[]): T[] {
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.time < events[i - 1]!.time) return events.map((e, idx) => ({ e, idx })).sort((a, b) => a.e.time - b.e.time || a.idx - b.idx).map((x) => x.e);
  }
  return events;
}

/**
 * Splits chronologically sorted events into PutLogEvents requests that respect every limit. A run of identical
 * events (same time and message) is never split across requests, so a request's content identifies it: the
 * normalizer's duplicate detection relies on that (see pipeline/normalize/dedupe-key.ts).
 */
export function splitLogBatches<T extends TimedMessage>(sorted: readonly T[], limits: CwlLimits = CWL_LIMITS): T[][] {
  const batches: T[][] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    const b = cwlEventBytes(e.message, limits);
    const count = i - start;
    const full = count > 0 && (count + 1 > limits.maxEvents || bytes + b > limits.maxBatchBytes || e.time - sorted[start]!.time > limits.maxSpanMs);
    if (full) {
      let cut = i;
      const prev = sorted[i - 1]!;
      if (prev.time === e.time && prev.message === e.message) {
        let r = i - 1;
        while (r > start && sorted[r - 1]!.time === e.time && sorted[r - 1]!.message === e.message) r--;
        // A run longer than a whole batch cannot stay together; it is cut where it must be.
        if (r > start) cut = r;
      }
      batches.push(sorted.slice(start, cut));
      start = cut;
      bytes = 0;
      for (let k = cut; k < i; k++) bytes += cwlEventBytes(sorted[k]!.message, limits);
    }
    bytes += b;
  }
  if (start < sorted.length) batches.push(sorted.slice(start));
  return batches;
}

/** Reasons per index from a PutLogEvents response, read as the API reference defines the indices. */
export function rejectedIndices(
  count: number,
  info: { tooOldLogEventEndIndex?: number; tooNewLogEventStartIndex?: number; expiredLogEventEndIndex?: number } | undefined,
): (RejectReason | undefined)[] {
  const out: (RejectReason | undefined)[] = new Array(count).fill(undefined);
  if (!info) return out;
  // tooOldLogEventEndIndex and expiredLogEventEndIndex are exclusive; tooNewLogEventStartIndex is inclusive.
  for (let i = 0; i < Math.min(count, info.tooOldLogEventEndIndex ?? 0); i++) out[i] = 'tooOld';
  for (let i = 0; i < Math.min(count, info.expiredLogEventEndIndex ?? 0); i++) out[i] ??= 'expired';
  if (info.tooNewLogEventStartIndex !== undefined) for (let i = Math.max(0, info.tooNewLogEventStartIndex); i < count; i++) out[i] ??= 'tooNew';
  return out;
}
