import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPythonInvoker } from './python-invoker.ts';

// The project's Python with no venv: the handler imports nothing but the standard library.
const PYTHON = process.env.FIREDRILL_PYTHON ?? 'python3';

describe('startPythonInvoker start, as Lambda starts environments', () => {
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'firedrill-py-invoker-'));
    writeFileSync(join(dir, 'echo.py'), 'def handler(event, context):\n    return event\n');
    const id = { name: 'echo', arn: 'arn:aws:lambda:us-east-1:123456789012:function:echo', region: 'us-east-1', account: '123456789012', memoryMb: 128, timeoutMs: 30_000, logGroupName: '/aws/lambda/echo', logStreamName: 's', roleArn: 'r' };
    const lines: string[] = [];
    const start = (concurrency: number, provisionedConcurrency?: number) =>
      startPythonInvoker(
        { name: 'echo', runtime: 'python', entry: { codeDir: dir, handler: 'echo.handler' }, trigger: { type: 'sqs', queueUrl: 'q', concurrency }, ...(provisionedConcurrency !== undefined ? { provisionedConcurrency } : {}) },
        id,
        { PATH: process.env.PATH ?? '' },
        PYTHON,
        concurrency,
        (l) => { if (l.stream === 'platform') lines.push(l.line); },
        'test',
      );
    return { start, lines };
  };

  it('on demand (the default): no process until an invocation needs one, which waits for the init and says so', async () => {
    const { start, lines } = setup();
    const invoker = start(2);
    try {
      expect(invoker.coldStarts()).toBe(0);
      expect(await invoker.invoke({ n: 1 }, 'r1')).toEqual({ n: 1 });
      expect(invoker.coldStarts()).toBe(1);
      expect(lines).toEqual([expect.stringMatching(/^INIT_REPORT Init Duration: \d+\.\d\d ms$/)]);
      expect(invoker.initDurationMs?.('r1')).toBeGreaterThan(0);
      // The process is free again: the next invocation runs warm in it rather than starting the second slot.
      await invoker.invoke({ n: 2 }, 'r2');
      expect(invoker.initDurationMs?.('r2')).toBeUndefined();
      expect(invoker.coldStarts()).toBe(1);
      // Two at once need the second slot: one more cold start.
      await Promise.all([invoker.invoke({}, 'r3'), invoker.invoke({}, 'r4')]);
      expect(invoker.coldStarts()).toBe(2);
      expect([invoker.initDurationMs?.('r3'), invoker.initDurationMs?.('r4')].filter((x) => x !== undefined)).toHaveLength(1);
    } finally {
      await invoker.close();
    }
  });

  it('provisioned: that many processes start at once (at most the concurrency), and none is a cold start', async () => {
    const { start } = setup();
    const invoker = start(2, 5);
    try {
      expect(invoker.coldStarts()).toBe(2);
      await invoker.ready();
      await Promise.all([invoker.invoke({}, 'r1'), invoker.invoke({}, 'r2')]);
      expect([invoker.initDurationMs?.('r1'), invoker.initDurationMs?.('r2')]).toEqual([undefined, undefined]);
      expect(invoker.coldStarts()).toBe(2);
    } finally {
      await invoker.close();
    }
  });
});
