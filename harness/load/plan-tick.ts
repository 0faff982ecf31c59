/** One tick's share of the load: a slice of event time ending at a wall-clock boundary, and its own seed. */
export interface TickPlan {
  /** 0-based tick number. */
  tick: number;
  /** Event time, epoch ms, [start, end). */
  start: number;
  end: number;
  seed: string;
}

/**
 * The seed of tick k. Each tick gets its own, derived from the run's seed and k only, so a run with the same seed
 * makes the same choices tick by tick however long it has been running.
 */
export function tickSeed(seed: string | number, tick: number): string {
  return `${seed}/tick-${tick}`;
}

/**
 * The slice boundary at or just before `now`. Timers may fire a few ms early; up to a quarter of a slice (at most
 * 250 ms) early still counts as the boundary itself, so a tick scheduled for 12:01:00 generates 12:00–12:01 even when
 * it wakes at 12:00:59.998. Events then lie at most 250 ms in the future, far inside the 2 h CloudWatch Logs allows.
 */
export function alignedSliceEnd(now: number, sliceMs: number): number {
  const early = Math.min(250, Math.floor(sliceMs / 4));
  return Math.floor((now + early) / sliceMs) * sliceMs;
}

/**
 * The slice that just ended at tick time: with the default slice (the schedule's period) ticks tile the wall
 * clock without gaps or overlap; a longer slice overlaps the previous tick (more load), a shorter one leaves gaps.
 */
export function planTick(tick: number, now: number, sliceMs: number, seed: string | number): TickPlan {
  const end = alignedSliceEnd(now, sliceMs);
  return { tick, start: end - sliceMs, end, seed: tickSeed(seed, tick) };
}
