import { TimeoutError } from './errors.ts';

export interface PollOptions {
  /** Give up after this many ms. */
  timeoutMs: number;
  /** First wait between attempts; grows by `backoff` up to `maxIntervalMs`. */
  intervalMs?: number;
  maxIntervalMs?: number;
  backoff?: number;
  /** Describes what is awaited, for the timeout message. */
  what: string;
  signal?: AbortSignal;
}

/**
 * Waits for `probe` to return a value other than undefined/false — deadlines, never fixed sleeps.
 * The last probe error (if any) becomes the TimeoutError's cause.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, opts: PollOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let interval = opts.intervalMs ?? 50;
  const maxInterval = opts.maxIntervalMs ?? 1000;
  const backoff = opts.backoff ?? 1.5;
  let lastError: unknown;
  while (true) {
    opts.signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new TimeoutError(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`, {
        expected: `${opts.what} within ${opts.timeoutMs} ms`,
        seen: lastError ? `the last attempt failed: ${String((lastError as Error).message ?? lastError)}` : 'the condition never became true',
        fix: 'check that the emulator and the local runtime are running; raise the deadline if the machine is slow',
        cause: lastError,
      });
    }
    await new Promise((r) => setTimeout(r, Math.min(interval, remaining)));
    interval = Math.min(maxInterval, interval * backoff);
  }
}
