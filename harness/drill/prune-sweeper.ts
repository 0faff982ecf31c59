import { errorMessage } from '../../core/index.ts';
import type { Backlog } from '../deliver/index.ts';

export interface PruneSweeperOptions {
  /** One call of the SUT's prune hook with what its last call returned (runPruneHook). */
  run: (state: unknown) => Promise<unknown>;
  /** Wall ms between two calls while delivering. */
  everyMs: number;
  /**
   * The SUT file's `prune.maxBacklog`: the most its hook may find waiting (the `backlog` its last call returned)
   * before the sending holds. Absent: the sweeper reports no backlog.
   */
  maxBacklog?: number;
  /** Said once, on the first failed call. */
  warn: (m: string) => void;
}

export interface PruneSweeper {
  /** What the hook's last call found waiting, against prune.maxBacklog (none before its first call, or without a most). */
  backlog(): Backlog[];
  /** Ends the timer and makes one last call. */
  stop(): Promise<void>;
}

/** What a hook's return says it found waiting (`backlog`, a count), if it says so. */
export function reportedBacklog(state: unknown): number | undefined {
  const n = (state as { backlog?: unknown } | null | undefined)?.backlog;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Calls the SUT's prune hook every `everyMs` (never two at once), handing each call what the last returned; a
 * failed call costs only memory (what it did not remove stays for the next call or the ledger hook). What the
 * last call found waiting is a backlog for the drill's gate: a hook slower than the pipeline that makes what it
 * removes then holds the sending until it catches up, so what waits for it is bounded by `maxBacklog`, not by
 * the events.
 */
export function pruneSweeper(opts: PruneSweeperOptions): PruneSweeper {
  let state: unknown;
  let running: Promise<void> = Promise.resolve();
  let warned = false;
  let waiting: number | undefined;
  const sweep = () =>
    (running = running.then(async () => {
      try {
        state = await opts.run(state);
        waiting = reportedBacklog(state);
      } catch (err) {
        if (!warned) opts.warn(`${errorMessage(err)} (the next sweep tries again; nothing is lost)`);
        warned = true;
      }
    }));
  const timer = setInterval(() => void sweep(), opts.everyMs);
  return {
    backlog: () => (opts.maxBacklog !== undefined && waiting !== undefined ? [{ source: 'prune hook', waiting, max: opts.maxBacklog }] : []),
    async stop() {
      clearInterval(timer);
      await sweep();
    },
  };
}
