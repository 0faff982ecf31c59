import { describe, expect, it } from 'vitest';
import { curatedLine, lineageOfLine } from './layout.ts';
import type { KeyedRecord } from './normalize-object.ts';
import { PartitionKeys } from './partition-keys.ts';

const rec = (k: string): KeyedRecord => ({ dedupeKey: k, record: { id: k, source: 'waf', time: 1, entities: {}, fields: {}, message: k } });
const keys = (rs: KeyedRecord[]) => rs.map((r) => r.dedupeKey);
const never = async () => {
  throw new Error('no existence check expected');
};

describe('PartitionKeys', () => {
  it('keeps what nobody holds, counts what the object itself landed before, drops the rest as duplicates', async () => {
    const p = new PartitionKeys(never);
    p.load([
      ['a', 'old'],
      ['e', 'x'],
    ]);
    const [x, y] = await p.claim([
      { rawId: 'x', records: [rec('a'), rec('b'), rec('b'), rec('c'), rec('e')] },
      { rawId: 'y', records: [rec('c'), rec('d')] },
    ]);
    expect([keys(x!.fresh), x!.landed, x!.duplicates]).toEqual([['b', 'c'], 1, 2]);
    expect([keys(y!.fresh), y!.landed, y!.duplicates]).toEqual([['d'], 0, 1]);
  });

  it('a batch meeting a claimed key takes nothing and waits: then a duplicate if it landed, its own if the object is gone', async () => {
    let exists = false;
    const p = new PartitionKeys(async () => exists);
    const [first] = await p.claim([{ rawId: 'x', records: [rec('a'), rec('b')] }]);
    let second: { fresh: KeyedRecord[] }[] | undefined;
    const waiting = p.claim([{ rawId: 'z', records: [rec('z1')] }, { rawId: 'y', records: [rec('b'), rec('c')] }]).then((r) => (second = r));
    await Promise.resolve();
    expect(second).toBeUndefined();
    // z1 was not claimed while waiting: another batch can take it meanwhile.
    const [w] = await p.claim([{ rawId: 'w', records: [rec('z1')] }]);
    expect(keys(w!.fresh)).toEqual(['z1']);
    p.release('w', w!.fresh, { landed: true });
    p.release('x', first!.fresh, { landed: true });
    await waiting;
    expect(second!.map((r) => keys(r.fresh))).toEqual([[], ['c']]);

    // A write that failed: its keys are uncertain until the object is looked up.
    const [third] = await p.claim([{ rawId: 'u', records: [rec('m')] }]);
    p.release('u', third!.fresh, { landed: false, name: 'obj-1' });
    exists = true;
    const [again] = await p.claim([{ rawId: 'u', records: [rec('m')] }]);
    expect([again!.fresh.length, again!.landed]).toEqual([0, 1]);

    const [fourth] = await p.claim([{ rawId: 'v', records: [rec('n')] }]);
    p.release('v', fourth!.fresh, { landed: false, name: 'obj-2' });
    exists = false;
    const [retry] = await p.claim([{ rawId: 'v', records: [rec('n')] }]);
    expect(keys(retry!.fresh)).toEqual(['n']);
  });
});

describe('curated lines', () => {
  it('carry dedupeKey and raw object first, readable without parsing and by JSON.parse alike', () => {
    const line = curatedLine('ab12', 'cd34', rec('x').record);
    expect(line.startsWith('{"dedupeKey":"ab12","rawObject":"cd34","id":"x"')).toBe(true);
    expect(JSON.parse(line)).toEqual({ dedupeKey: 'ab12', rawObject: 'cd34', ...rec('x').record });
    expect(lineageOfLine(line.trimEnd())).toEqual({ dedupeKey: 'ab12', rawObject: 'cd34' });
    expect(lineageOfLine('{"id":"x","rawObject":"r","dedupeKey":"k"}')).toEqual({ dedupeKey: 'k', rawObject: 'r' });
    expect(lineageOfLine('{"id":"x"}')).toBeUndefined();
    expect(lineageOfLine('not json')).toBeUndefined();
  });
});
