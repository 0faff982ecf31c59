import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../test/support/emulator-endpoint.ts';
import { createAwsClients, type AwsClients } from '../core/aws/index.ts';
import { HandlerInitError, startRuntime, type InvocationRecord } from './index.ts';
import { emptyStats } from './event-source.ts';
import { startQueuePoller } from './sqs-event-source.ts';
import {
  bodies,
  createQueue,
  createTable,
  ensureTestVenv,
  items,
  logCollector,
  NODE_CJS,
  nodeRecorder,
  PYTHON_BAD_DIR,
  pythonRecorder,
  REQUIREMENTS,
  unique,
  VENV_OWNER,
} from './testdata/e2e-support.ts';

/** The SQS trigger with real handlers: a Node ESM module, a CommonJS one, and Python in its own venv (boto3). */
describe('runtime: SQS trigger', () => {
  let clients: AwsClients;
  let table: string;
  beforeAll(async () => {
    clients = createAwsClients({ endpoint: emulatorEndpoint() });
    table = await createTable(clients, unique('rt-sqs'));
    await ensureTestVenv();
  }, 300_000);
  afterAll(() => clients?.destroy());

  it('Node ESM handler: deletes successes, retries reported failures, a poison message reaches the DLQ after maxReceiveCount', async () => {
    const q = await createQueue(clients, unique('rt-node'), { name: unique('rt-node-dlq'), maxReceiveCount: 3 });
    for (const body of ['ok-1', 'once-flaky', 'poison-fail', 'ok-2']) await clients.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: body }));
    const records: InvocationRecord[] = [];
    await using runtime = await startRuntime({
      clients,
      sut: 'runtime-e2e',
      onInvocation: (r) => records.push(r),
      handlers: [nodeRecorder('node-sqs', table, { type: 'sqs', queueUrl: q.url, batchSize: 2, failedVisibilitySeconds: 0, reportBatchItemFailures: true })],
    });
    await runtime.idle({ timeoutMs: 60_000 });

    const got = await items(clients, table);
    // Written by the handler's own SDK client, which found the emulator through AWS_ENDPOINT_URL.
    expect(got.get('node-sqs#ok-1')).toMatchObject({ source: expect.stringMatching(/^sqs:arn:aws:sqs:.*:rt-node-/) });
    expect(got.has('node-sqs#ok-2')).toBe(true);
    // Thrown the first time (its whole batch returned to the queue), written on a retry.
    expect(got.get('node-sqs#once-flaky')?.seenTimes).toBeGreaterThanOrEqual(2);
    expect(got.has('node-sqs#poison-fail')).toBe(false);
    expect(await bodies(clients, q.dlqUrl!)).toEqual(['poison-fail']);
    const s = runtime.stats()[0]!;
    expect(s).toMatchObject({ handler: 'node-sqs', trigger: 'sqs', errors: 1, timeouts: 0, coldStarts: 1 });
    // ok-1, ok-2 and once-flaky deleted; poison-fail received 3 times, then moved by the queue's redrive policy.
    expect(s.succeeded).toBe(3);
    expect(s.failed).toBeGreaterThanOrEqual(4);
    expect(records.filter((r) => r.outcome === 'error')).toHaveLength(1);
    expect(records.find((r) => r.outcome === 'error')!.error!.errorMessage).toMatch(/asked to throw by once-flaky/);
    // poison-fail was reported in batchItemFailures on each receive but one that was part of the batch that threw.
    const reported = records.flatMap((r) => ((r.result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures ?? []).length);
    expect(reported.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    expect(records.every((r) => r.records <= 2 && r.requestId.length === 36)).toBe(true);
  });

  it('Python handler, concurrency 2: one DynamoDB item per record through boto3, its prints in the log, partial failures to the DLQ', async () => {
    const q = await createQueue(clients, unique('rt-py'), { name: unique('rt-py-dlq'), maxReceiveCount: 2 });
    const texts = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'py-fail'];
    await clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: texts.map((t, i) => ({ Id: String(i), MessageBody: t })) }));
    const logs = logCollector();
    await using runtime = await startRuntime({
      clients,
      sut: 'runtime-e2e',
      onLog: logs.onLog,
      // Both environments provisioned: started with the runtime, so exactly two cold starts whatever the timing.
      handlers: [pythonRecorder('py-sqs', table, { type: 'sqs', queueUrl: q.url, batchSize: 3, concurrency: 2, failedVisibilitySeconds: 0, reportBatchItemFailures: true }, { memoryMb: 256, provisionedConcurrency: 2 })],
    });
    await runtime.idle({ timeoutMs: 60_000 });

    const got = await items(clients, table);
    for (const t of texts.slice(0, -1)) {
      expect(got.get(`py-sqs#${t}`), t).toMatchObject({ seenTimes: 1, memory: 256, arn: expect.stringMatching(new RegExp(`^arn:aws:lambda:${clients.target.region}:\\d{12}:function:py-sqs$`)) });
      expect(Number(got.get(`py-sqs#${t}`)!.remainingMs)).toBeGreaterThan(0);
    }
    expect(await bodies(clients, q.dlqUrl!)).toEqual(['py-fail']);
    const s = runtime.stats()[0]!;
    expect(s).toMatchObject({ errors: 0, succeeded: 8, coldStarts: 2 });
    const lines = logs.lines('py-sqs');
    // print() and logging reach the log (stderr), never the protocol; Lambda's platform lines wrap each invocation.
    expect(lines.some((l) => /^recorded \d of \d$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\[INFO\]\t\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tbatch done$/.test(l))).toBe(true);
    expect(lines.filter((l) => l.startsWith('REPORT RequestId: ')).length).toBe(s.invocations);
    expect(lines.some((l) => /Memory Size: 256 MB/.test(l))).toBe(true);
  });

  it('timeouts and crashes: the worker or process is ended, Lambda\'s error is reported, the next message gets a cold start', async () => {
    const queues: Record<string, { url: string; dlqUrl?: string }> = {};
    for (const h of ['node-to', 'py-to', 'node-crash', 'py-crash']) queues[h] = await createQueue(clients, unique(`rt-${h}`), { name: unique(`rt-${h}-dlq`), maxReceiveCount: 2 });
    for (const h of Object.keys(queues)) {
      for (const body of [h.endsWith('to') ? 'hang' : 'crash', 'after']) await clients.sqs.send(new SendMessageCommand({ QueueUrl: queues[h]!.url, MessageBody: body }));
    }
    const records: InvocationRecord[] = [];
    const sqs = (h: string) => ({ type: 'sqs', queueUrl: queues[h]!.url, batchSize: 1, failedVisibilitySeconds: 0 }) as const;
    await using runtime = await startRuntime({
      clients,
      sut: 'runtime-e2e',
      onInvocation: (r) => records.push(r),
      handlers: [
        nodeRecorder('node-to', table, sqs('node-to'), { timeoutMs: 1_500 }),
        pythonRecorder('py-to', table, sqs('py-to'), { timeoutMs: 1_500 }),
        nodeRecorder('node-crash', table, sqs('node-crash')),
        pythonRecorder('py-crash', table, sqs('py-crash')),
      ],
    });
    await runtime.idle({ timeoutMs: 60_000 });
    const got = await items(clients, table);
    for (const h of Object.keys(queues)) {
      // The message that killed its runtime twice went to the DLQ; the one after it was handled by a new runtime.
      expect(got.has(`${h}#after`), h).toBe(true);
      expect(await bodies(clients, queues[h]!.dlqUrl!), h).toEqual([h.endsWith('to') ? 'hang' : 'crash']);
      const failed = records.filter((r) => r.handler === h && r.outcome !== 'ok');
      expect(failed.length, h).toBe(2);
      const s = runtime.stats().find((x) => x.handler === h)!;
      expect(s, h).toMatchObject({ errors: 2, succeeded: 1 });
      expect(s.coldStarts, h).toBeGreaterThanOrEqual(2);
      if (h.endsWith('to')) {
        expect(failed[0]!.outcome).toBe('timeout');
        expect(failed[0]!.error).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.50 seconds' });
        expect(failed[0]!.durationMs).toBeGreaterThanOrEqual(1_400);
        expect(s.timeouts).toBe(2);
      } else {
        expect(failed[0]!.outcome).toBe('error');
        expect(failed[0]!.error!.errorType).toBe('Runtime.ExitError');
        expect(failed[0]!.error!.errorMessage).toMatch(h === 'py-crash' ? /exit status 3/ : /crashed by crash/);
      }
    }
  }, 90_000);

  it('CommonJS handler (and a callback-style one): the function\'s environment, the caller\'s left out; returns as the `returns` tap reads them', async () => {
    const q = await createQueue(clients, unique('rt-cjs'));
    const q2 = await createQueue(clients, unique('rt-cb'));
    process.env.FIREDRILL_TEST_SECRET = 'must-not-leak';
    try {
      await using runtime = await startRuntime({
        clients,
        sut: 'runtime-e2e',
        handlers: [
          { name: 'cjs', runtime: 'node', entry: { file: NODE_CJS, export: 'handler' }, environment: { GREETING: 'hello', AWS_REGION: 'eu-north-1' }, memoryMb: 512, trigger: { type: 'sqs', queueUrl: q.url } },
          { name: 'callback', runtime: 'node', entry: { file: NODE_CJS, export: 'legacy' }, trigger: { type: 'sqs', queueUrl: q2.url } },
        ],
      });
      const seen: InvocationRecord[] = [];
      const reading = (async () => {
        for await (const r of runtime.invocations()) {
          seen.push(r);
          if (seen.length === 2) return;
        }
      })();
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'x' }));
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: q2.url, MessageBody: 'y' }));
      await reading;
      const cjs = seen.find((r) => r.handler === 'cjs')!;
      expect(cjs.outcome).toBe('ok');
      expect(cjs.result).toEqual({
        records: 1,
        functionName: 'cjs',
        arn: expect.stringMatching(new RegExp(`^arn:aws:lambda:${clients.target.region}:\\d{12}:function:cjs$`)),
        memory: '512',
        // AWS_REGION is reserved: the function's own value does not override firedrill's.
        env: { region: clients.target.region, endpoint: clients.target.endpoint, name: 'cjs', memory: '512', greeting: 'hello', leaked: null },
      });
      const cb = seen.find((r) => r.handler === 'callback')!;
      expect(cb.result).toEqual({ style: 'callback', requestId: cb.requestId });
    } finally {
      delete process.env.FIREDRILL_TEST_SECRET;
    }
  });

  it('stop({ cutLongPolls }) ends the long poll in flight instead of waiting it out; nothing was received, nothing is lost', async () => {
    const q = await createQueue(clients, unique('rt-cut'));
    const stats = emptyStats('cut', 'sqs');
    const poller = await startQueuePoller({ sqs: clients.sqs, queueUrl: q.url, waitTimeSeconds: 20, handle: async () => ({ retry: new Set<string>() }), stats });
    // Let the first receive reach the emulator: it waits there for up to 20 s.
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    await poller.stop({ cutLongPolls: true });
    // Without the cut, stop() resolves only when that receive has run out its 20 s.
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(stats.received).toBe(0);
  });

  it('a handler that cannot load fails the start with the handler, the SUT, the step and the fix', async () => {
    const q = await createQueue(clients, unique('rt-bad'));
    const started = startRuntime({
      clients,
      sut: 'seed-004-rca',
      handlers: [
        {
          name: 'log-rca-agent',
          runtime: 'python',
          entry: { codeDir: PYTHON_BAD_DIR, handler: 'handler.lambda_handler' },
          python: { requirements: REQUIREMENTS, owner: VENV_OWNER },
          trigger: { type: 'sqs', queueUrl: q.url },
        },
      ],
    });
    const err = await started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HandlerInitError);
    const e = err as HandlerInitError;
    expect(e.message).toMatch(/^handler log-rca-agent of seed-004-rca could not be loaded \(import\)/);
    expect(e.seen).toMatch(/^Runtime\.ImportModuleError: Unable to import module 'handler': ModuleNotFoundError: No module named 'yaml' \(at .*python-bad\/handler\.py:3\)$/);
    expect(e.fix).toContain(`add yaml to ${REQUIREMENTS}`);

    const missingExport = await startRuntime({ clients, sut: 'mine', handlers: [{ name: 'n', runtime: 'node', entry: { file: NODE_CJS, export: 'nope' }, trigger: { type: 'sqs', queueUrl: q.url } }] }).then(
      () => undefined,
      (x: unknown) => x as HandlerInitError,
    );
    expect(missingExport?.seen).toMatch(/Runtime\.HandlerNotFound: .*handler\.cjs#nope is undefined or not a function \(the module exports: handler, legacy\)/);
    expect(missingExport?.fix).toMatch(/export the function as nope/);
  });
});
