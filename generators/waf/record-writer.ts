import type { Rng } from '../../core/index.ts';
import { serializeWaf, type WafHeader } from '../../formats/index.ts';
import { asciiBytes, ByteChunk, isAscii } from '../common/byte-chunk.ts';
import type { WafDraw } from './draw.ts';
import { buildRecord, type Outcome, type WafContext } from './model.ts';

/**
 * Writes a drawn WAF record as bytes by splicing pre-serialized JSON fragments around the few values that
 * change per request (timestamp, client address, URI, args, request id).
 *
 * The fragments are not written by hand: each is cut out of serializeWaf's own text for a probe record
 * with the same outcome, front door, headers, country, method and version and marker strings in the
 * variable fields, so the splice reproduces serializeWaf byte for byte (tests compare the two). Anything
 * the splice cannot reproduce exactly (a value that JSON would escape, non-ASCII text) makes `write`
 * return false, and the caller serializes that record the ordinary way.
 */

const PROBE_T = 1_000_000_000_000;
const IP = '@@fd-ip@@';
const URI = '@@fd-uri@@';
const ARGS = '@@fd-args@@';
const RID = '@@fd-rid@@';
const HEAD = `{"timestamp":${PROBE_T}`;

/** Which piece of a cut: 0 after the timestamp, 1 country + headers, 2 args key, 3 version + method, 4 tail. */
type Piece = 0 | 1 | 2 | 3 | 4;

function bytesOrNull(s: string): Uint8Array | null {
  return isAscii(s) ? asciiBytes(s) : null;
}

/** True when JSON writes `s` as is between quotes (printable ASCII, no quote or backslash). */
function plain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 92) return false;
  }
  return true;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const C_TS = asciiBytes('{"timestamp":');

/** Per outcome: the fragment after the timestamp per front door, and the tail per country. */
interface OutcomeFrags {
  afterTime: (Uint8Array | null | undefined)[];
  tail: Map<string, Uint8Array | null>;
}

export class WafRecordWriter {
  private readonly byOutcome = new WeakMap<Outcome, OutcomeFrags>();
  /** `","country":…,"headers":[…],"uri":"` per pool-client header slot… */
  private readonly bySlot: (Uint8Array | null | undefined)[];
  private readonly slotCountry: string[];
  /** …and per header list (with its country) for everyone else; both share the bytes by content. */
  private readonly byHeaderText = new Map<string, Uint8Array | null>();
  private readonly byHeaders = new WeakMap<WafHeader[], { country: string; frag: Uint8Array | null }>();
  /** `","httpVersion":…,"httpMethod":…,"requestId":"` by version, then method. */
  private readonly byVersion = new Map<string, Map<string, Uint8Array | null>>();
  private readonly text = new Map<string, Uint8Array | null>();
  private readonly uriEnds = new Map<string, Uint8Array | null>();
  private sec = -1;
  /** `{"timestamp":` and the current second's ten digits; `1-<seconds in hex>-` (ALB trace ids). */
  private secHead: Uint8Array = new Uint8Array(0);
  private secAlb: Uint8Array = new Uint8Array(0);
  private readonly scratch = new ByteChunk(8 * 1024);

  constructor(private readonly ctx: WafContext) {
    this.bySlot = new Array<Uint8Array | null | undefined>(ctx.pools.clients.length * 6).fill(undefined);
    this.slotCountry = new Array<string>(ctx.pools.clients.length * 6).fill('');
  }

  /** The record as a string (the event path): the same bytes read back, or serializeWaf when they cannot be spliced. */
  message(d: WafDraw, r: Rng): string {
    const s = this.scratch;
    s.reset();
    if (this.write(s, d, r)) return s.latin1(0, s.pos);
    return serializeWaf(d.toRecord(this.ctx, r));
  }

  /** Appends the record (no newline) and returns true, or writes nothing, draws nothing and returns false. */
  write(out: ByteChunk, d: WafDraw, r: Rng): boolean {
    const of = this.outcomeFrags(d.outcome);
    const door = d.door;
    let a = of.afterTime[door.index];
    if (a === undefined) a = of.afterTime[door.index] = this.cut(d, 0);
    let e = of.tail.get(d.country);
    if (e === undefined) of.tail.set(d.country, (e = this.cut(d, 4)));
    const b = this.headersFrag(d);
    let versions = this.byVersion.get(d.httpVersion);
    if (versions === undefined) this.byVersion.set(d.httpVersion, (versions = new Map()));
    let v = versions.get(d.method);
    if (v === undefined) versions.set(d.method, (v = this.cut(d, 3)));
    // The URI's last piece carries `","args":"` with it: one copy fewer per record.
    const prefix = d.uriId < 0 ? this.plainBytes(d.uriPrefix, true) : this.plainBytes(d.uriPrefix, false);
    const suffix = d.uriId < 0 ? EMPTY : this.plainBytes(d.uriSuffix, true);
    const args = this.plainBytes(d.args, false);
    if (a === null || b === null || v === null || e === null || prefix === null || suffix === null || args === null || !plain(d.ip)) return false;

    const t = d.t;
    const sec = Math.floor(t / 1000);
    if (sec !== this.sec) {
      this.sec = sec;
      this.secHead = asciiBytes(`{"timestamp":${sec}`);
      this.secAlb = asciiBytes(`1-${sec.toString(16)}-`);
    }
    out.reserve(a.length + b.length + v.length + e.length + prefix.length + suffix.length + args.length + d.ip.length + 200);
    const ms = t - sec * 1000;
    if (sec >= 1e9 && sec < 1e10 && Number.isInteger(t)) {
      // 13-digit epoch ms: the seconds' digits (cached) and three digits of milliseconds.
      out.put(this.secHead);
      out.byte(48 + ((ms / 100) | 0));
      out.byte(48 + (((ms / 10) | 0) % 10));
      out.byte(48 + (ms % 10));
    } else {
      out.put(C_TS);
      out.uint(t);
    }
    out.put(a);
    out.ascii(d.ip);
    out.put(b);
    out.put(prefix);
    if (d.uriId >= 0) {
      out.uint(d.uriId);
      out.put(suffix);
    }
    out.put(args);
    out.put(v);
    this.requestId(out, r, door.name);
    out.put(e);
    return true;
  }

