import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { inject, describe, expect, it } from 'vitest';
import { resetMoto } from '../emulator/moto-api.ts';
import { startLocalRuntime } from '../runtime/index.ts';
import { createAwsClients } from '../core/aws/index.ts';

describe('local runtime: an SQS event source mapping as Lambda runs it', () => {
  it('deletes successes, retries reported failures, and the queue redrives a poison message to the DLQ after maxReceiveCount', async () => {
    const endpoint = inject('emulatorEndpoint');
    await resetMoto(endpoint);
    const clients = createAwsClients({ endpoint });
    try {
      const { sqs } = clients;
      const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'rt-dlq' }))).QueueUrl!;
      const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
      const queue = (await sqs.send(new CreateQueueCommand({ QueueName: 'rt-main', Attributes: { VisibilityTimeout: '30', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) } })))
        .QueueUrl!;
      for (const body of ['ok-1', 'flaky', 'poison', 'ok-2']) await sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: body }));

      const seen = new Map<string, number>();
      let batches = 0;
      await using runtime = await startLocalRuntime({
        sqs,
        bindings: [
          {
            queueUrl: queue,
            batchSize: 2,
            failedVisibilitySeconds: 0,
            handler: async (event) => {
              batches++;
              expect(event.Records.length).toBeLessThanOrEqual(2);
              const failures: { itemIdentifier: string }[] = [];
              for (const r of event.Records) {
                const n = (seen.get(r.body) ?? 0) + 1;
                seen.set(r.body, n);
                expect(r.eventSource).toBe('aws:sqs');
                expect(r.eventSourceARN).toMatch(/:rt-main$/);
                if (r.body === 'poison' || (r.body === 'flaky' && n < 2)) failures.push({ itemIdentifier: r.messageId });
              }
              return { batchItemFailures: failures };
            },
          },
        ],
      });
      await runtime.idle({ timeoutMs: 60_000 });
      expect(seen.get('ok-1')).toBe(1);
      expect(seen.get('ok-2')).toBe(1);
      expect(seen.get('flaky')).toBe(2);
      expect(seen.get('poison')).toBe(3);
      expect(batches).toBeGreaterThanOrEqual(2);
      const stats = runtime.stats()[0]!;
      expect(stats.deleted).toBe(3);
      const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      expect(dead.Messages?.map((m) => m.Body)).toEqual(['poison']);
    } finally {
      clients.destroy();
    }
  });
});
