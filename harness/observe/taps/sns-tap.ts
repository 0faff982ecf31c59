import { GetTopicAttributesCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { ConfigError, errorMessage } from '../../../core/index.ts';
import { BaseTap, bodyAsFinding } from './base-tap.ts';
import { createOwnQueue, deleteOwnQueue, drainQueue, sentTimestamp } from './queue-reader.ts';
import type { RawFinding } from '../types.ts';

interface SnsEnvelope {
  Type?: string;
  MessageId?: string;
  TopicArn?: string;
  Subject?: string;
  Message?: string;
  Timestamp?: string;
}

/**
 * An SNS topic the SUT publishes findings to, read through a queue of firedrill's own subscribed to it: the SUT's
 * own subscriptions are not touched. close() unsubscribes and deletes the queue. The raw finding is the message
 * (JSON when it is JSON, else `{ message }`); arrivedAt is the notification's Timestamp.
 */
export class SnsTap extends BaseTap {
  protected override readonly stateful = false;
  private queue?: { url: string; arn: string };
  private subscriptionArn?: string;
  topicArn = '';

  protected async start(): Promise<void> {
    const { clients, account } = this.ctx;
    const topic = (this.spec.source as { type: 'sns'; topic: string }).topic;
    this.topicArn = topic.startsWith('arn:') ? topic : `arn:aws:sns:${clients.target.region}:${account}:${topic}`;
    try {
      await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: this.topicArn }));
    } catch (err) {
      throw new ConfigError(`tap ${this.spec.name}: topic ${this.topicArn} not found`, { expected: 'an existing SNS topic (by name or ARN)', seen: errorMessage(err), fix: 'check the name in the SUT file, or declare it under resources.topics' });
    }
    this.queue = await createOwnQueue(clients.sqs, `firedrill-tap-${this.ctx.runId}-${tapIndex(this.spec.name)}`, account, clients.target.region, { service: 'sns.amazonaws.com', sourceArn: this.topicArn });
    this.subscriptionArn = (await clients.sns.send(new SubscribeCommand({ TopicArn: this.topicArn, Protocol: 'sqs', Endpoint: this.queue.arn, ReturnSubscriptionArn: true }))).SubscriptionArn;
  }

  protected async read(): Promise<RawFinding[]> {
    if (!this.queue) return [];
    const out: RawFinding[] = [];
    for (const m of await drainQueue(this.ctx.clients.sqs, this.queue.url)) {
      const env = bodyAsFinding(m.Body ?? '') as SnsEnvelope;
      const at = env.Timestamp ? Date.parse(env.Timestamp) : sentTimestamp(m);
      out.push({ id: env.MessageId ?? m.MessageId!, raw: bodyAsFinding(env.Message ?? m.Body ?? ''), ...(at !== undefined && Number.isFinite(at) ? { arrivedAt: at } : {}) });
    }
    return out;
  }

  protected async stop(): Promise<void> {
    const { clients } = this.ctx;
    if (this.subscriptionArn) await clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: this.subscriptionArn }));
    if (this.queue) await deleteOwnQueue(clients.sqs, this.queue.url);
    this.subscriptionArn = undefined;
    this.queue = undefined;
  }
}

/** A short, stable token of a tap's name for firedrill's own resource names (SQS and rule names are short). */
export function tapIndex(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h.toString(36);
}
