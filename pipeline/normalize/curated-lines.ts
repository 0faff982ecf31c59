import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/**
 * The lines of a gzipped curated object, inflated and split as a stream: what is held at a time is one inflated
 * chunk and one line, never the whole object as a string (an object holds up to a normalizer batch of lines, many
 * megabytes inflated, and the detector reads four at a time). node:readline does the splitting, so a line or a
 * multi-byte character that straddles two inflated chunks arrives whole. Empty lines are skipped; a trailing line
 * without a newline is still a line.
 */
export async function* curatedLines(gz: Uint8Array): AsyncGenerator<string> {
  const inflated = Readable.from([gz], { objectMode: false }).pipe(createGunzip());
  const lines = createInterface({ input: inflated, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) if (line.length > 0) yield line;
}
