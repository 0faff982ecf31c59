import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../core/index.ts';
import { emptyStats } from './event-source.ts';
import { startSqsEventSource } from './sqs-event-source.ts';

/**
 * A scripted SQS client (pure logic: what the runtime sends, in which order and how many at once). The moto
 * behaviour this guards against is reproduced for real in the comment on Poller.settle.
 */
function scriptedSqs(total: number) {
  const queued = Array.from({ length: total }, (_, i) => `m${i}`);
  const deleted = new Set<string>();
  let deletesAtOnce = 0;
  let maxDeletesAtOnce = 0;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const send = async (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => {
    switch (cmd.constructor.name) {
      case 'GetQueueAttributesCommand':
        return { Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:123456789012:q', ApproximateNumberOfMessages: String(queued.length), ApproximateNumberOfMessagesNotVisible: String(total - queued.length - deleted.size), ApproximateNumberOfMessagesDelayed: '0' } };
      case 'ReceiveMessageCommand': {
        await sleep(queued.length ? 1 : 20);
        const n = Math.min(Number(cmd.input.MaxNumberOfMessages ?? 1), queued.length);
        return { Messages: queued.splice(0, n).map((id) => ({ MessageId: id, ReceiptHandle: id, Body: '{}' })) };
      }
      case 'DeleteMessageBatchCommand': {
        deletesAtOnce++;
        maxDeletesAtOnce = Math.max(maxDeletesAtOnce, deletesAtOnce);
        await sleep(15);
        deletesAtOnce--;
        const entries = cmd.input.Entries as { Id: string; ReceiptHandle: string }[];
        for (const e of entries) deleted.add(e.ReceiptHandle);
        return { Successful: entries.map((e) => ({ Id: e.Id })) };
      }
      default:
        throw new Error(`unexpected ${cmd.constructor.name}`);
    }
  };
  return { sqs: { send, config: { region: async () => 'us-east-1' } } as unknown as SQSClient, deleted, maxDeletesAtOnce: () => maxDeletesAtOnce };
}

describe('local SQS event source', () => {
  it('deletes one batch at a time per queue even when invocations finish together', async () => {
    const fake = scriptedSqs(120);
    const stats = emptyStats('h', 'sqs');
    let invocations = 0;
    const source = await startSqsEventSource({
      sqs: fake.sqs,
      region: 'us-east-1',
      stats,
      trigger: { queueUrl: 'http://local/q', batchSize: 10, concurrency: 4, waitTimeSeconds: 0, reportBatchItemFailures: true },
      invoke: async () => {
        invocations++;
        return { batchItemFailures: [] };
      },
    });
    try {
      await pollUntil(() => source.drained(), { timeoutMs: 10_000, what: 'the scripted queue to drain' });
    } finally {
      await source.stop();
    }
    expect(fake.deleted.size).toBe(120);
    expect(stats.succeeded).toBe(120);
    expect(invocations).toBeGreaterThan(1);
    expect(fake.maxDeletesAtOnce()).toBe(1);
  });

  it('reports what waits against a declared maxBacklog, and nothing without one', async () => {
    const fake = scriptedSqs(30);
    const stats = emptyStats('h', 'sqs');
    // An invocation that never ends: what is received stays in flight, the rest waits in the queue.
    const invoke = () => new Promise<never>(() => {});
    const trigger = { queueUrl: 'http://local/q', batchSize: 10, concurrency: 1, waitTimeSeconds: 0 };
    const declared = await startSqsEventSource({ sqs: fake.sqs, region: 'us-east-1', stats, trigger: { ...trigger, maxBacklog: 5 }, invoke });
    const plain = await startSqsEventSource({ sqs: scriptedSqs(1).sqs, region: 'us-east-1', stats, trigger, invoke });
    try {
      await pollUntil(async () => (await declared.backlog!()).waiting < 30, { timeoutMs: 5_000, what: 'the first receive' });
      expect(await declared.backlog!()).toEqual({ waiting: 20, max: 5 });
      expect(plain.backlog).toBeUndefined();
    } finally {
      void declared.stop();
      void plain.stop();
    }
  });
});
