import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';

/**
 * Non-empty lines of a gzipped curated object, counted on its bytes as they inflate (a curated line holds no raw
 * newline: JSON escapes them). The object is never inflated whole: one is up to the normalizer's batch of bytes
 * (8 MiB), and the pruner and the read-back count them in firedrill's own process, where inflating each at once held
 * a batch of bytes per object in flight for nothing but a count. `chunkSize`: inflated bytes at a time (tests).
 */
export async function countGzipLines(gz: Uint8Array, chunkSize = 64 * 1024): Promise<number> {
  let n = 0;
  let open = false;
  for await (const chunk of Readable.from([gz], { objectMode: false }).pipe(createGunzip({ chunkSize })) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      if (open || nl > start) n++;
      open = false;
      start = nl + 1;
    }
    if (start < chunk.length) open = true;
  }
  return open ? n + 1 : n;
}
