import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { curatedLines } from './curated-lines.ts';

const collect = async (gz: Uint8Array) => {
  const out: string[] = [];
  for await (const l of curatedLines(gz)) out.push(l);
  return out;
};

describe('curatedLines', () => {
  it('yields every non-empty line of a gzipped object, the last one without a newline too', async () => {
    expect(await collect(gzipSync('{"a":1}\n\n{"b":2}\n{"c":3}'))).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('keeps lines and multi-byte characters whole across inflated chunks (a large object streams in pieces)', async () => {
    // 40,000 lines of ~60 bytes inflate to ~2.4 MB: many 16 KiB chunks, so lines and the é, ü and 🔥 straddle edges.
    const lines = Array.from({ length: 40_000 }, (_, i) => JSON.stringify({ i, text: `é${'ü'.repeat(i % 7)}🔥 line ${i}` }));
    const got = await collect(gzipSync(`${lines.join('\n')}\n`));
    expect(got.length).toBe(lines.length);
    expect(got).toEqual(lines);
  });

  it('rejects bytes that are not gzip, as reading the whole object did', async () => {
    await expect(collect(Buffer.from('not gzip'))).rejects.toThrow(/header/i);
  });

  it('yields nothing for an empty object', async () => {
    expect(await collect(gzipSync(''))).toEqual([]);
  });
});
