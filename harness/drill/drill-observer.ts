import type { AwsClients } from '../../core/aws/index.ts';
import { errorMessage } from '../../core/index.ts';
import type { LocalRuntime } from '../../runtime/index.ts';
import { handlerReturns, openTaps, type Observation, type TapSet, type TapSpec } from '../observe/index.ts';
import { appendObservations } from '../score/index.ts';

export interface DrillObserverOptions {
  clients: AwsClients;
  account: string;
  taps: readonly TapSpec[];
  /** The local runtime, for `returns` taps (local mode). */
  runtime?: LocalRuntime;
  /** findings.jsonl: every observation is appended as it is seen. */
  findingsFile?: string;
  /** Wall ms between polls while the drill runs (default 1 s). */
  intervalMs?: number;
  /** Notes for a person (a tap that could not be read once, a pattern moto cannot apply). */
  warn?: (message: string) => void;
  /** Called with what each poll brought. */
  onObservations?: (observations: readonly Observation[]) => void;
}

/**
 * The SUT's taps through a drill: opened before delivery (only what appears from then on is an observation),
 * polled in the background while the drill runs so that observedAt is meaningful, and polled a last time at
 * the drill's end. Keeps one observation per tap and id: the latest content, the first sighting.
 */
export class DrillObserver {
  private readonly byKey = new Map<string, Observation>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(
    private readonly opts: DrillObserverOptions,
    private readonly taps: TapSet,
  ) {}

  static async open(opts: DrillObserverOptions): Promise<DrillObserver> {
    const returns = opts.runtime ? handlerReturns(opts.runtime.invocations()) : undefined;
    const taps = await openTaps(opts.taps, { clients: opts.clients, account: opts.account, from: 'new', ...(returns ? { returns } : {}), ...(opts.warn ? { warn: opts.warn } : {}) });
    const o = new DrillObserver(opts, taps);
    o.schedule();
    return o;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.pollOnce().finally(() => this.schedule());
    }, this.opts.intervalMs ?? 1_000);
  }

  private async pollOnce(): Promise<void> {
    let seen: Observation[];
    try {
      seen = await this.taps.poll();
    } catch (err) {
      // A failed poll loses nothing: what it would have seen is still there at the next one.
      this.opts.warn?.(`a tap could not be read: ${errorMessage(err)}`);
      return;
    }
    if (seen.length === 0) return;
    for (const o of seen) {
      const key = `${o.tap}\u0000${o.id}`;
      const before = this.byKey.get(key);
      this.byKey.set(key, before ? { ...o, observedAt: Math.min(before.observedAt, o.observedAt) } : o);
    }
    if (this.opts.findingsFile) await appendObservations(this.opts.findingsFile, seen);
    this.opts.onObservations?.(seen);
  }

  /** Everything observed so far (one per tap and id). */
  observations(): Observation[] {
    return [...this.byKey.values()];
  }

  /** Stops the background polls, polls once more (the drill's end) and returns every observation. */
  async finish(): Promise<Observation[]> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    await this.pollOnce();
    return this.observations();
  }

  /** Removes firedrill's own tap resources (queues, subscriptions, rules). */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling.catch(() => {});
    await this.taps.close();
  }
}
