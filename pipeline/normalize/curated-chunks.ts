import zlib from 'node:zlib';
import type { SourceName } from '../../core/index.ts';
import { curatedLine, type PartitionPrefixes } from './layout.ts';
import type { KeyedRecord } from './normalize-object.ts';

/** A line of a chunk: its delivery key (what de-duplication claims), where it sits in the chunk, and its event time. */
export interface LineKey {
  dedupeKey: string;
  line: number;
  time: number;
}

/** One raw object's curated lines for one partition, already compressed: the keys in memory, the data off the heap. */
export interface CuratedChunk {
  source: SourceName;
  /** One per line, in order. */
  keys: LineKey[];
  /** The lines, UTF-8, as one gzip member: a curated object is its chunks' members one after the other. */
  gz: Buffer;
  /** The lines' size inflated (what the normalizer's pending budget and a curated object's size count). */
  bytes: number;
}

// Level 1: curated objects are read once by the detector; on the hot path speed beats the last 15 % of size.
const GZIP = { level: 1 } as const;

/** One partition's lines of a raw object while they are being made: UTF-8 in a buffer that doubles when full. */
interface Building {
  source: SourceName;
  keys: LineKey[];
  buf: Buffer;
  used: number;
}

/**
 * Turns a raw object's records into curated lines as they come, one chunk per partition, each compressed once the
 * object is read. Why lines at once: an invocation holds up to a hundred raw objects, so their records (an object
 * graph of some thirty heap objects each) survived every young-generation GC, were copied twice and promoted — the
 * normalizer spent more time in GC than in JSON; a record that becomes bytes as soon as it is made dies young, and
 * its line's bytes sit in a buffer the GC does not trace. Why compressed before the partition is written: the
 * pending chunks, and the ones being written, were the largest thing the normalizer held (measured at 300k events:
 * its external memory, Buffers mostly, up to 40 MB between invocations; 14–22 MB with this); compressing each chunk
 * costs what compressing the curated object cost. A curated object made of several gzip members is one gzip file
 * (RFC 1952: a file is a series of members; every gunzip, Node's included, reads them all).
 */
export class CuratedChunkBuilder {
  private readonly building = new Map<string, Building>();

  constructor(
    private readonly rawId: string,
    private readonly prefixes: PartitionPrefixes,
  ) {}

  add(r: KeyedRecord): void {
    const partition = this.prefixes.of(r.record.source, r.record.time);
    let b = this.building.get(partition);
    if (!b) this.building.set(partition, (b = { source: r.record.source, keys: [], buf: Buffer.allocUnsafe(64 * 1024), used: 0 }));
    b.keys.push({ dedupeKey: r.dedupeKey, line: b.keys.length, time: r.record.time });
    const line = curatedLine(r.dedupeKey, this.rawId, r.record);
    // UTF-8 takes at most 3 bytes per UTF-16 unit: room for that is room enough.
    const need = b.used + 3 * line.length;
    if (need > b.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, 2 * b.buf.length));
      b.buf.copy(grown, 0, 0, b.used);
      b.buf = grown;
    }
    b.used += b.buf.write(line, b.used, 'utf8');
  }

  /** The chunks, one per partition the records fell in. */
  finish(): Map<string, CuratedChunk> {
    const chunks = new Map<string, CuratedChunk>();
    for (const [partition, b] of this.building) {
      chunks.set(partition, { source: b.source, keys: b.keys, gz: zlib.gzipSync(b.buf.subarray(0, b.used), GZIP), bytes: b.used });
    }
    this.building.clear();
    return chunks;
  }
}

/** The chunks of a raw object's records (CuratedChunkBuilder over a list). */
export function curatedChunks(rawId: string, records: readonly KeyedRecord[], prefixes: PartitionPrefixes): Map<string, CuratedChunk> {
  const builder = new CuratedChunkBuilder(rawId, prefixes);
  for (const r of records) builder.add(r);
  return builder.finish();
}

/** A chunk's lines inflated (UTF-8). */
export function chunkLines(chunk: CuratedChunk): Buffer {
  return zlib.gunzipSync(chunk.gz);
}

/**
 * The chunk's lines in `keep` (a subset of its keys, in order) as a gzip member: the chunk's own when nothing was
 * dropped — the common case — else the kept lines cut out at their newlines (a curated line holds no raw newline:
 * JSON escapes them) and compressed again; nothing when nothing is kept.
 */
export function keptGzip(chunk: CuratedChunk, keep: readonly LineKey[]): Buffer {
  if (keep.length === chunk.keys.length) return chunk.gz;
  if (keep.length === 0) return Buffer.alloc(0);
  const wanted = new Set(keep.map((k) => k.line));
  const lines = chunkLines(chunk);
  const parts: Buffer[] = [];
  let start = 0;
  for (let line = 0; start < lines.length; line++) {
    const end = lines.indexOf(10, start) + 1 || lines.length;
    if (wanted.has(line)) parts.push(lines.subarray(start, end));
    start = end;
  }
  return zlib.gzipSync(Buffer.concat(parts), GZIP);
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
