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

describe('startNodeInvoker start, as Lambda starts environments', () => {
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'firedrill-invoker-'));
    const file = join(dir, 'echo.mjs');
    writeFileSync(file, 'export const handler = async (e) => e;\n');
    const id = { name: 'echo', arn: 'arn:aws:lambda:us-east-1:123456789012:function:echo', region: 'us-east-1', account: '123456789012', memoryMb: 128, timeoutMs: 30_000, logGroupName: '/aws/lambda/echo', logStreamName: 's', roleArn: 'r' };
    const lines: string[] = [];
    const start = (provisionedConcurrency?: number) =>
      startNodeInvoker({ name: 'echo', runtime: 'node', entry: { file, export: 'handler' }, trigger: { type: 'sqs', queueUrl: 'q' }, ...(provisionedConcurrency !== undefined ? { provisionedConcurrency } : {}) }, id, {}, (l) => lines.push(l.line), 'test');
    return { start, lines };
  };

  it('on demand (the default): no thread until the first invocation, which waits for the init and says so once', async () => {
    const { start, lines } = setup();
    const invoker = start();
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(invoker.coldStarts()).toBe(0);
      expect(lines).toEqual([]);
      expect(await invoker.invoke({ n: 1 }, 'r1')).toEqual({ n: 1 });
      expect(invoker.coldStarts()).toBe(1);
      expect(lines).toEqual([expect.stringMatching(/^INIT_REPORT Init Duration: \d+\.\d\d ms$/)]);
      expect(invoker.initDurationMs?.('r1')).toBeGreaterThan(0);
      // Read once; the next invocation runs warm.
      expect(invoker.initDurationMs?.('r1')).toBeUndefined();
      await invoker.invoke({ n: 2 }, 'r2');
      expect(invoker.initDurationMs?.('r2')).toBeUndefined();
      expect(invoker.coldStarts()).toBe(1);
    } finally {
      await invoker.close();
    }
  });

  it('provisioned: the thread starts at once, and its first invocation is no cold start', async () => {
    const { start, lines } = setup();
    const invoker = start(1);
    try {
      expect(invoker.coldStarts()).toBe(1);
      await invoker.ready();
      expect(lines).toEqual([expect.stringMatching(/^INIT_REPORT Init Duration: /)]);
      await invoker.invoke({}, 'r1');
      expect(invoker.initDurationMs?.('r1')).toBeUndefined();
      expect(invoker.coldStarts()).toBe(1);
    } finally {
      await invoker.close();
    }
  });
});
