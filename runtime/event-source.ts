import type { TriggerType } from './handler-spec.ts';

/** A trigger's poller, as the runtime drives it. */
export interface EventSource {
  /** What it reads, for messages (`queue <url>`, `stream <name>` …). */
  readonly describe: string;
  /** True when nothing is waiting at the source and no invocation of it is in flight. */
  drained(): Promise<boolean>;
  /** What waits at the source against the most its trigger lets wait (only a trigger that declares a most). */
  backlog?(): Promise<{ waiting: number; max: number }>;
  /** Stops polling; resolves when the loops have ended and what the source holds is handed back. */
  stop(opts?: StopOptions): Promise<void>;
}

export interface StopOptions {
  /**
   * End the long polls in flight at once instead of letting them run out (up to a second each). A receive cancelled
   * client-side still runs on the server and takes what arrives meanwhile, which then stays invisible for the queue's
   * visibility timeout: for when nothing more is expected to arrive (a drill whose handlers are idle and whose taps are
   * read), never for a queue another consumer reads next.
   */
  cutLongPolls?: boolean;
}

/** What a handler's invocation function takes besides the event (for its stats and its invocation records). */
export interface InvokeMeta {
  /** Records in the event (messages, stream records, log events; 1 for a schedule or an SNS message). */
  records: number;
  /** For a schedule: the occurrence's time. */
  eventTimeMs?: number;
}

/** Invokes the handler once; rejects with an InvocationError. Counts and records the invocation. */
export type Invoke = (event: unknown, meta: InvokeMeta) => Promise<unknown>;

/** Per handler: its invocations, and what its trigger read and did with the records. */
export interface HandlerStats {
  handler: string;
  trigger: TriggerType;
  invocations: number;
  /** Invocations that did not return (threw, timed out, crashed, could not load). */
  errors: number;
  timeouts: number;
  coldStarts: number;
  /** Time spent in invocations, ms (summed over concurrent ones). */
  durationMs: number;
  maxDurationMs: number;
  /** Records read from the source (messages, stream records, log events, schedule occurrences fired). */
  received: number;
  /** Records done with: deleted from the queue, checkpointed, delivered. */
  succeeded: number;
  /** Record attempts that failed (each return to the source for a retry counts once). */
  failed: number;
  /** Records given up on: retries exhausted (SQS: none — the queue's redrive policy moves them to its DLQ). */
  dropped: number;
  /**
   * Lambda's `Max Memory Used`, MB, once the handler has been invoked: a Python handler's largest process (peak RSS);
   * a Node handler's thread isolate (V8 heap resident plus what its objects own outside it, as invocations end —
   * its share of the one process every thread runs in).
   */
  maxMemoryUsedMb?: number;
}

export function emptyStats(handler: string, trigger: TriggerType): HandlerStats {
  return { handler, trigger, invocations: 0, errors: 0, timeouts: 0, coldStarts: 0, durationMs: 0, maxDurationMs: 0, received: 0, succeeded: 0, failed: 0, dropped: 0 };
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
