import { createMapper, type Mapper } from '../mapping.ts';
import type { TapContext } from '../tap-context.ts';
import type { Observation, RawFinding, Tap, TapSpec } from '../types.ts';

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * What every tap shares: each raw finding is observed once, when first seen (observedAt = that poll's wall time),
 * and again whenever its content changes (an upserted item: the new content, the first observedAt). In `new`
 * mode, what the source holds when the tap opens is the baseline, not observations.
 */
export abstract class BaseTap implements Tap {
  private readonly seen = new Map<string, { version: string; observedAt: number; arrivedAt: number | undefined }>();
  private readonly map: Mapper;
  protected readonly now: () => number;

  constructor(
    readonly spec: TapSpec,
    protected readonly ctx: TapContext,
  ) {
    this.map = createMapper(spec.name, spec.preset, spec.map);
    this.now = ctx.now ?? Date.now;
  }

  /** Prepare the source (firedrill's own queue, subscription, rule). */
  protected abstract start(): Promise<void>;
  /** Everything the source shows now (stateful sources) or since the last read (queues). */
  protected abstract read(): Promise<RawFinding[]>;
  /** Remove what start() added. */
  protected abstract stop(): Promise<void>;
  /** Does the source hold state worth a baseline (a table, a bucket), rather than deliver messages once? */
  protected readonly stateful: boolean = true;

  async open(): Promise<void> {
    await this.start();
    if (this.ctx.from === 'new' && this.stateful) for (const f of await this.read()) this.seen.set(f.id, { version: this.versionOf(f), observedAt: -1, arrivedAt: f.arrivedAt });
  }

  private versionOf(f: RawFinding): string {
    return f.version ?? canonical(f.raw);
  }

  async poll(): Promise<Observation[]> {
    const at = this.now();
    const out: Observation[] = [];
    for (const f of await this.read()) {
      const version = this.versionOf(f);
      const before = this.seen.get(f.id);
      if (before && before.version === version) continue;
      // A baseline finding that changes is observed now; a known one keeps its first sighting.
      const first = before && before.observedAt >= 0 ? before : { observedAt: at, arrivedAt: f.arrivedAt };
      this.seen.set(f.id, { version, observedAt: first.observedAt, arrivedAt: first.arrivedAt });
      out.push(this.map({ ...f, ...(first.arrivedAt === undefined ? {} : { arrivedAt: first.arrivedAt }) }, first.observedAt));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.stop();
  }
}

/** A message body as a raw finding: the JSON it carries, or `{ message }` when it is not JSON. */
export function bodyAsFinding(body: string): unknown {
  try {
    const v = JSON.parse(body) as unknown;
    return v !== null && typeof v === 'object' ? v : { message: body };
  } catch {
    return { message: body };
  }
}
