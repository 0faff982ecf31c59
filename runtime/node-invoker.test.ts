import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { HANDLER_YOUNG_GENERATION_MB, handlerHeapLimits, startNodeInvoker } from './node-invoker.ts';

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

describe('startNodeInvoker maxMemoryUsedMb', () => {
  it('is unknown before the first invocation, then at least what the handler keeps, and never falls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firedrill-invoker-'));
    const file = join(dir, 'keeper.mjs');
    // Keeps 40 MB in its heap (arrays of 131,072 unboxed doubles: 1 MB each) while the event says so, then drops them.
    writeFileSync(file, 'let kept = [];\nexport const handler = async (e) => { kept = e.keep ? Array.from({ length: 40 }, (_, i) => new Array(131072).fill(i + 0.5)) : []; return kept.length; };\n');
    const id = { name: 'keeper', arn: 'arn:aws:lambda:us-east-1:123456789012:function:keeper', region: 'us-east-1', account: '123456789012', memoryMb: 256, timeoutMs: 30_000, logGroupName: '/aws/lambda/keeper', logStreamName: 's', roleArn: 'r' };
    const invoker = startNodeInvoker({ name: 'keeper', runtime: 'node', entry: { file, export: 'handler' }, trigger: { type: 'sqs', queueUrl: 'q' } } as never, id, {}, () => {}, 'test');
    try {
      await invoker.ready();
      expect(invoker.maxMemoryUsedMb?.()).toBeUndefined();
      expect(await invoker.invoke({ keep: true }, 'r1')).toBe(40);
      const peak = invoker.maxMemoryUsedMb?.() ?? 0;
      expect(peak).toBeGreaterThanOrEqual(40);
      expect(peak).toBeLessThan(256);
      await invoker.invoke({ keep: false }, 'r2');
      expect(invoker.maxMemoryUsedMb?.()).toBe(peak);
    } finally {
      await invoker.close();
    }
  });
});
