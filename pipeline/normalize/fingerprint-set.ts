/**
 * A set of 64-bit fingerprints in one typed array (open addressing, linear probing), taken from the first 16 hex
 * digits of a de-duplication key. Why not a Set of the keys: a 32-character key in a Set costs about 80 bytes of
 * heap and a young-generation object the GC must trace; here a key costs 8 bytes (16 to 21 with the table's free
 * slots), and the GC sees one array. Why not a library: the well-kept JS collections (mnemonist and the like) have
 * no growable set of 64-bit values in a typed array.
 *
 * Two different keys can share a fingerprint (probability about n / 2^64 per lookup), so `has` means "maybe": the
 * caller confirms a hit against the keys themselves before it drops anything.
 */
export class FingerprintSet {
  /** Pairs (high, low); (0, 0) marks a free slot, so a fingerprint of (0, 0) is stored as (0, 1). */
  private table = new Uint32Array(2 * 1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Bytes the table holds (for the normalizer's memory budget). */
  get bytes(): number {
    return this.table.byteLength;
  }

  add(key: string): void {
    const [hi, lo] = fingerprint(key);
    if (this.insert(hi, lo) && ++this.count * 10 > (this.table.length / 2) * 7) this.grow();
  }

  has(key: string): boolean {
    const [hi, lo] = fingerprint(key);
    const t = this.table;
    const mask = t.length / 2 - 1;
    for (let i = (lo ^ hi) & mask; ; i = (i + 1) & mask) {
      const h = t[2 * i]!;
      const l = t[2 * i + 1]!;
      if (h === hi && l === lo) return true;
      if (h === 0 && l === 0) return false;
    }
  }

  /** Adds (hi, lo) unless present; true when it was new. */
  private insert(hi: number, lo: number): boolean {
    const t = this.table;
    const mask = t.length / 2 - 1;
    for (let i = (lo ^ hi) & mask; ; i = (i + 1) & mask) {
      const h = t[2 * i]!;
      const l = t[2 * i + 1]!;
      if (h === hi && l === lo) return false;
      if (h === 0 && l === 0) {
        t[2 * i] = hi;
        t[2 * i + 1] = lo;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.insert(old[i]!, old[i + 1]!);
  }
}

/** The first 64 bits of a hex key as two unsigned 32-bit halves; a key that is not hex is hashed (FNV-1a) instead. */
export function fingerprint(key: string): [number, number] {
  if (/^[0-9a-f]{16}/.test(key)) {
    const hi = Number.parseInt(key.slice(0, 8), 16) >>> 0;
    const lo = Number.parseInt(key.slice(8, 16), 16) >>> 0;
    return [hi, hi === 0 && lo === 0 ? 1 : lo];
  }
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return [a, a === 0 && b === 0 ? 1 : b];
}