  /** requestId() of model.ts, the same draws, written as bytes instead of concatenated. */
  private requestId(out: ByteChunk, r: Rng, door: string): void {
    const buf = out.buf;
    if (door === 'ALB') {
      out.put(this.secAlb);
      let p = out.pos;
      for (let k = 0; k < 3; k++) {
        const x = (r.next() * 4294967296) >>> 0;
        for (let sh = 28; sh >= 0; sh -= 4) buf[p++] = HEX_CODES[(x >>> sh) & 15]!;
      }
      out.pos = p;
      return;
    }
    let p = out.pos;
    // b64(rng, n): four characters per draw (24 bits), the last draw's first two when n % 4 == 2.
    const n = door === 'APIGW' ? 14 : 54;
    for (let written = 0; written < n; ) {
      const x = (r.next() * 16777216) | 0;
      buf[p++] = B64_CODES[x >> 18]!;
      buf[p++] = B64_CODES[(x >> 12) & 63]!;
      written += 2;
      if (written < n) {
        buf[p++] = B64_CODES[(x >> 6) & 63]!;
        buf[p++] = B64_CODES[x & 63]!;
        written += 2;
      }
    }
    if (door === 'APIGW') {
      buf[p++] = B64_CODES[(r.next() * 64) | 0]!;
      buf[p++] = 61;
    } else {
      buf[p++] = 61;
      buf[p++] = 61;
    }
    out.pos = p;
  }

  private outcomeFrags(o: Outcome): OutcomeFrags {
    let f = this.byOutcome.get(o);
    if (f === undefined) this.byOutcome.set(o, (f = { afterTime: [], tail: new Map() }));
    return f;
  }

  private headersFrag(d: WafDraw): Uint8Array | null {
    if (d.slot >= 0) {
      let f = this.bySlot[d.slot];
      // A pool client's slot always holds the same header list and country; checked anyway, it is cheap.
      if (f === undefined || this.slotCountry[d.slot] !== d.country) {
        f = this.bySlot[d.slot] = this.sharedHeadersFrag(d);
        this.slotCountry[d.slot] = d.country;
      }
      return f;
    }
    let h = this.byHeaders.get(d.headers);
    if (h === undefined || h.country !== d.country) this.byHeaders.set(d.headers, (h = { country: d.country, frag: this.sharedHeadersFrag(d) }));
    return h.frag;
  }

  /**
   * Thousands of clients share a handful of header lists by content (user agent, language, front door),
   * so the piece is cut once per distinct content, not once per client: less warm-up and less memory.
   */
  private sharedHeadersFrag(d: WafDraw): Uint8Array | null {
    const key = `${d.country}\n${JSON.stringify(d.headers)}`;
    let f = this.byHeaderText.get(key);
    if (f === undefined) {
      f = this.cut(d, 1);
      if (this.byHeaderText.size < 50_000) this.byHeaderText.set(key, f);
    }
    return f;
  }

  /**
   * Bytes of a URI piece or args text (a handful of distinct strings), followed by `","args":"` when
   * `lastOfUri`; null when JSON would escape the text.
   */
  private plainBytes(s: string, lastOfUri: boolean): Uint8Array | null {
    const cache = lastOfUri ? this.uriEnds : this.text;
    let b = cache.get(s);
    if (b === undefined) {
      b = plain(s) ? asciiBytes(lastOfUri ? `${s}","args":"` : s) : null;
      if (cache.size < 10_000) cache.set(s, b);
    }
    return b;
  }

  /** serializeWaf of a probe record like `d` with markers in the variable fields, cut at the markers: one piece. */
  private cut(d: WafDraw, piece: Piece): Uint8Array | null {
    const probe = buildRecord(this.ctx, PROBE_T, d.door, { ip: IP, country: d.country }, d.headers, d.method, URI, ARGS, d.outcome, RID, d.httpVersion);
    const s = serializeWaf(probe);
    // Each marker exactly once, in record order; then the pieces are: after-time … "clientIp":" |
    // ","country":…"uri":" | ","args":" | ","httpVersion":…"requestId":" | "}…
    const at = [IP, URI, ARGS, RID].map((m) => (s.indexOf(m) === s.lastIndexOf(m) ? s.indexOf(m) : -1));
    const ordered = at.every((x, i) => x > 0 && (i === 0 || x > at[i - 1]!));
    const parts = ordered && s.startsWith(HEAD) ? s.slice(HEAD.length).split(/@@fd-(?:ip|uri|args|rid)@@/) : [];
    if (parts.length !== 5 || parts[2] !== '","args":"') return null;
    return bytesOrNull(parts[piece]!);
  }
}

const EMPTY = new Uint8Array(0);

const writers = new WeakMap<WafContext, WafRecordWriter>();
/**
 * The writer of a context, shared like the context itself: its fragments depend on nothing else, and
 * every stream of the same pools would otherwise cut the same ones again.
 */
export function wafRecordWriter(ctx: WafContext): WafRecordWriter {
  let w = writers.get(ctx);
  if (w === undefined) writers.set(ctx, (w = new WafRecordWriter(ctx)));
  return w;
}
