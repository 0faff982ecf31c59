import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../core/vocabulary.ts';
import { gunzipSync } from 'node:zlib';
import { chunkLines, curatedChunks, keptGzip } from './curated-chunks.ts';
import { curatedLines } from './curated-lines.ts';
import { curatedLine, partitionPrefix, PartitionPrefixes } from './layout.ts';
import type { KeyedRecord } from './normalize-object.ts';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 21, 10);

// Messages with what JSON must escape and what UTF-8 must widen: newlines, quotes, control characters, emoji, lone surrogates.
const message = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('a\nb', '{"q":"\\"x\\""}', '\u2028\u0000', '😀é', '\ud800'));
const record = fc.record({
  dedupeKey: fc.stringMatching(/^[0-9a-f]{8}$/),
  source: fc.constantFrom(...SOURCES),
  hour: fc.integer({ min: 0, max: 3 }),
  message,
});

const keyed = (r: { dedupeKey: string; source: (typeof SOURCES)[number]; hour: number; message: string }): KeyedRecord => ({
  dedupeKey: r.dedupeKey,
  record: { id: r.dedupeKey, source: r.source, time: T + r.hour * HOUR + 17, entities: { ip: '10.0.0.1' }, fields: { n: 1, s: r.message }, message: r.message },
});

describe('curatedChunks', () => {
  it('holds, per partition and in order, exactly the curated lines of the records, and one key per line', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), (rs) => {
        const records = rs.map(keyed);
        const chunks = curatedChunks('raw1', records, new PartitionPrefixes('curated/'));
        const expected = new Map<string, KeyedRecord[]>();
        for (const r of records) {
          const p = partitionPrefix('curated/', r.record.source, r.record.time);
          expected.set(p, [...(expected.get(p) ?? []), r]);
        }
        expect([...chunks.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [p, chunk] of chunks) {
          const mine = expected.get(p)!;
          expect(chunk.source).toBe(mine[0]!.record.source);
          expect(chunk.keys).toEqual(mine.map((r, line) => ({ dedupeKey: r.dedupeKey, line, time: r.record.time })));
          const text = mine.map((r) => curatedLine(r.dedupeKey, 'raw1', r.record)).join('');
          expect(chunkLines(chunk).toString('utf8')).toBe(text);
          expect(chunk.bytes).toBe(Buffer.byteLength(text, 'utf8'));
        }
      }),
    );
  });
});

describe('keptGzip', () => {
  it('gives the kept lines, byte for byte, whatever subset is kept', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 40 }).chain((rs) => fc.tuple(fc.constant(rs), fc.subarray(rs.map((_, i) => i)))), ([rs, keep]) => {
        const records = rs.map((r) => keyed({ ...r, source: 'waf', hour: 0 }));
        const [chunk] = [...curatedChunks('raw2', records, new PartitionPrefixes('curated/')).values()];
        const gz = keptGzip(chunk!, keep.map((i) => chunk!.keys[i]!));
        // Nothing kept is no member at all (an empty gzip file is not one).
        const kept = keep.length === 0 ? gz : gunzipSync(gz);
        const lines = keep.map((i) => curatedLine(records[i]!.dedupeKey, 'raw2', records[i]!.record));
        expect(kept.toString('utf8')).toBe(lines.join(''));
        // Each kept line still parses as the record it came from.
        const text = kept.toString('utf8');
        const parsed = text ? text.trimEnd().split('\n').map((l) => JSON.parse(l) as { dedupeKey: string }) : [];
        expect(parsed.map((p) => p.dedupeKey)).toEqual(keep.map((i) => records[i]!.dedupeKey));
      }),
    );
  });

  it('hands back the chunk itself when every line is kept (no copy on the common path)', () => {
    const [chunk] = [...curatedChunks('raw3', [keyed({ dedupeKey: 'aa', source: 'waf', hour: 0, message: 'x' })], new PartitionPrefixes('curated/')).values()];
    expect(keptGzip(chunk!, chunk!.keys)).toBe(chunk!.gz);
  });

  it('makes, from several chunks one after the other, one gzip file of all their kept lines', () => {
    const records = ['a', 'b', 'c', 'd'].map((m, i) => keyed({ dedupeKey: `0${i}`, source: 'waf', hour: 0, message: m }));
    const [one] = [...curatedChunks('raw4', records.slice(0, 2), new PartitionPrefixes('curated/')).values()];
    const [two] = [...curatedChunks('raw5', records.slice(2), new PartitionPrefixes('curated/')).values()];
    const file = Buffer.concat([keptGzip(one!, one!.keys), keptGzip(two!, [two!.keys[1]!])]);
    const lines = gunzipSync(file).toString('utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { message: string }).message);
    expect(lines).toEqual(['a', 'b', 'd']);
  });

  it("is read whole, every member's lines, by the detector's streaming reader", async () => {
    const records = Array.from({ length: 3_000 }, (_, i) => keyed({ dedupeKey: i.toString(16).padStart(8, '0'), source: 'waf', hour: 0, message: `m${i} ${'x'.repeat(i % 300)}` }));
    const members = [0, 1, 2].map((k) => [...curatedChunks(`raw${k}`, records.slice(k * 1_000, (k + 1) * 1_000), new PartitionPrefixes('curated/')).values()][0]!);
    const seen: string[] = [];
    for await (const line of curatedLines(Buffer.concat(members.map((c) => keptGzip(c, c.keys))))) seen.push((JSON.parse(line) as { dedupeKey: string }).dedupeKey);
    expect(seen).toEqual(records.map((r) => r.dedupeKey));
  });
});
