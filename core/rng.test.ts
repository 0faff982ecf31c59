import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from './rng.ts';

describe('createRng', () => {
  it('is deterministic for a seed', () => {
    const a = createRng(42), b = createRng(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });
  it('forks by name, independent of how much the parent drew', () => {
    const a = createRng(7), b = createRng(7);
    for (let i = 0; i < 100; i++) b.next();
    expect(a.fork('waf').next()).toBe(b.fork('waf').next());
    expect(a.fork('waf').next()).not.toBe(a.fork('vpc').next());
  });
  it('keeps int() inside its bounds', () => {
    fc.assert(fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, span) => {
      const r = createRng(seed);
      for (let i = 0; i < 20; i++) {
        const v = r.int(min, min + span);
        if (v < min || v > min + span || !Number.isInteger(v)) return false;
      }
      return true;
    }));
  });
  it('makes v4-shaped uuids', () => {
    expect(createRng(1).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
