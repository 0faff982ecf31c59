/**
 * A sink's requests that have no answer yet, with the event time of each one's oldest event: with its buffers,
 * what it holds that may still reach the target. A drill's delivery watermark is the oldest of them across the
 * sinks (see settleSinks).
 */
export class UnansweredTimes {
  private readonly open = new Map<Promise<unknown>, number>();

  /** Runs `send` for a request whose oldest event is at `time`; the time counts until the request has an outcome. */
  track<T>(time: number | undefined, send: () => Promise<T>): Promise<T> {
    const p = send();
    if (time === undefined) return p;
    const done = p.finally(() => this.open.delete(done));
    this.open.set(done, time);
    return done;
  }

  /** The oldest event time of a request without an answer (undefined: none). */
  oldest(): number | undefined {
    return minOf(this.open.values());
  }

  /** Resolves when every request tracked so far has an outcome (whichever). */
  async answered(): Promise<void> {
    await Promise.allSettled(this.open.keys());
  }
}

/** The least of some numbers (undefined when there are none); skips undefined. */
export function minOf(values: Iterable<number | undefined>): number | undefined {
  let min: number | undefined;
  for (const v of values) if (v !== undefined && (min === undefined || v < min)) min = v;
  return min;
}

/** The oldest event time of some events (undefined when there are none). */
export function oldestTime(events: Iterable<{ time: number }>): number | undefined {
  let min: number | undefined;
  for (const e of events) if (min === undefined || e.time < min) min = e.time;
  return min;
}
