import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEY_BYTES, KeySet } from './key-set.ts';

const key = (i: number) => createHash('sha256').update(String(i)).digest('hex').slice(0, 32);

describe('KeySet', () => {
  it('holds what was added, across growth, and nothing else; 16 bytes a key, under 46 with free slots', () => {
    const s = new KeySet();
    for (let i = 0; i < 20_000; i++) expect(s.add(key(i))).toBe(true);
    expect(s.add(key(7))).toBe(false);
    expect(s.size).toBe(20_000);
    for (let i = 0; i < 20_000; i++) expect(s.has(key(i))).toBe(true);
    let stray = 0;
    for (let i = 20_000; i < 40_000; i++) if (s.has(key(i))) stray++;
    expect(stray).toBe(0);
    expect(s.bytes / s.size).toBeLessThan(46);
    expect(s.toBytes().byteLength).toBe(20_000 * KEY_BYTES);
  });

  it('is exact: keys that share their first 64 or 96 bits are told apart', () => {
    const s = new KeySet();
    const a = `${'ab'.repeat(12)}${'0'.repeat(8)}`;
    s.add(a);
    expect(s.has(`${'ab'.repeat(8)}${'1'.repeat(16)}`)).toBe(false);
    expect(s.has(`${'ab'.repeat(12)}${'0'.repeat(7)}1`)).toBe(false);
    expect(s.has(a)).toBe(true);
  });

  it('property: a set of its keys, hex or not, and the same set after toBytes / addBytes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{32}$/)), { maxLength: 300 }), fc.array(fc.string(), { maxLength: 50 }), (added, probes) => {
        const s = new KeySet();
        for (const k of added) s.add(k);
        const distinct = new Set(added);
        expect(s.size).toBe(distinct.size);
        const back = new KeySet();
        expect(back.addBytes(s.toBytes())).toBe(distinct.size);
        for (const k of [...added, ...probes]) {
          expect(s.has(k)).toBe(distinct.has(k));
          expect(back.has(k)).toBe(distinct.has(k));
        }
      }),
    );
  });

  it('holds the all-zero key apart from the free-slot marker', () => {
    const s = new KeySet();
    expect(s.has('0'.repeat(32))).toBe(false);
    s.add('0'.repeat(32));
    expect([s.has('0'.repeat(32)), s.has(`${'0'.repeat(31)}1`), s.size]).toEqual([true, false, 1]);
    const back = new KeySet();
    back.addBytes(s.toBytes());
    expect([back.has('0'.repeat(32)), back.size]).toEqual([true, 1]);
  });

  it('refuses a key table that is not whole keys', () => {
    expect(() => new KeySet().addBytes(new Uint8Array(KEY_BYTES + 3))).toThrow(/multiple of 16 bytes; saw 19/);
  });
});
