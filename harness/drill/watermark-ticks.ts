/**
 * The event time below which nothing more can reach the SUT while a drill delivers: the oldest event the sinks
 * still hold without an answer (buffered, or in a request not yet answered) — or, when they hold none, the next
 * event to be sent, since the plan sends its events in event-time order — minus the lateness the SUT declares
 * for its schedule (records whose own time is up to that much older than their delivery stay in windows the
 * handler has not read yet).
 */
export function deliveryWatermark(oldestUnanswered: number | undefined, nextEvent: number, latenessMs: number): number {
  return Math.min(oldestUnanswered ?? nextEvent, nextEvent) - latenessMs;
}

export interface WatermarkTickOptions {
  /** Event time between two ticks (the schedule's interval times its coalesce: one invocation's worth). */
  everyMs: number;
  /** The lateness the SUT declares for its schedule (ms). */
  latenessMs: number;
  /**
   * Sends what the sinks hold older than `before` and resolves, once every request has an answer, with the oldest
   * event time they still hold (harness/deliver's settleSinks).
   */
  settleSinks: (before: number) => Promise<number | undefined>;
  /** Resolves once the SUT has consumed everything the target accepted so far (the runtime idle). */
  settleSut: () => Promise<void>;
  /** Fires the schedules up to an event time (the runtime's tick). */
  tick: (eventTimeMs: number) => Promise<unknown>;
  /** A tick or a settle that failed: the schedules then fire after delivery, as without ticking. */
  onError?: (err: unknown) => void;
}

export interface WatermarkTicks<E> {
  events: AsyncGenerator<E>;
  /** Resolves when the last tick started here has ended. */
  done(): Promise<void>;
  /** The event times ticked to, in order. */
  readonly ticked: readonly number[];
}

/**
 * Passes the events on and, every `everyMs` of event time, fires the SUT's schedules up to the delivery watermark
 * while delivery goes on, so a scheduled handler (a detector) reads what has arrived during delivery instead of
 * after it, and what it has read can go (the SUT's prune hook). At each tick the sending holds: the sinks send what
 * they hold (at most one request more per log stream every `everyMs`; a quiet stream's buffer would otherwise hold
 * the watermark back for the whole drill) and wait for their answers, then the SUT consumes what the target
 * accepted: every event below the watermark is then in its store, as it would be after delivery. The tick itself runs while the sending goes on;
 * the next one waits for it.
 */
export function tickOnWatermark<E extends { time: number }>(source: Iterable<E> | AsyncIterable<E>, o: WatermarkTickOptions): WatermarkTicks<E> {
  const ticked: number[] = [];
  let running: Promise<void> = Promise.resolve();
  let failed = false;
  const fail = (err: unknown) => {
    failed = true;
    o.onError?.(err);
  };
  async function* events(): AsyncGenerator<E> {
    let due: number | undefined;
    for await (const e of source) {
      if (due === undefined) due = e.time + o.everyMs;
      else if (e.time >= due && !failed) {
        due = e.time + o.everyMs;
        try {
          const watermark = deliveryWatermark(await o.settleSinks(e.time), e.time, o.latenessMs);
          if (watermark > (ticked.at(-1) ?? Number.NEGATIVE_INFINITY)) {
            await running;
            await o.settleSut();
            ticked.push(watermark);
            running = o.tick(watermark).then(() => undefined, fail);
          }
        } catch (err) {
          fail(err);
        }
      }
      yield e;
    }
  }
  return { events: events(), done: () => running, ticked };
}
