import type { GeneratedEvent } from '../types.ts';

/**
 * A min-heap of events by time (ties keep insertion order, so output is deterministic). Generators whose
 * units span time (a Lambda invocation's START … REPORT, an SSH session's open … close) push every line
 * of a unit when it starts and release lines once no later-starting unit can precede them. Not in
 * generators/common because common landed without one; a candidate to move there.
 */
export class EventQueue {
  private times: number[] = [];
  private seqs: number[] = [];
  private events: GeneratedEvent[] = [];
  private seq = 0;

  get size(): number {
    return this.events.length;
  }

  push(e: GeneratedEvent): void {
    const t = this.times, s = this.seqs, ev = this.events;
    let i = ev.length;
    t.push(e.time);
    s.push(this.seq++);
    ev.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p]! < t[i]! || (t[p] === t[i] && s[p]! < s[i]!)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** The earliest queued time, or Infinity. */
  peekTime(): number {
    return this.events.length === 0 ? Infinity : this.times[0]!;
  }

  pop(): GeneratedEvent | undefined {
    const ev = this.events;
    if (ev.length === 0) return undefined;
    const top = ev[0]!;
    const last = ev.length - 1;
    this.swap(0, last);
    this.times.pop();
    this.seqs.pop();
    ev.pop();
    const t = this.times, s = this.seqs, n = ev.length;
    let i = 0;
    while (true) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < n && (t[l]! < t[m]! || (t[l] === t[m] && s[l]! < s[m]!))) m = l;
      if (r < n && (t[r]! < t[m]! || (t[r] === t[m] && s[r]! < s[m]!))) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }

  /** Yields queued events with time <= t, earliest first. */
  *releaseUntil(t: number): Generator<GeneratedEvent, void, undefined> {
    while (this.events.length > 0 && this.times[0]! <= t) yield this.pop()!;
  }

  /** Yields the rest with time < end (lines past the window's end are dropped, as a window cut would). */
  *drain(end: number): Generator<GeneratedEvent, void, undefined> {
    while (this.events.length > 0) {
      const e = this.pop()!;
      if (e.time < end) yield e;
    }
  }

  private swap(a: number, b: number): void {
    const t = this.times, s = this.seqs, ev = this.events;
    [t[a], t[b]] = [t[b]!, t[a]!];
    [s[a], s[b]] = [s[b]!, s[a]!];
    [ev[a], ev[b]] = [ev[b]!, ev[a]!];
  }
}
