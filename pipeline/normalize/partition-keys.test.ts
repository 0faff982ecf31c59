import { describe, expect, it } from 'vitest';
import type { KeyedRecord } from './normalize-object.ts';
import { PartitionKeys } from './partition-keys.ts';

const rec = (k: string): KeyedRecord => ({ dedupeKey: k, record: { id: k, source: 'waf', time: 1, entities: {}, fields: {}, message: k } });
const keys = (rs: KeyedRecord[]) => rs.map((r) => r.dedupeKey);

describe('PartitionKeys', () => {
  it('keeps what nobody holds and drops what another object owns or repeats within itself', async () => {
    const p = new PartitionKeys();
    p.load('old', ['a']);
    const kept = await p.claim('x', [rec('a'), rec('b'), rec('b'), rec('c')]);
    expect(keys(kept)).toEqual(['b', 'c']);
  });

  it('counts keys of its own earlier index as its own (a rerun after a crash)', async () => {
    const p = new PartitionKeys();
    p.load('x', ['a', 'b']);
    expect(keys(await p.claim('x', [rec('a'), rec('b')]))).toEqual(['a', 'b']);
  });

  it('an object meeting a claimed key waits for the claim: a duplicate if it landed, its own if it failed', async () => {
    const p = new PartitionKeys();
    const first = await p.claim('x', [rec('a'), rec('b')]);
    let second: KeyedRecord[] | undefined;
    const waiting = p.claim('y', [rec('b'), rec('c')]).then((r) => (second = r));
    await Promise.resolve();
    expect(second).toBeUndefined();
    p.release('x', first, true);
    await waiting;
    expect(keys(second!)).toEqual(['c']);

    const third = await p.claim('z', [rec('d')]);
    const fourth = p.claim('w', [rec('d')]);
    p.release('z', third, false);
    expect(keys(await fourth)).toEqual(['d']);
  });
});

describe('curated lines', () => {
  it('carry the dedupeKey first, readable without parsing and by JSON.parse alike', async () => {
    const { curatedLine, dedupeKeyOfLine } = await import('./layout.ts');
    const line = curatedLine('ab12', rec('x').record);
    expect(line.startsWith('{"dedupeKey":"ab12","id":"x"')).toBe(true);
    expect(JSON.parse(line)).toEqual({ dedupeKey: 'ab12', ...rec('x').record });
    expect(dedupeKeyOfLine(line.trimEnd())).toBe('ab12');
    expect(dedupeKeyOfLine('{"id":"x","dedupeKey":"cd"}')).toBe('cd');
    expect(dedupeKeyOfLine('{"id":"x"}')).toBeUndefined();
    expect(dedupeKeyOfLine('not json')).toBeUndefined();
  });
});
