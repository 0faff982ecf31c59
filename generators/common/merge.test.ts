import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeByTime } from './merge.ts';

describe('mergeByTime', () => {
  it('merges sorted sources into one sorted, complete, stable stream', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 50 }), { maxLength: 12 }), (lists) => {
      const sources = lists.map((l, s) => [...l].sort((a, b) => a - b).map((time, i) => ({ time, s, i })));
      const merged = [...mergeByTime(sources)];
      const expected = sources.flat().sort((a, b) => a.time - b.time || a.s - b.s || a.i - b.i);
      expect(merged).toEqual(expected);
    }));
  });
  it('rejects a source that goes back in time', () => {
    expect(() => [...mergeByTime([[{ time: 2 }, { time: 1 }]])]).toThrow(/went back in time/);
  });
  it('closes every source when the consumer stops early', () => {
    let closed = 0;
    function* src(n: number) {
      try {
        for (let i = 0; i < n; i++) yield { time: i };
      } finally {
        closed++;
      }
    }
    for (const e of mergeByTime([src(10), src(10), src(10)])) if (e.time > 2) break;
    expect(closed).toBe(3);
  });
});
