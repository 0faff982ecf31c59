import { describe, expect, it } from 'vitest';
import { curatedLine, lineageOfLine, timeOfLine } from './layout.ts';
import type { KeyedRecord } from './normalize-object.ts';
import { PartitionKeys } from './partition-keys.ts';

const rec = (k: string): KeyedRecord => ({ dedupeKey: k, record: { id: k, source: 'waf', time: 1, entities: {}, fields: {}, message: k } });
const keys = (rs: KeyedRecord[]) => rs.map((r) => r.dedupeKey);
const never = async () => {
  throw new Error('no existence check expected');
};
/** A partition over an in-memory store of what its curated objects hold (key → raw object). */
function partition(exists: (name: string) => Promise<boolean> = never) {
  const store = new Map<string, string>();
  const p = new PartitionKeys(exists);
  /** Claims, "writes" the fresh records into the store, releases. */
  const write = async (objects: { rawId: string; records: KeyedRecord[] }[]) => {
    const out = await p.claim(objects);
    objects.forEach((o, i) => {
      for (const r of out[i]!.fresh) store.set(r.dedupeKey, o.rawId);
      p.release(o.rawId, out[i]!.fresh, { landed: true, name: `obj-${o.rawId}` });
    });
    return out;
  };
  return { p, store, write };
}

describe('PartitionKeys', () => {
  it('keeps what nobody holds, counts what the object itself landed before, drops the rest as duplicates', async () => {
    const { p, store } = partition();
    store.set('a', 'old').set('e', 'x');
    p.load(store);
    const [x, y] = await p.claim([
      { rawId: 'x', records: [rec('a'), rec('b'), rec('b'), rec('c'), rec('e')] },
      { rawId: 'y', records: [rec('c'), rec('d')] },
    ]);
    expect([keys(x!.fresh), x!.landed, x!.duplicates]).toEqual([['b', 'c'], 1, 2]);
    expect([keys(y!.fresh), y!.landed, y!.duplicates]).toEqual([['d'], 0, 1]);
  });

  it('settles a raw object seen before by its line count: what it holds landed, the rest were duplicates', async () => {
    const { p, write } = partition();
    await write([{ rawId: 'other', records: [rec('k2')] }]);
    const [first] = await write([{ rawId: 'x', records: [rec('k1'), rec('k2'), rec('k3')] }]);
    expect([keys(first!.fresh), first!.duplicates]).toEqual([['k1', 'k3'], 1]);
    const [again] = await p.claim([{ rawId: 'x', records: [rec('k1'), rec('k2'), rec('k3')] }]);
    expect([again!.fresh.length, again!.landed, again!.duplicates]).toEqual([0, 2, 1]);
  });

  it('holds keys exactly: a key that only shares its first 64 bits with a held one is kept', async () => {
    const { p, write } = partition();
    const a = `${'ab'.repeat(8)}${'0'.repeat(16)}`;
    const b = `${'ab'.repeat(8)}${'1'.repeat(16)}`;
    await write([{ rawId: 'x', records: [rec(a)] }]);
    const [y] = await p.claim([{ rawId: 'y', records: [rec(b), rec(a)] }]);
    expect([keys(y!.fresh), y!.duplicates]).toEqual([[b], 1]);
  });

  it('a batch meeting a claimed key takes nothing and waits: then a duplicate if it landed, its own if the object is gone', async () => {
    let exists = false;
    const { p, store } = partition(async () => exists);
    const [first] = await p.claim([{ rawId: 'x', records: [rec('a'), rec('b')] }]);
    let second: { fresh: KeyedRecord[] }[] | undefined;
    const waiting = p.claim([{ rawId: 'z', records: [rec('z1')] }, { rawId: 'y', records: [rec('b'), rec('c')] }]).then((r) => (second = r));
    await Promise.resolve();
    expect(second).toBeUndefined();
    // z1 was not claimed while waiting: another batch can take it meanwhile.
    const [w] = await p.claim([{ rawId: 'w', records: [rec('z1')] }]);
    expect(keys(w!.fresh)).toEqual(['z1']);
    store.set('z1', 'w');
    p.release('w', w!.fresh, { landed: true, name: 'written' });
    store.set('a', 'x').set('b', 'x');
    p.release('x', first!.fresh, { landed: true, name: 'written' });
    await waiting;
    expect(second!.map((r) => keys(r.fresh))).toEqual([[], ['c']]);

    // A write that failed: its keys are uncertain until the object is looked up.
    const [third] = await p.claim([{ rawId: 'u', records: [rec('m')] }]);
    p.release('u', third!.fresh, { landed: false, name: 'obj-1' });
    exists = true;
    store.set('m', 'u');
    const [again] = await p.claim([{ rawId: 'u', records: [rec('m')] }]);
    expect([again!.fresh.length, again!.landed]).toEqual([0, 1]);

    const [fourth] = await p.claim([{ rawId: 'v', records: [rec('n')] }]);
    p.release('v', fourth!.fresh, { landed: false, name: 'obj-2' });
    exists = false;
    const [retry] = await p.claim([{ rawId: 'v', records: [rec('n')] }]);
    expect(keys(retry!.fresh)).toEqual(['n']);
    expect(p.idle).toBe(false);
    p.release('v', retry!.fresh, { landed: true, name: 'written' });
    expect(p.idle).toBe(false);
    p.release('y', second![1]!.fresh, { landed: true, name: 'written' });
    expect(p.idle).toBe(true);
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
    expect(timeOfLine(line)).toBe(1);
    expect(timeOfLine(curatedLine('ab12', 'cd34', { ...rec('a "q" \\').record, time: 1_700_000_000_123 }))).toBe(1_700_000_000_123);
    expect(timeOfLine('{"id":"x","time":42}')).toBe(42);
  });
});
