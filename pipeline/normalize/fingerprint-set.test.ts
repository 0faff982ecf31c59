import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintSet, fingerprint } from './fingerprint-set.ts';

const key = (i: number) => createHash('sha256').update(String(i)).digest('hex').slice(0, 32);

describe('FingerprintSet', () => {
  it('holds what was added, across growth, and nothing else', () => {
    const s = new FingerprintSet();
    for (let i = 0; i < 50_000; i++) s.add(key(i));
    s.add(key(7));
    expect(s.size).toBe(50_000);
    for (let i = 0; i < 50_000; i++) expect(s.has(key(i))).toBe(true);
    let stray = 0;
    for (let i = 50_000; i < 100_000; i++) if (s.has(key(i))) stray++;
    expect(stray).toBe(0);
    // 8 bytes a slot, at most 70 % full after growth: under 24 bytes a key.
    expect(s.bytes / s.size).toBeLessThan(24);
  });

  it('property: membership is a set of the first 64 bits, also for keys that are not hex', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{32}$/)), { maxLength: 200 }), fc.array(fc.string(), { maxLength: 50 }), (added, probes) => {
        const s = new FingerprintSet();
        for (const k of added) s.add(k);
        const fps = new Set(added.map((k) => fingerprint(k).join(':')));
        expect(s.size).toBe(fps.size);
        for (const k of [...added, ...probes]) expect(s.has(k)).toBe(fps.has(fingerprint(k).join(':')));
      }),
    );
  });

  it('never stores the free-slot marker', () => {
    expect(fingerprint('0'.repeat(32))).toEqual([0, 1]);
    const s = new FingerprintSet();
    s.add('0'.repeat(32));
    expect(s.has('0'.repeat(32))).toBe(true);
    expect(s.has(`${'0'.repeat(15)}2${'0'.repeat(16)}`)).toBe(false);
  });
});
