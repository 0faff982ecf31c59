import { hash } from 'node:crypto';

/** Bytes one key takes in a KeySet's table and in its serialized form. */
export const KEY_BYTES = 16;

/**
 * A set of 128-bit de-duplication keys in one typed array (open addressing, linear probing). A key is the 32 hex
 * digits a dedupeKey is (a SHA-256 prefix), stored whole: membership is exact, so a hit is a duplicate without
 * asking anyone — no confirmation against the curated objects, which a pruner may already have removed. Why not a
 * Set of the strings: a 32-character key in a Set costs about 80 bytes of heap and an object the GC must trace;
 * here 16 bytes (23 to 46 with the table's free slots), and the GC sees one array. Why not a library: the
 * well-kept JS collections (mnemonist and the like) have no growable set of 128-bit values in a typed array.
 */
export class KeySet {
  /** Four words per slot; (0, 0, 0, 0) marks a free slot, so that one key is held by `zero` instead. */
  private table = new Uint32Array(4 * 256);
  private count = 0;
  private zero = false;
  private readonly word = new Uint32Array(4);

  get size(): number {
    return this.count + (this.zero ? 1 : 0);
  }

  /** Bytes the table holds (for the normalizer's memory budget). */
  get bytes(): number {
    return this.table.byteLength;
  }

  /** Adds the key; true when it was new. */
  add(key: string): boolean {
    words(key, this.word);
    return this.addWords(this.word, 0);
  }

  has(key: string): boolean {
    const w = words(key, this.word);
    if (isZero(w, 0)) return this.zero;
    const t = this.table;
    const mask = t.length / 4 - 1;
    for (let i = (w[0]! ^ w[3]!) & mask; ; i = (i + 1) & mask) {
      const at = 4 * i;
      if (t[at] === w[0] && t[at + 1] === w[1] && t[at + 2] === w[2] && t[at + 3] === w[3]) return true;
      if (t[at] === 0 && t[at + 1] === 0 && t[at + 2] === 0 && t[at + 3] === 0) return false;
    }
  }

  /** The keys, 16 bytes each (big-endian words), in table order: what a state object stores. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size * KEY_BYTES);
    const view = new DataView(out.buffer);
    const t = this.table;
    // The zero key, if held, is the first (all zero bytes already).
    let o = this.zero ? KEY_BYTES : 0;
    for (let at = 0; at < t.length; at += 4) {
      if (t[at] === 0 && t[at + 1] === 0 && t[at + 2] === 0 && t[at + 3] === 0) continue;
      for (let j = 0; j < 4; j++) view.setUint32(o + 4 * j, t[at + j]!);
      o += KEY_BYTES;
    }
    return out;
  }

  /** Adds the keys of toBytes() output; the number that were new. */
  addBytes(bytes: Uint8Array): number {
    if (bytes.byteLength % KEY_BYTES !== 0) throw new Error(`a key table is a multiple of ${KEY_BYTES} bytes; saw ${bytes.byteLength}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const w = new Uint32Array(4);
    let added = 0;
    for (let o = 0; o < bytes.byteLength; o += KEY_BYTES) {
      for (let j = 0; j < 4; j++) w[j] = view.getUint32(o + 4 * j);
      if (this.addWords(w, 0)) added++;
    }
    return added;
  }

  private addWords(w: Uint32Array, from: number): boolean {
    if (isZero(w, from)) {
      const added = !this.zero;
      this.zero = true;
      return added;
    }
    if (!this.insert(this.table, w, from)) return false;
    // Grown past 70 % full: linear probing slows down beyond that.
    if (++this.count * 10 > (this.table.length / 4) * 7) this.grow();
    return true;
  }

  /** Inserts (w[from..from+3]) unless present; true when it was new. */
  private insert(t: Uint32Array, w: Uint32Array, from: number): boolean {
    const mask = t.length / 4 - 1;
    const a = w[from]!;
    const b = w[from + 1]!;
    const c = w[from + 2]!;
    const d = w[from + 3]!;
    for (let i = (a ^ d) & mask; ; i = (i + 1) & mask) {
      const at = 4 * i;
      if (t[at] === a && t[at + 1] === b && t[at + 2] === c && t[at + 3] === d) return false;
      if (t[at] === 0 && t[at + 1] === 0 && t[at + 2] === 0 && t[at + 3] === 0) {
        t[at] = a;
        t[at + 1] = b;
        t[at + 2] = c;
        t[at + 3] = d;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    const next = new Uint32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 4) if (old[at] !== 0 || old[at + 1] !== 0 || old[at + 2] !== 0 || old[at + 3] !== 0) this.insert(next, old, at);
    this.table = next;
  }
}

const HEX_KEY = /^[0-9a-f]{32}$/;

const isZero = (w: Uint32Array, at: number) => w[at] === 0 && w[at + 1] === 0 && w[at + 2] === 0 && w[at + 3] === 0;

/**
 * A key as four unsigned 32-bit words, into `out`: its 32 hex digits as they are, or — for a key that is not that
 * (tests, a foreign producer) — the first 128 bits of its SHA-256.
 */
export function words(key: string, out = new Uint32Array(4)): Uint32Array {
  const hex = HEX_KEY.test(key) ? key : hash('sha256', `key\0${key}`, 'hex');
  for (let j = 0; j < 4; j++) out[j] = Number.parseInt(hex.slice(8 * j, 8 * j + 8), 16) >>> 0;
  return out;
}
