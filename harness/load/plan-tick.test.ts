import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignedSliceEnd, planTick, tickSeed } from './plan-tick.ts';

const NOW = Date.parse('2026-11-21T12:00:00Z');

describe('planTick', () => {
  it('a tick that fires at 12:01:00.004 generates 12:00–12:01', () => {
    const p = planTick(3, Date.parse('2026-11-21T12:01:00.004Z'), 60_000, 42);
    expect(new Date(p.start).toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(new Date(p.end).toISOString()).toBe('2026-11-21T12:01:00.000Z');
    expect(p).toMatchObject({ tick: 3, seed: '42/tick-3' });
  });

  it('a timer a few ms early still counts as the boundary it was scheduled for', () => {
    expect(new Date(alignedSliceEnd(Date.parse('2026-11-21T12:00:59.998Z'), 60_000)).toISOString()).toBe('2026-11-21T12:01:00.000Z');
    expect(new Date(alignedSliceEnd(Date.parse('2026-11-21T12:00:59.000Z'), 60_000)).toISOString()).toBe('2026-11-21T12:00:00.000Z');
  });

  it('slices are aligned to the wall clock, one slice long, end at most 250 ms ahead of now and never a slice behind', () => {
    fc.assert(
      fc.property(fc.integer({ min: NOW - 86_400_000, max: NOW + 86_400_000 }), fc.integer({ min: 1_000, max: 86_400_000 }), fc.nat(1_000_000), (now, slice, tick) => {
        const p = planTick(tick, now, slice, 'seed');
        expect(p.end % slice).toBe(0);
        expect(p.end - p.start).toBe(slice);
        expect(p.end - now).toBeLessThanOrEqual(250);
        expect(now - p.end).toBeLessThan(slice);
      }),
    );
  });

  it('consecutive ticks of the schedule tile event time without gap or overlap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3_600 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), (sliceS, lateA, lateB) => {
        const slice = sliceS * 1000;
        const first = planTick(0, NOW + lateA, slice, 1);
        const second = planTick(1, NOW + slice + lateB, slice, 1);
        expect(second.start).toBe(first.end);
      }),
    );
  });

  it('each tick has its own seed, derived from the run seed and the tick only', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), fc.nat(), (seed, a, b) => {
        expect(tickSeed(seed, a)).toBe(tickSeed(seed, a));
        if (a !== b) expect(tickSeed(seed, a)).not.toBe(tickSeed(seed, b));
      }),
    );
    expect(planTick(5, NOW, 60_000, 7).seed).toBe(planTick(5, NOW + 3_600_000, 60_000, 7).seed);
  });
});
