import { describe, expect, it } from 'vitest';
import { byteLimit } from './byte-limit.ts';

/** A task that records how many bytes were running when it started, then waits a tick. */
function tracked(running: { bytes: number; peak: number; order: number[] }, id: number, bytes: number) {
  return async () => {
    running.bytes += bytes;
    running.peak = Math.max(running.peak, running.bytes);
    running.order.push(id);
    await new Promise((r) => setTimeout(r, 1));
    running.bytes -= bytes;
    return id;
  };
}

describe('byteLimit', () => {
  it('keeps the bytes in flight within the budget, in the order asked', async () => {
    const limit = byteLimit(100);
    const running = { bytes: 0, peak: 0, order: [] as number[] };
    const sizes = [60, 30, 50, 10, 40, 90, 5];
    const out = await Promise.all(sizes.map((b, i) => limit(b, tracked(running, i, b))));
    expect(out).toEqual(sizes.map((_, i) => i));
    expect(running.peak).toBeLessThanOrEqual(100);
    expect(running.peak).toBeGreaterThan(60);
    expect(running.order).toEqual(sizes.map((_, i) => i));
  });

  it('runs a task larger than the budget alone rather than never', async () => {
    const limit = byteLimit(10);
    const running = { bytes: 0, peak: 0, order: [] as number[] };
    await Promise.all([limit(5, tracked(running, 0, 5)), limit(50, tracked(running, 1, 50)), limit(5, tracked(running, 2, 5))]);
    expect(running.peak).toBe(50);
    expect(running.order).toEqual([0, 1, 2]);
  });

  it('passes a failure on and frees its bytes', async () => {
    const limit = byteLimit(10);
    await expect(limit(10, () => Promise.reject(new Error('no such key')))).rejects.toThrow('no such key');
    await expect(limit(10, () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
