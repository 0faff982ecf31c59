import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asciiBytes, ByteChunk } from './byte-chunk.ts';

const text = (c: ByteChunk) => Buffer.from(c.view()).toString('utf8');

describe('ByteChunk', () => {
  it('writes numbers exactly as template literals do (integers, floats, negatives, edges)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.integer({ min: 0, max: 99_999 }), fc.maxSafeNat(), fc.double(), fc.integer()), (n) => {
        const c = new ByteChunk(8);
        c.reserve(64);
        c.uint(n);
        c.reserve(64);
        c.uintSp(n);
        expect(text(c)).toBe(`${n}${n} `);
      }),
      { numRuns: 2000 },
    );
    for (const n of [0, 9, 10, 99, 100, 65535, 65536, 99_999, 100_000, 1777593600, 2 ** 53 - 1, 2 ** 53, 1e21, -0, NaN]) {
      const c = new ByteChunk(4);
      c.reserve(64);
      c.uintSp(n);
      expect(text(c)).toBe(`${n} `);
    }
  });
  it('grows instead of truncating, and decodes what it holds', () => {
    const c = new ByteChunk(4);
    const frag = asciiBytes('abcdefghij');
    for (let i = 0; i < 100; i++) {
      c.reserve(frag.length);
      c.put(frag);
    }
    expect(c.pos).toBe(1000);
    expect(c.latin1(0, 10)).toBe('abcdefghij');
    expect(text(c)).toBe('abcdefghij'.repeat(100));
  });
  it('ascii() refuses non-ASCII text and leaves the cursor where it was; utf8() writes it', () => {
    const c = new ByteChunk(64);
    expect(c.ascii('plain')).toBe(true);
    expect(c.ascii('naïve')).toBe(false);
    expect(c.pos).toBe(5);
    c.utf8('naïve');
    expect(text(c)).toBe('plainnaïve');
    expect(() => asciiBytes('é')).toThrow(/ASCII/);
  });
});
