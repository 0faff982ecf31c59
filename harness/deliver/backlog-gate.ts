import { setTimeout as sleep } from 'node:timers/promises';

/** What waits at one of the SUT's sources, against the most its trigger lets wait. */
export interface Backlog {
  source: string;
  waiting: number;
  max: number;
}

export interface BacklogGateOptions {
  /** What waits downstream now (e.g. LocalRuntime.backlog: notifications queued for a handler). */
  backlog: () => Promise<readonly Backlog[]>;
  /** Events between two looks at the backlog. */
  every: number;
  /** Wall ms between two looks while held. */
  pollMs: number;
  /**
   * Longest wall time one hold lasts: a backlog that does not come down (a consumer that stopped) then lets events
   * through, as a failed look does — the gate bounds memory, it must not hang a run.
   */
  maxHoldMs?: number;
  /** Filled in as events pass: how many times and how long (wall ms) the sending was held. */
  held?: { holds: number; ms: number };
  /** A failed look or a hold past maxHoldMs lets events through (it costs only the bound, never an event). */
  onError?: (err: unknown) => void;
}

const over = (b: readonly Backlog[]) => b.find((x) => x.waiting > x.max);

/**
 * Passes `events` on, holding them back while a backlog is above its most. The sinks can send far faster than a
 * SUT's handler run locally consumes on a small machine; without a gate, what is delivered but not yet consumed —
 * raw objects and their notifications — piles up on the target (an emulator keeps it all in memory), so memory
 * grows with the number of events instead of with the batch sizes. Only the pace of the sending changes: every
 * event is passed on, in order, and what a drill measures runs on event time.
 */
export async function* gateOnBacklog<T>(events: Iterable<T> | AsyncIterable<T>, opts: BacklogGateOptions): AsyncGenerator<T> {
  let n = 0;
  for await (const e of events) {
    if (++n % opts.every === 0) {
      const since = Date.now();
      let held = false;
      for (;;) {
        let full: Backlog | undefined;
        try {
          full = over(await opts.backlog());
        } catch (err) {
          opts.onError?.(err);
          break;
        }
        if (!full) break;
        held = true;
        if (opts.maxHoldMs !== undefined && Date.now() - since >= opts.maxHoldMs) {
          opts.onError?.(new Error(`${full.source} stayed at ${full.waiting} waiting (above ${full.max}) for ${opts.maxHoldMs} ms`));
          break;
        }
        await sleep(opts.pollMs);
      }
      if (held && opts.held) {
        opts.held.holds++;
        opts.held.ms += Date.now() - since;
      }
    }
    yield e;
  }
}
