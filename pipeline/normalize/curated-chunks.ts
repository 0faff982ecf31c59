import type { SourceName } from '../../core/index.ts';
import { curatedLine, type PartitionPrefixes } from './layout.ts';
import type { KeyedRecord } from './normalize-object.ts';

/** A line of a chunk: its delivery key (what de-duplication claims), where it sits in the chunk, and its event time. */
export interface LineKey {
  dedupeKey: string;
  line: number;
  time: number;
}

/** One raw object's curated lines for one partition, already UTF-8: the keys in memory, the data off the heap. */
export interface CuratedChunk {
  source: SourceName;
  /** One per line of `bytes`, in order. */
  keys: LineKey[];
  bytes: Buffer;
}

/**
 * Turns a raw object's records into curated lines right away, one chunk per partition. Why not keep the records
 * until the batch is written: an invocation holds up to a hundred raw objects, so their records (an object graph
 * of some thirty heap objects each) survived every young-generation GC of the invocation, were copied twice and
 * promoted — the normalizer spent more time in GC than in JSON. As bytes in a Buffer they cost the GC nothing.
 */
export function curatedChunks(rawId: string, records: readonly KeyedRecord[], prefixes: PartitionPrefixes): Map<string, CuratedChunk> {
  const building = new Map<string, { source: SourceName; keys: LineKey[]; lines: string[] }>();
  for (const r of records) {
    const partition = prefixes.of(r.record.source, r.record.time);
    let b = building.get(partition);
    if (!b) building.set(partition, (b = { source: r.record.source, keys: [], lines: [] }));
    b.keys.push({ dedupeKey: r.dedupeKey, line: b.lines.length, time: r.record.time });
    b.lines.push(curatedLine(r.dedupeKey, rawId, r.record));
  }
  const chunks = new Map<string, CuratedChunk>();
  for (const [partition, b] of building) chunks.set(partition, { source: b.source, keys: b.keys, bytes: Buffer.from(b.lines.join(''), 'utf8') });
  return chunks;
}

/**
 * The bytes of the chunk's lines in `keep` (a subset of its keys, in order): the whole chunk when nothing was
 * dropped — the common case — else the kept lines cut out at their newlines (a curated line holds no raw newline:
 * JSON escapes them).
 */
export function keptBytes(chunk: CuratedChunk, keep: readonly LineKey[]): Buffer {
  if (keep.length === chunk.keys.length) return chunk.bytes;
  const wanted = new Set(keep.map((k) => k.line));
  const parts: Buffer[] = [];
  let start = 0;
  for (let line = 0; start < chunk.bytes.length; line++) {
    const end = chunk.bytes.indexOf(10, start) + 1 || chunk.bytes.length;
    if (wanted.has(line)) parts.push(chunk.bytes.subarray(start, end));
    start = end;
  }
  return Buffer.concat(parts);
}

/** The first and last event time among the kept lines of several chunks (what a curated object's name declares). */
export function timeRange(kept: readonly (readonly [CuratedChunk, readonly LineKey[]])[]): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const [, keys] of kept) {
    for (const k of keys) {
      if (k.time < min) min = k.time;
      if (k.time > max) max = k.time;
    }
  }
  return { min: Math.floor(min), max: Math.floor(max) };
}
