import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { countGzipLines } from './count-lines.ts';

/** Non-empty lines of a text, the plain way. */
const lines = (text: string) => text.split('\n').filter((l) => l.length > 0).length;

describe('countGzipLines', () => {
  it('counts non-empty lines, a last line without a newline included, across any inflated chunk boundary', async () => {
    for (const text of ['', '\n', 'a', 'a\n', '\n\na\n\nb', '{"x":1}\n{"y":"é→"}\n{"z":2}']) {
      for (const chunkSize of [64, 1024, 64 * 1024]) expect(await countGzipLines(zlib.gzipSync(text), chunkSize)).toBe(lines(text));
    }
  });

  it('agrees with splitting the inflated text on random lines, empty ones and gzip members concatenated', async () => {
    const rng = createRng('count-lines');
    for (let run = 0; run < 20; run++) {
      const text = Array.from({ length: 1 + Math.floor(rng.next() * 400) }, () => 'x'.repeat(Math.floor(rng.next() * 300))).join('\n') + (rng.next() < 0.5 ? '\n' : '');
      const cut = Math.floor(rng.next() * text.length);
      const gz = Buffer.concat([zlib.gzipSync(text.slice(0, cut)), zlib.gzipSync(text.slice(cut))]);
      expect(await countGzipLines(gz, 64)).toBe(lines(text));
    }
  });

  it('fails on bytes that are not gzip, as inflating them whole did', async () => {
    await expect(countGzipLines(Buffer.from('not gzip'))).rejects.toThrow();
  });
});
