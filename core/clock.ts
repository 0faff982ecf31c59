/**
 * Time comes only from a Clock. Generators use a VirtualClock so output depends on the seed and the
 * scenario, never on when it ran; the runtime uses the SystemClock for deadlines.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class VirtualClock implements Clock {
  private current: number;
  constructor(startMs: number) {
    this.current = startMs;
  }
  now(): number {
    return this.current;
  }
  /** Moves time forward; moving backwards is a bug in the caller. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`VirtualClock.advance: expected ms >= 0, got ${ms}`);
    this.current += ms;
  }
  set(ms: number): void {
    if (ms < this.current) throw new RangeError(`VirtualClock.set: time may not go back (${ms} < ${this.current})`);
    this.current = ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Parses `90s`, `10m`, `2h`, `1d`, `500ms` or a bare number of seconds into milliseconds. */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') return text * 1000;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) {
    throw new RangeError(`expected a duration such as 90s, 10m, 2h or 1d, got ${JSON.stringify(text)}`);
  }
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? MINUTE : unit === 'h' ? HOUR : DAY;
  return Math.round(n * factor);
}
