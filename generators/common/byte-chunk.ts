/**
 * A reusable byte buffer that generators write whole lines into: the fast path for output that goes
 * straight to a file or a socket. A string per line costs a concatenation rope that every consumer must
 * flatten and then UTF-8 encode again; here fragments are encoded once (`asciiBytes`) and lines are
 * copied and digit-written into one buffer, handed out as chunks of many lines.
 *
 * Callers `reserve(n)` an upper bound of what they are about to write; the buffer grows when a line is
 * longer than expected, so a bound that is too small costs a copy, never a silent truncation (typed
 * arrays drop out-of-range writes without a word).
 */
export class ByteChunk {
  buf: Uint8Array;
  pos = 0;

  /** A Buffer over the same memory, for decoding (`latin1`). */
  private text: Buffer;

  constructor(capacity = 80 * 1024) {
    this.buf = new Uint8Array(capacity);
    this.text = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
      bigger.set(this.buf.subarray(0, this.pos));
      this.buf = bigger;
      this.text = Buffer.from(bigger.buffer, bigger.byteOffset, bigger.length);
    }
  }

  /** The bytes written so far (a view: valid until the next write after `reset`). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /**
   * Bytes [from, to) as one flat string, read as Latin-1: exact for ASCII, which is all the callers write
   * here (they check), and cheaper than UTF-8 decoding.
   */
  latin1(from: number, to: number): string {
    return this.text.toString('latin1', from, to);
  }

  reset(): void {
    this.pos = 0;
  }

  /**
   * Copies a pre-encoded fragment. TypedArray#set, even for a dozen bytes: measured faster than a JS
   * byte loop (which pays a bounds check per byte) from about five bytes up.
   */
  put(frag: Uint8Array): void {
    this.buf.set(frag, this.pos);
    this.pos += frag.length;
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  /** A number in decimal, as `${n}` writes it (digit by digit for non-negative safe integers). */
  uint(n: number): void {
    if (!(n >= 0 && Number.isSafeInteger(n))) {
      this.ascii(String(n));
      return;
    }
    const buf = this.buf;
    let p = this.pos;
    if (n < 10) {
      buf[p] = 48 + n;
      this.pos = p + 1;
      return;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    p += digits;
    this.pos = p;
    let x = n;
    while (x >= 10) {
      const q = Math.floor(x / 10);
      buf[--p] = 48 + (x - q * 10);
      x = q;
    }
    buf[p - 1] = 48 + x;
  }

  /** A non-negative integer and a space (ports, packets, sizes: the hottest numbers of a flow line). */
  uintSp(n: number): void {
    const buf = this.buf;
    const p = this.pos;
    if (n < 100000 && n >= 0 && (n | 0) === n) {
      // Straight-line digits for up to five: a loop here costs more than the arithmetic.
      if (n < 10) {
        buf[p] = 48 + n;
        buf[p + 1] = 32;
        this.pos = p + 2;
        return;
      }
      let w: number;
      if (n < 100) w = 2;
      else if (n < 1000) w = 3;
      else if (n < 10000) w = 4;
      else w = 5;
      let x = n;
      buf[p + w] = 32;
      for (let i = p + w - 1; i > p; i--) {
        const q = (x / 10) | 0;
        buf[i] = 48 + x - q * 10;
        x = q;
      }
      buf[p] = 48 + x;
      this.pos = p + w + 1;
      return;
    }
    this.uint(n);
    this.buf[this.pos++] = 32;
  }

  /**
   * Writes a string that is expected to be plain ASCII; returns false (having written nothing that
   * counts: `pos` is restored) when it is not, so the caller can fall back to its general path.
   */
  ascii(s: string): boolean {
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) {
        this.pos = start;
        return false;
      }
      buf[p++] = c;
    }
    this.pos = p;
    return true;
  }

  /** Any string, UTF-8 encoded (reserves what it needs). */
  utf8(s: string): void {
    this.reserve(s.length * 3);
    this.pos += encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
  }
}

const encoder = new TextEncoder();

/** The bytes of an ASCII string; throws otherwise (fragments are built once, from known text). */
export function asciiBytes(s: string): Uint8Array {
  // UTF-8 has as many bytes as the string has characters exactly when every character is ASCII.
  const out = encoder.encode(s);
  if (out.length !== s.length) throw new RangeError(`asciiBytes: expected ASCII text, got ${JSON.stringify(s.slice(0, 60))}`);
  return out;
}

/** True when every character of `s` is ASCII. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

