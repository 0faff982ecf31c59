import { describe, expect, it } from 'vitest';
import { gateOnBacklog } from '../deliver/index.ts';
import { pruneSweeper, reportedBacklog } from './prune-sweeper.ts';

/** A prune hook whose calls return these backlogs in turn (the last one from then on), counting its calls. */
function scriptedHook(backlogs: number[]) {
  const calls: unknown[] = [];
  return {
    calls,
    run: (state: unknown) => {
      calls.push(state);
      return Promise.resolve({ cursor: calls.length, backlog: backlogs[Math.min(calls.length - 1, backlogs.length - 1)] });
    },
  };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
};

describe('reportedBacklog', () => {
  it('reads a count the hook returns, nothing else', () => {
    expect(reportedBacklog({ backlog: 7 })).toBe(7);
    expect(reportedBacklog({ backlog: 0 })).toBe(0);
    expect(reportedBacklog({ backlog: '7' })).toBeUndefined();
    expect(reportedBacklog({ backlog: -1 })).toBeUndefined();
    expect(reportedBacklog({ backlog: Number.NaN })).toBeUndefined();
    expect(reportedBacklog(undefined)).toBeUndefined();
    expect(reportedBacklog(null)).toBeUndefined();
  });
});

describe('pruneSweeper', () => {
  it('hands each call what the last returned and makes one last call on stop', async () => {
    const hook = scriptedHook([3]);
    const s = pruneSweeper({ run: hook.run, everyMs: 1_000_000, maxBacklog: 10, warn: () => {} });
    await s.stop();
    expect(hook.calls).toEqual([undefined]);
    expect(s.backlog()).toEqual([{ source: 'prune hook', waiting: 3, max: 10 }]);
  });

  it('reports no backlog before its first call, or without a most', async () => {
    const hook = scriptedHook([500]);
    const bounded = pruneSweeper({ run: hook.run, everyMs: 1_000_000, maxBacklog: 10, warn: () => {} });
    expect(bounded.backlog()).toEqual([]);
    await bounded.stop();
    const unbounded = pruneSweeper({ run: hook.run, everyMs: 1_000_000, warn: () => {} });
    await unbounded.stop();
    expect(unbounded.backlog()).toEqual([]);
  });

  it('keeps the last state through a failed call and warns once', async () => {
    const seen: unknown[] = [];
    const warnings: string[] = [];
    let n = 0;
    const s = pruneSweeper({
      run: (state) => {
        seen.push(state);
        n++;
        return n === 1 ? Promise.resolve({ backlog: 40 }) : Promise.reject(new Error('moto went away'));
      },
      everyMs: 1,
      maxBacklog: 10,
      warn: (m) => warnings.push(m),
    });
    await until(() => n >= 4);
    await s.stop();
    expect(seen.slice(1).every((x) => (x as { backlog: number }).backlog === 40)).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('moto went away');
    expect(s.backlog()).toEqual([{ source: 'prune hook', waiting: 40, max: 10 }]);
  });

  it('holds the sending while the hook finds more waiting than its most, then lets every event through in order', async () => {
    // The hook finds 250, then 120, then 40 waiting: the gate holds until a call finds 100 or fewer.
    const hook = scriptedHook([250, 120, 40]);
    const s = pruneSweeper({ run: hook.run, everyMs: 3, maxBacklog: 100, warn: () => {} });
    await until(() => hook.calls.length >= 1);
    const held = { holds: 0, ms: 0 };
    const callsWhenPassed: number[] = [];
    const out: number[] = [];
    for await (const e of gateOnBacklog([1, 2, 3, 4], { backlog: () => Promise.resolve(s.backlog()), every: 1, pollMs: 1, held })) {
      callsWhenPassed.push(hook.calls.length);
      out.push(e);
    }
    await s.stop();
    expect(out).toEqual([1, 2, 3, 4]);
    // Nothing passed before the third call (the first that found ≤ 100).
    expect(callsWhenPassed[0]).toBeGreaterThanOrEqual(3);
    expect(held.holds).toBe(1);
  });

  it('does not hold a hook that keeps up', async () => {
    const hook = scriptedHook([100]);
    const s = pruneSweeper({ run: hook.run, everyMs: 1_000_000, maxBacklog: 100, warn: () => {} });
    await s.stop();
    const held = { holds: 0, ms: 0 };
    const out: number[] = [];
    for await (const e of gateOnBacklog([1, 2, 3], { backlog: () => Promise.resolve(s.backlog()), every: 1, pollMs: 1, held })) out.push(e);
    expect(out).toEqual([1, 2, 3]);
    expect(held.holds).toBe(0);
  });
});
