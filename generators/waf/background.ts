import type { Rng } from '../../core/index.ts';
import type { WafRecord } from '../../formats/index.ts';
import type { BackgroundGenerator, BackgroundRequest, EntityPools, GeneratedEvent } from '../types.ts';
import { ArrivalCursor } from '../common/rate/arrivals.ts';
import { ByteChunk } from '../common/byte-chunk.ts';
import { fastRng } from '../common/fast-rng.ts';
import { drawBackground, WafDraw } from './draw.ts';
import { wafContext, type WafContext } from './model.ts';
import { wafRecordWriter, type WafRecordWriter } from './record-writer.ts';

/** Records per batch of next(). */
const BATCH = 32;

/** One normal request as a record (see drawBackground for the traffic mix). */
export function backgroundRecord(ctx: WafContext, r: Rng, t: number): WafRecord {
  const d = new WafDraw();
  drawBackground(ctx, r, t, d);
  return d.toRecord(ctx, r);
}

/**
 * Normal web ACL traffic as a pull cursor: `next()` → one record's JSON (or undefined at the end of the
 * window), `fill()` → many newline-terminated records written into a byte chunk. Both splice pre-serialized
 * fragments (WafRecordWriter) and make the same draws, so they give the same text.
 */
export class WafBackgroundStream {
  /** Time of the record just returned by next(). */
  time = 0;
  private readonly ctx: WafContext;
  private readonly r: Rng;
  private readonly times: ArrivalCursor;
  private readonly d = new WafDraw();
  private readonly w: WafRecordWriter;
  // Records written ahead by next(): their text, where each ends, its time, or its own string.
  private readonly batch = new ByteChunk(BATCH * 2400);
  private batchText = '';
  private readonly batchEnd = new Int32Array(BATCH);
  private readonly batchTime = new Float64Array(BATCH);
  private readonly batchOwn: (string | undefined)[] = [];
  private count = 0;
  private at = 0;
  private from = 0;

  constructor(rng: Rng, pools: EntityPools, req: BackgroundRequest) {
    this.ctx = wafContext(pools);
    this.r = fastRng(rng.fork('content'));
    this.times = new ArrivalCursor(fastRng(rng.fork('arrivals')), req.rate, req.window);
    this.w = wafRecordWriter(this.ctx);
  }

  /**
   * Records are written BATCH at a time, decoded in one call and handed out as slices of that text (no
   * copy); a record the writer could not splice keeps its own string (it may not be ASCII).
   */
  next(): string | undefined {
    if (this.at === this.count && !this.refill()) return undefined;
    const i = this.at++;
    this.time = this.batchTime[i]!;
    const end = this.batchEnd[i]!;
    const own = this.batchOwn[i];
    const line = own !== undefined ? own : this.batchText.slice(this.from, end);
    this.from = end;
    return line;
  }

  private refill(): boolean {
    const out = this.batch;
    out.reset();
    let n = 0;
    for (; n < BATCH; n++) {
      const t = this.times.next();
      if (t < 0) break;
      drawBackground(this.ctx, this.r, t, this.d);
      this.batchOwn[n] = this.w.write(out, this.d, this.r) ? undefined : this.w.message(this.d, this.r);
      this.batchEnd[n] = out.pos;
      this.batchTime[n] = t;
    }
    this.count = n;
    this.at = 0;
    this.from = 0;
    this.batchText = n > 0 ? out.latin1(0, out.pos) : '';
    return n > 0;
  }

  /** Appends records until `out` holds `untilBytes` bytes or `maxLines` records; returns how many (0: window over). */
  fill(out: ByteChunk, untilBytes: number, maxLines = Infinity): number {
    let n = 0;
    while (n < maxLines && out.pos < untilBytes) {
      const t = this.times.next();
      if (t < 0) break;
      drawBackground(this.ctx, this.r, t, this.d);
      if (!this.w.write(out, this.d, this.r)) out.utf8(this.w.message(this.d, this.r));
      out.reserve(1);
      out.byte(10);
      n++;
    }
    return n;
  }
}

/** Lines only, for the bench's fast path and the CLI's line output: no event objects. */
export function* wafBackgroundLines(rng: Rng, pools: EntityPools, req: BackgroundRequest): Generator<string, void, undefined> {
  const s = new WafBackgroundStream(rng, pools, req);
  for (let line = s.next(); line !== undefined; line = s.next()) yield line;
}

/** Normal web ACL traffic; every record goes to the WAF Firehose stream. */
export const wafBackground: BackgroundGenerator = {
  source: 'waf',
  *generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Generator<GeneratedEvent, void, undefined> {
    const dest = wafContext(pools).dest;
    const s = new WafBackgroundStream(rng, pools, req);
    for (let line = s.next(); line !== undefined; line = s.next()) yield { time: s.time, source: 'waf', dest, message: line };
  },
};
