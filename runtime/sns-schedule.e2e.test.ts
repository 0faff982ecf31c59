import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../test/support/emulator-endpoint.ts';
import { createAwsClients, type AwsClients } from '../core/aws/index.ts';
import { HandlerInitError, startRuntime } from './index.ts';
import { createQueue, createTable, ensureTestVenv, items, nodeRecorder, PYTHON_DIR, pythonRecorder, unique } from './testdata/e2e-support.ts';

/** The SNS and schedule triggers with a real Node handler and a real Python one; a pip step that fails. */
describe('runtime: SNS and schedule triggers', () => {
  let clients: AwsClients;
  let table: string;
  beforeAll(async () => {
    clients = createAwsClients({ endpoint: emulatorEndpoint() });
    table = await createTable(clients, unique('rt-sns'));
    await ensureTestVenv();
  }, 300_000);
  afterAll(() => clients?.destroy());

  it('SNS: each message as Lambda\'s SNS event, a failure retried; the runtime\'s own queue and subscription leave with it, the SUT\'s stay', async () => {
    const topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: unique('rt-alerts') }))).TopicArn!;
    // The SUT's own wiring: a queue of its own subscribed to the topic.
    const sutQueue = await createQueue(clients, unique('rt-sut-q'));
    const sutQueueArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: sutQueue.url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: sutQueueArn }));
    const subscriptions = async () => (await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];

    {
      await using runtime = await startRuntime({
        clients,
        sut: 'runtime-e2e',
        handlers: [pythonRecorder('py-sns', table, { type: 'sns', topicArn }), nodeRecorder('node-sns', table, { type: 'sns', topicArn })],
      });
      expect(await subscriptions()).toHaveLength(3);
      await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'disk full on i-0abc', Subject: 'alarm', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } }));
      await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'once-sns' }));
      await runtime.idle({ timeoutMs: 60_000 });
      const got = await items(clients, table);
      for (const h of ['py-sns', 'node-sns']) {
        expect(got.get(`${h}#disk full on i-0abc`)?.source, h).toBe(`sns:${topicArn}:alarm`);
        // No subject: Lambda's Subject is null (Python prints None).
        expect(got.get(`${h}#once-sns`)?.source, h).toBe(`sns:${topicArn}:${h === 'py-sns' ? 'None' : 'null'}`);
        // Raised the first time, delivered on the retry.
        expect(got.get(`${h}#once-sns`)?.seenTimes, h).toBe(2);
        expect(runtime.stats().find((s) => s.handler === h), h).toMatchObject({ invocations: 3, errors: 1, succeeded: 2, dropped: 0 });
      }
    }
    // Stopped: the runtime's subscription and queue are gone, the SUT's subscription and its messages are intact.
    const left = await subscriptions();
    expect(left.map((s) => s.Endpoint)).toEqual([sutQueueArn]);
    const queues = (await clients.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'firedrill-rt-' }))).QueueUrls ?? [];
    expect(queues.filter((q) => q.includes('sns'))).toEqual([]);
    const sutMessages = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: sutQueue.url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!;
    expect(sutMessages.ApproximateNumberOfMessages).toBe('2');
  });

  it('schedules on event time: each occurrence once with its own time, coalesced for a catching-up handler, cron in UTC', async () => {
    const start = Date.parse('2026-03-04T10:00:00Z');
    await using runtime = await startRuntime({
      clients,
      sut: 'runtime-e2e',
      eventTimeStartMs: start,
      handlers: [
        pythonRecorder('py-rate', table, { type: 'schedule', expression: 'rate(1 minute)', coalesce: 5, ruleName: 'rca-every-minute' }),
        nodeRecorder('node-cron', table, { type: 'schedule', expression: 'cron(0/15 * * * ? *)' }),
      ],
    });
    const fired = await runtime.tick(start + 31 * 60_000);
    const when = (h: string) => fired.filter((f) => f.handler === h && f.ok).map((f) => new Date(f.timeMs).toISOString().slice(11, 16));
    expect(when('py-rate')).toEqual(['10:01', '10:06', '10:11', '10:16', '10:21', '10:26', '10:31']);
    expect(when('node-cron')).toEqual(['10:15', '10:30']);
    // Nothing is due twice.
    expect(await runtime.tick(start + 31 * 60_000 + 30_000)).toEqual([]);
    const got = await items(clients, table);
    const ticks = (h: string) => [...got.keys()].filter((k) => k.startsWith(`${h}#tick `)).sort();
    expect(ticks('py-rate')).toHaveLength(7);
    expect(got.get('py-rate#tick 2026-03-04T10:31:00Z')?.source).toMatch(/^schedule:arn:aws:events:[a-z0-9-]+:\d{12}:rule\/rca-every-minute$/);
    expect(ticks('node-cron')).toEqual(['node-cron#tick 2026-03-04T10:15:00Z', 'node-cron#tick 2026-03-04T10:30:00Z']);
    expect(got.get('node-cron#tick 2026-03-04T10:30:00Z')?.source).toMatch(/:rule\/node-cron-schedule$/);
    await runtime.idle({ timeoutMs: 10_000 });
  });

  it('a requirements file pip cannot install fails the start at the pip step, with the fix', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rt-pip-'));
    try {
      const requirements = path.join(dir, 'requirements.txt');
      // A wheel that is not there: pip fails without asking any index.
      await writeFile(requirements, './missing-0.1-py3-none-any.whl\n');
      const err = await startRuntime({
        clients,
        sut: 'their-pipeline',
        venvRoot: path.join(dir, 'venvs'),
        handlers: [
          {
            name: 'rca',
            runtime: 'python',
            entry: { codeDir: PYTHON_DIR, handler: 'recorder.lambda_handler' },
            python: { requirements },
            trigger: { type: 'schedule', expression: 'rate(5 minutes)' },
          },
        ],
      }).then(
        () => undefined,
        (e: unknown) => e as HandlerInitError,
      );
      expect(err).toBeInstanceOf(HandlerInitError);
      expect(err!.message).toMatch(/^handler rca of their-pipeline: pip could not install its requirements \(pip install\)/);
      expect(err!.seen).toMatch(/missing-0\.1-py3-none-any\.whl/);
      expect(err!.fix).toMatch(/requirements file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
