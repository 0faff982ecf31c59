import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../core/clock.ts';
import { CWL_LIMITS, checkLogEvent, cwlEventBytes, rejectedIndices, sortChronologically, splitLogBatches } from './log-batches.ts';

const T0 = Date.UTC(2026, 10, 20, 12);
const ev = (time: number, message: string) => ({ time, message });

function assertValid(batches: { time: number; message: string }[][]) {
  for (const b of batches) {
    expect(b.length).toBeGreaterThan(0);
    expect(b.length).toBeLessThanOrEqual(CWL_LIMITS.maxEvents);
    expect(b.reduce((n, e) => n + cwlEventBytes(e.message), 0)).toBeLessThanOrEqual(CWL_LIMITS.maxBatchBytes);
    expect(b[b.length - 1]!.time - b[0]!.time).toBeLessThanOrEqual(CWL_LIMITS.maxSpanMs);
    for (let i = 1; i < b.length; i++) expect(b[i]!.time).toBeGreaterThanOrEqual(b[i - 1]!.time);
  }
}

describe('splitLogBatches', () => {
  it('cuts at 10,000 events', () => {
    const events = Array.from({ length: 25_001 }, (_, i) => ev(T0 + i, `m${i}`));
    const batches = splitLogBatches(events);
    expect(batches.map((b) => b.length)).toEqual([10_000, 10_000, 5_001]);
  });

  it('cuts at 1,048,576 bytes counting 26 bytes per event and UTF-8 bytes, not characters', () => {
    // 'é' is 2 bytes in UTF-8: 1,000 chars = 2,000 bytes + 26.
    const msg = 'é'.repeat(1_000);
    const events = Array.from({ length: 1_000 }, (_, i) => ev(T0 + i, msg));
    const batches = splitLogBatches(events.map((e, i) => ({ ...e, message: `${e.message}${i}` })));
    assertValid(batches);
    expect(batches[0]!.length).toBe(Math.floor(CWL_LIMITS.maxBatchBytes / (2_000 + 26 + 3)));
    expect(batches.flat()).toHaveLength(1_000);
  });

  it('cuts so no request spans more than 24 hours', () => {
    const events = [ev(T0, 'a'), ev(T0 + 23 * HOUR, 'b'), ev(T0 + 24 * HOUR + 1, 'c'), ev(T0 + 30 * HOUR, 'd')];
    expect(splitLogBatches(events).map((b) => b.map((e) => e.message))).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('keeps a run of identical events in one request', () => {
    const events = [...Array.from({ length: 9_998 }, (_, i) => ev(T0 + i, `m${i}`)), ev(T0 + 10_000, 'same'), ev(T0 + 10_000, 'same'), ev(T0 + 10_000, 'same')];
    const batches = splitLogBatches(events);
    expect(batches.map((b) => b.length)).toEqual([9_998, 3]);
  });

  it('property: every event lands in exactly one valid request, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 6 * HOUR }), size: fc.integer({ min: 1, max: 300_000 }) }), { maxLength: 60 }),
        (spec) => {
          let t = T0;
          const events = spec.map((s, i) => ev((t += s.dt), `${i}:`.padEnd(s.size, 'x')));
          const batches = splitLogBatches(events);
          assertValid(batches);
          expect(batches.flat()).toEqual(events);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('checkLogEvent', () => {
  const now = T0;
  it('applies the 14-day, 2-hour, retention, size and empty rules', () => {
    expect(checkLogEvent(ev(now - 14 * DAY - 1, 'x'), { now })).toBe('tooOld');
    expect(checkLogEvent(ev(now - 14 * DAY + 1, 'x'), { now })).toBeUndefined();
    expect(checkLogEvent(ev(now + 2 * HOUR + 1, 'x'), { now })).toBe('tooNew');
    expect(checkLogEvent(ev(now - 4 * DAY, 'x'), { now, retentionDays: 3 })).toBe('expired');
    expect(checkLogEvent(ev(now, ''), { now })).toBe('emptyMessage');
    expect(checkLogEvent(ev(now, 'x'.repeat(CWL_LIMITS.maxEventBytes)), { now })).toBe('eventTooLarge');
    expect(checkLogEvent(ev(now, 'x'.repeat(CWL_LIMITS.maxEventBytes - 26)), { now })).toBeUndefined();
    expect(checkLogEvent(ev(now - 14 * DAY + 30_000, 'x'), { now, marginMs: 60_000 })).toBe('tooOld');
  });
});

describe('rejectedIndices', () => {
  it('reads tooOld/expired end indices as exclusive and tooNew start as inclusive', () => {
    expect(rejectedIndices(5, { tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 4 })).toEqual(['tooOld', 'tooOld', undefined, undefined, 'tooNew']);
    expect(rejectedIndices(3, { expiredLogEventEndIndex: 1 })).toEqual(['expired', undefined, undefined]);
    expect(rejectedIndices(2, undefined)).toEqual([undefined, undefined]);
  });
});

describe('sortChronologically', () => {
  it('is stable and returns the same array when already sorted', () => {
    const sorted = [ev(1, 'a'), ev(2, 'b')];
    expect(sortChronologically(sorted)).toBe(sorted);
    expect(sortChronologically([ev(2, 'a'), ev(1, 'b'), ev(1, 'c')]).map((e) => e.message)).toEqual(['b', 'c', 'a']);
  });
});
