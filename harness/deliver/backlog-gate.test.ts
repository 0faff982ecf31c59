import { describe, expect, it } from 'vitest';
import { gateOnBacklog } from './backlog-gate.ts';

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('gateOnBacklog', () => {
  it('holds events while the backlog is above the bound, then passes every one in order', async () => {
    // The backlog drains by one per look: 3, 2 (held), then 1 (passes) at the 4th event; 0 at the 8th.
    const seen = [3, 2, 1, 0];
    let looks = 0;
    const passedAt: number[] = [];
    const events = Array.from({ length: 10 }, (_, i) => i);
    const held = { holds: 0, ms: 0 };
    const gated = gateOnBacklog(events, { backlog: async () => [{ source: 'queue q', waiting: seen[Math.min(looks++, seen.length - 1)]!, max: 1 }], every: 4, pollMs: 1, held });
    for await (const _ of gated) passedAt.push(looks);
    expect(looks).toBe(4);
    expect(held.holds).toBe(1);
    expect(await collect(gateOnBacklog(events, { backlog: async () => [{ source: 'queue q', waiting: 0, max: 0 }], every: 3, pollMs: 1 }))).toEqual(events);
    // Events 0-2 passed before any look; event 3 waited for three looks (3, 2, then 1 ≤ max).
    expect(passedAt.slice(0, 4)).toEqual([0, 0, 0, 3]);
  });

  it('lets events through when the backlog cannot be read, and says so', async () => {
    const errors: unknown[] = [];
    const out = await collect(gateOnBacklog([1, 2, 3], { backlog: async () => Promise.reject(new Error('no queue')), every: 1, pollMs: 1, onError: (e) => errors.push(e) }));
    expect(out).toEqual([1, 2, 3]);
    expect(errors).toHaveLength(3);
  });

  it('stops holding after maxHoldMs when the backlog does not come down', async () => {
    const errors: unknown[] = [];
    const out = await collect(gateOnBacklog([1, 2], { backlog: async () => [{ source: 'queue a', waiting: 0, max: 0 }, { source: 'queue b', waiting: 10, max: 0 }], every: 1, pollMs: 5, maxHoldMs: 20, onError: (e) => errors.push(e) }));
    expect(out).toEqual([1, 2]);
    expect(String(errors[0])).toMatch(/queue b stayed at 10 waiting \(above 0\) for 20 ms/);
  });

  it('never holds when no source declares a most', async () => {
    let looks = 0;
    const out = await collect(gateOnBacklog([1, 2, 3, 4], { backlog: async () => (looks++, []), every: 2, pollMs: 1 }));
    expect(out).toEqual([1, 2, 3, 4]);
    expect(looks).toBe(2);
  });
});
