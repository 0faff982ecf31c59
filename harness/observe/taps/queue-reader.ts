import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError, errorMessage } from '../../../core/index.ts';

/**
 * Everything on the queue now: receive (no long poll: moto cancels those badly) until a receive comes back empty,
 * deleting each batch once read (one batch at a time: moto can resurrect messages deleted concurrently; the taps
 * dedupe by message id anyway). At most `max` messages per call, so one poll never runs away on a busy queue.
 */
export async function drainQueue(sqs: SQSClient, queueUrl: string, max = 1000): Promise<Message[]> {
  const out: Message[] = [];
  while (out.length < max) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['SentTimestamp'] }));
    const got = r.Messages ?? [];
    if (got.length === 0) break;
    out.push(...got);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: got.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  return out;
}

export function sentTimestamp(m: Message): number | undefined {
  const t = Number(m.Attributes?.SentTimestamp);
  return Number.isFinite(t) && t > 0 ? t : undefined;
}

/** A queue of firedrill's own that `service` may send to from `sourceArn` (an SNS topic, an EventBridge rule). */
export async function createOwnQueue(sqs: SQSClient, name: string, account: string, region: string, sender: { service: string; sourceArn: string }): Promise<{ url: string; arn: string }> {
  const arn = `arn:aws:sqs:${region}:${account}:${name}`;
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: sender.service }, Action: 'sqs:SendMessage', Resource: arn, Condition: { ArnEquals: { 'aws:SourceArn': sender.sourceArn } } }] };
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { Policy: JSON.stringify(policy), MessageRetentionPeriod: '86400' }, tags: { 'firedrill:managed': 'true', 'firedrill:role': 'tap' } }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn: queueArn };
}

export async function deleteOwnQueue(sqs: SQSClient, url: string): Promise<void> {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch((err: unknown) => {
    if ((err as { name?: string }).name !== 'QueueDoesNotExist' && (err as { name?: string }).name !== 'AWS.SimpleQueueService.NonExistentQueue') throw err;
  });
}

/** The URL of a queue given by name or URL; a queue that does not exist is the SUT file's mistake, said so. */
export async function queueUrlOf(sqs: SQSClient, queue: string, tap: string): Promise<string> {
  if (/^https?:\/\//.test(queue)) return queue;
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl!;
  } catch (err) {
    throw new ConfigError(`tap ${tap}: queue ${queue} not found`, { expected: 'an existing SQS queue (by name or URL)', seen: errorMessage(err), fix: 'check the name in the SUT file, or declare it under resources.queues' });
  }
}
