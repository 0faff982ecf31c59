import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScheduledEvent } from '../core/index.ts';
import { emptyStats } from './event-source.ts';
import { parseScheduleExpression } from './schedule-expression.ts';
import { planFires, ScheduleSource } from './schedule-source.ts';

const MIN = 60_000;

describe('planFires (coalescing)', () => {
  it('fires every occurrence with coalesce 1', () => {
    expect(planFires([1, 2, 3], 1, { fired: false, pending: 0 }).fire).toEqual([1, 2, 3]);
  });

  it('fires the first occurrence, then one in every k, then the last due (the drill ticker of the detector)', () => {
    const due = Array.from({ length: 13 }, (_, i) => i + 1);
    const { fire, state } = planFires(due, 5, { fired: false, pending: 0 });
    expect(fire).toEqual([1, 6, 11, 13]);
    expect(state).toEqual({ fired: true, pending: 0 });
  });

  it('counts from the last fire across ticks, and a tick ends having fired its last due occurrence', () => {
    let s = { fired: false, pending: 0 };
    const first = planFires([1, 2], 5, s);
    s = first.state;
    expect(first.fire).toEqual([1, 2]);
    const second = planFires([3, 4, 5, 6, 7, 8], 5, s);
    expect(second.fire).toEqual([7, 8]);
    expect(planFires([], 5, second.state).fire).toEqual([]);
  });
});

describe('ScheduleSource on event time', () => {
  function source(opts: { coalesce?: number; startMs?: number; fail?: (time: string) => boolean } = {}) {
    const events: ScheduledEvent[] = [];
    const stats = emptyStats('rca', 'schedule');
    const s = new ScheduleSource({
      handler: 'rca',
      trigger: { type: 'schedule', expression: 'rate(1 minute)', ...(opts.coalesce ? { coalesce: opts.coalesce } : {}) },
      schedule: parseScheduleExpression('rate(1 minute)'),
      stats,
      account: '123456789012',
      region: 'eu-west-1',
      ...(opts.startMs !== undefined ? { startMs: opts.startMs } : {}),
      invoke: async (event) => {
        const e = event as ScheduledEvent;
        events.push(e);
        if (opts.fail?.(e.time)) throw new Error('boom');
        return null;
      },
    });
    return { s, events, stats };
  }
  const start = Date.parse('2026-03-04T10:00:00Z');

  it('fires each due occurrence with its own event time, in order, and nothing twice', async () => {
    const { s, events } = source({ startMs: start });
    const fired = await s.tick(start + 3 * MIN + 30_000);
    expect(fired.map((f) => f.ok)).toEqual([true, true, true]);
    expect(events.map((e) => e.time)).toEqual(['2026-03-04T10:01:00Z', '2026-03-04T10:02:00Z', '2026-03-04T10:03:00Z']);
    expect(events[0]).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', region: 'eu-west-1', resources: ['arn:aws:events:eu-west-1:123456789012:rule/rca-schedule'], detail: {} });
    expect(await s.tick(start + 3 * MIN + 40_000)).toEqual([]);
    await s.tick(start + 4 * MIN);
    expect(events.map((e) => e.time).at(-1)).toBe('2026-03-04T10:04:00Z');
  });

  it('coalesces: the detector pattern of one window in, then every fifth, then the last', async () => {
    const { s, events } = source({ startMs: start, coalesce: 5 });
    await s.tick(start + 12 * MIN);
    expect(events.map((e) => e.time.slice(11, 16))).toEqual(['10:01', '10:06', '10:11', '10:12']);
  });

  it('without a start, the first tick fires only an occurrence at its own time', async () => {
    const { s, events } = source();
    await s.tick(start + 30_000);
    expect(events).toEqual([]);
    await s.tick(start + MIN);
    expect(events.map((e) => e.time)).toEqual(['2026-03-04T10:01:00Z']);
  });

  it('retries a failed invocation twice, as an asynchronous invocation, then counts it dropped', async () => {
    const { s, events, stats } = source({ startMs: start, fail: (t) => t.endsWith('10:01:00Z') });
    const fired = await s.tick(start + 2 * MIN);
    expect(fired.map((f) => f.ok)).toEqual([false, true]);
    expect(events.map((e) => e.time)).toEqual(['2026-03-04T10:01:00Z', '2026-03-04T10:01:00Z', '2026-03-04T10:01:00Z', '2026-03-04T10:02:00Z']);
    expect(stats).toMatchObject({ received: 2, succeeded: 1, failed: 3, dropped: 1 });
  });
});

describe('ScheduleSource on wall time (load)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires each occurrence when the clock reaches it, with that time, until stopped', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-03-04T10:00:30Z') });
    const times: string[] = [];
    const s = new ScheduleSource({
      handler: 'rca',
      trigger: { type: 'schedule', expression: 'cron(* * * * ? *)' },
      schedule: parseScheduleExpression('cron(* * * * ? *)'),
      stats: emptyStats('rca', 'schedule'),
      account: '123456789012',
      region: 'us-east-1',
      invoke: async (event) => {
        times.push((event as ScheduledEvent).time);
        return null;
      },
    });
    s.startWallClock();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(times).toEqual([]);
    await vi.advanceTimersByTimeAsync(61_000);
    expect(times).toEqual(['2026-03-04T10:01:00Z', '2026-03-04T10:02:00Z']);
    await s.stop();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(times).toHaveLength(2);
  });
});
