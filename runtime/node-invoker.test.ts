import { Worker, type ResourceLimits } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { HANDLER_YOUNG_GENERATION_MB, handlerHeapLimits } from './node-invoker.ts';

describe('handlerHeapLimits', () => {
  it('bounds the old generation by the declared memory and the young generation by a small constant', () => {
    expect(handlerHeapLimits(1024)).toEqual({ maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: HANDLER_YOUNG_GENERATION_MB });
    expect(handlerHeapLimits(128).maxYoungGenerationSizeMb).toBe(HANDLER_YOUNG_GENERATION_MB);
  });

  it('keeps the young generation a quarter of a tiny declared memory at most', () => {
    expect(handlerHeapLimits(16)).toEqual({ maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 });
    expect(handlerHeapLimits(2).maxYoungGenerationSizeMb).toBe(1);
  });

  it('gives a thread that keeps its nursery within the cap (V8 applies the limits, not only records them)', async () => {
    const code = `
      const v8 = require('node:v8');
      const { parentPort } = require('node:worker_threads');
      let keep = [];
      for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 1e5) keep = []; }
      const nursery = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      parentPort.postMessage(nursery.physical_space_size);`;
    const run = (resourceLimits: ResourceLimits) =>
      new Promise<number>((resolve, reject) => {
        const w = new Worker(code, { eval: true, resourceLimits });
        w.once('message', (n: number) => resolve(n));
        w.once('error', reject);
      });
    const capped = await run(handlerHeapLimits(1024));
    expect(capped).toBeLessThanOrEqual(HANDLER_YOUNG_GENERATION_MB * 1024 * 1024);
  });
});
