import { createLogger } from '../core/index.ts';
import { sleep, type HandlerStats, type Invoke } from './event-source.ts';
import type { ScheduleTrigger } from './handler-spec.ts';
import { occurrencesBetween, type ScheduleExpression } from './schedule-expression.ts';
import { scheduledEvent } from './scheduled-event.ts';

const log = createLogger('local-runtime');

/** Where a coalescing schedule stands between ticks. */
export interface CoalesceState {
  /** Whether the schedule has fired at all (its first due occurrence always fires). */
  fired: boolean;
  /** Occurrences due since the last fire that did not fire. */
  pending: number;
}

/**
 * Which of the occurrences due at once fire, for a handler that catches up on its own: the first ever, then one
 * every `coalesce` occurrences after the last fire, and the last one due, so that when a tick returns the handler
 * has run at (and so covered) the latest occurrence. With coalesce 1 every occurrence fires.
 */
export function planFires(due: readonly number[], coalesce: number, state: CoalesceState): { fire: number[]; state: CoalesceState } {
  const fire: number[] = [];
  let { fired, pending } = state;
  for (const t of due) {
    if (!fired || ++pending >= coalesce) {
      fire.push(t);
      fired = true;
      pending = 0;
    }
  }
  if (pending > 0) {
    fire.push(due.at(-1)!);
    pending = 0;
  }
  return { fire, state: { fired, pending } };
}

/** One occurrence fired by tick(). */
export interface ScheduleFire {
  handler: string;
  /** The occurrence's time, epoch ms (the event's `time`). */
  timeMs: number;
  ok: boolean;
}

/**
 * An EventBridge schedule rule targeting the function, run locally (moto fires no schedule). Two clocks:
 * - event time, during a drill: tick(t) fires the occurrences due in (last tick, t], each with its own `time`, in
 *   order, and resolves when those invocations are done;
 * - wall time, with `load`: startWallClock() fires each occurrence when it comes.
 * A failed invocation is retried as Lambda retries an asynchronous one (twice by default), then counted as dropped.
 */
export class ScheduleSource {
  private cursor: number | undefined;
  private coalesceState: CoalesceState = { fired: false, pending: 0 };
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private readonly ruleArn: string;

  constructor(
    private readonly o: {
      handler: string;
      trigger: ScheduleTrigger;
      schedule: ScheduleExpression;
      invoke: Invoke;
      stats: HandlerStats;
      account: string;
      region: string;
      /** Event time after which occurrences are due (the drill's start); default: the first tick's time. */
      startMs?: number;
    },
  ) {
    this.cursor = o.startMs;
    this.ruleArn = `arn:aws:events:${o.region}:${o.account}:rule/${o.trigger.ruleName ?? `${o.handler}-schedule`}`;
  }

  get describe(): string {
    return `schedule ${this.o.schedule.expression} of ${this.o.handler}`;
  }

  drained(): boolean {
    return this.inFlight === 0;
  }

  async tick(eventTimeMs: number): Promise<ScheduleFire[]> {
    const after = this.cursor ?? eventTimeMs - 1;
    if (eventTimeMs <= after) return [];
    this.cursor = eventTimeMs;
    const due = occurrencesBetween(this.o.schedule, after, eventTimeMs);
    const { fire, state } = planFires(due, this.o.trigger.coalesce ?? 1, this.coalesceState);
    this.coalesceState = state;
    const out: ScheduleFire[] = [];
    for (const t of fire) {
      if (this.abort.signal.aborted) break;
      out.push({ handler: this.o.handler, timeMs: t, ok: await this.fire(t) });
    }
    return out;
  }

  startWallClock(): void {
    if (this.timer || this.abort.signal.aborted) return;
    const arm = () => {
      const next = this.o.schedule.nextAfter(Date.now());
      if (next === undefined || this.abort.signal.aborted) return;
      this.timer = setTimeout(() => {
        arm();
        void this.fire(next);
      }, next - Date.now());
      // A runtime nobody stopped must not keep a process alive; `load` keeps itself alive with its own schedule.
      this.timer.unref();
    };
    arm();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async fire(timeMs: number): Promise<boolean> {
    const { stats } = this.o;
    const event = scheduledEvent({ timeMs, account: this.o.account, region: this.o.region, ruleArn: this.ruleArn });
    const max = this.o.trigger.maxRetryAttempts ?? 2;
    stats.received++;
    this.inFlight++;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.o.invoke(event, { records: 1, eventTimeMs: timeMs });
          stats.succeeded++;
          return true;
        } catch {
          stats.failed++;
          if (attempt >= max || this.abort.signal.aborted) {
            stats.dropped++;
            log.warn({ handler: this.o.handler, occurrence: event.time, attempts: attempt + 1 }, 'scheduled invocation failed after its retries');
            return false;
          }
          await sleep(200 * 2 ** attempt, this.abort.signal);
        }
      }
    } finally {
      this.inFlight--;
    }
  }
}
