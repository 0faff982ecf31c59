import { describe, expect, it } from 'vitest';
import { deliveryWatermark, tickOnWatermark } from './watermark-ticks.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 20, 10, 0);
/** One event every 30 s of event time for `minutes`. */
const events = (minutes: number) => Array.from({ length: minutes * 2 }, (_, i) => ({ time: T0 + i * 30_000, i }));
const drain = async <E>(it: AsyncIterable<E>, each: (e: E) => void = () => {}) => {
  for await (const e of it) each(e);
};

describe('deliveryWatermark', () => {
  it('is the oldest event the sinks hold unanswered, or the next event when that is older, minus the lateness', () => {
    expect(deliveryWatermark(T0 + 2 * MIN, T0 + 5 * MIN, MIN)).toBe(T0 + MIN);
    // Nothing held: everything before the next event has an answer.
    expect(deliveryWatermark(undefined, T0 + 5 * MIN, MIN)).toBe(T0 + 4 * MIN);
    // A held event newer than the next one (not in event order) does not move the watermark past the next event.
    expect(deliveryWatermark(T0 + 9 * MIN, T0 + 5 * MIN, 0)).toBe(T0 + 5 * MIN);
  });
});

describe('tickOnWatermark', () => {
  it('every everyMs of event time, settles the sinks and the SUT with the sending held, then ticks to the watermark', async () => {
    const log: string[] = [];
    let held: number | undefined;
    let lastSent = -1;
    const t = tickOnWatermark(events(20), {
      everyMs: 5 * MIN,
      latenessMs: MIN,
      // The sinks still hold the last two minutes of events (a buffer each).
      settleSinks: async (before) => {
        log.push(`sinks<${(before - T0) / MIN}`);
        held = lastSent >= 0 ? T0 + Math.max(0, lastSent * 30_000 - 2 * MIN) : undefined;
        return held;
      },
      settleSut: async () => {
        log.push(`sut@${lastSent}`);
      },
      tick: async (w) => {
        log.push(`tick ${(w - T0) / MIN}`);
      },
    });
    const sent: number[] = [];
    await drain(t.events, (e) => {
      sent.push(e.i);
      lastSent = e.i;
    });
    await t.done();
    expect(sent).toEqual(events(20).map((e) => e.i));
    // Checkpoints at 5, 10 and 15 minutes (events 10, 20, 30), each before that event is sent: the oldest held
    // event (two minutes back) minus a minute of lateness.
    expect(log).toEqual(['sinks<5', 'sut@9', 'tick 1.5', 'sinks<10', 'sut@19', 'tick 6.5', 'sinks<15', 'sut@29', 'tick 11.5']);
    expect(t.ticked.map((w) => (w - T0) / MIN)).toEqual([1.5, 6.5, 11.5]);
  });

  it('never ticks backwards, and a tick runs while the sending goes on until the next checkpoint waits for it', async () => {
    let release!: () => void;
    const firstTick = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const t = tickOnWatermark(events(20), {
      everyMs: 5 * MIN,
      latenessMs: 0,
      // Something old stays held: the watermark stops moving after the first tick.
      settleSinks: async () => T0 + 3 * MIN,
      settleSut: async () => void order.push('settle'),
      tick: async (w) => {
        order.push(`tick ${(w - T0) / MIN}`);
        await firstTick;
        order.push('tick done');
      },
    });
    let n = 0;
    await drain(t.events, () => {
      // The sending goes on while the first tick has not ended.
      if (++n === 15) {
        order.push('sent 15');
        release();
      }
    });
    await t.done();
    expect(order).toEqual(['settle', 'tick 3', 'sent 15', 'tick done']);
    expect(t.ticked).toEqual([T0 + 3 * MIN]);
  });

  it('stops ticking after a failure (the schedules then fire after delivery) and still passes every event on', async () => {
    const errors: unknown[] = [];
    let ticks = 0;
    const t = tickOnWatermark(events(20), {
      everyMs: 5 * MIN,
      latenessMs: MIN,
      settleSinks: async () => undefined,
      settleSut: async () => {
        throw new Error('the SUT did not drain');
      },
      tick: async () => void ticks++,
      onError: (err) => errors.push(err),
    });
    let sent = 0;
    await drain(t.events, () => sent++);
    await t.done();
    expect(sent).toBe(40);
    expect(ticks).toBe(0);
    expect(errors).toHaveLength(1);
  });
});
