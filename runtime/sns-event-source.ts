import { randomBytes } from 'node:crypto';
import { SubscribeCommand, UnsubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createLogger } from '../core/index.ts';
import type { EventSource, HandlerStats, Invoke, StopOptions } from './event-source.ts';
import type { SnsTrigger } from './handler-spec.ts';
import { snsEventFromNotification } from './sns-event.ts';
import { startQueuePoller } from './sqs-event-source.ts';

const log = createLogger('local-runtime');

/**
 * An SNS subscription of the function, run locally (moto delivers no SNS message to Lambda): the runtime subscribes
 * a queue of its own to the topic (raw message delivery off, so the queue gets SNS's JSON envelope), turns each
 * notification into the SNS event Lambda gets — one record per invocation — and removes the queue and its
 * subscription at stop(), leaving the SUT's wiring as it found it. A failed invocation is retried as Lambda retries
 * an asynchronous one (twice by default, counted by the message's receive count), then dropped and counted.
 */
export async function startSnsEventSource(o: { sns: SNSClient; sqs: SQSClient; handler: string; trigger: SnsTrigger; invoke: Invoke; stats: HandlerStats }): Promise<EventSource> {
  const { sns, sqs, trigger, stats } = o;
  const queueName = `firedrill-rt-${o.handler}`.slice(0, 66) + `-${randomBytes(4).toString('hex')}`;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: { VisibilityTimeout: '30' } }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  let subscriptionArn: string | undefined;
  try {
    const sub = await sns.send(new SubscribeCommand({ TopicArn: trigger.topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'false' }, ReturnSubscriptionArn: true }));
    subscriptionArn = sub.SubscriptionArn!;
  } catch (err) {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => {});
    throw err;
  }
  const maxRetries = trigger.maxRetryAttempts ?? 2;
  const poller = await startQueuePoller({
    sqs,
    queueUrl,
    batchSize: 10,
    failedVisibilitySeconds: 1,
    stats,
    handle: async (messages) => {
      const failed = new Set<string>();
      const dropped = new Set<string>();
      for (const m of messages) {
        let event;
        try {
          event = snsEventFromNotification(m.Body ?? '', subscriptionArn!);
        } catch (err) {
          // Nothing but SNS writes to this queue; a body it cannot read would fail every time.
          log.warn({ err, handler: o.handler }, 'not an SNS notification; dropped');
          stats.dropped++;
          dropped.add(m.MessageId!);
          continue;
        }
        try {
          await o.invoke(event, { records: 1 });
        } catch {
          const received = Number(m.Attributes?.ApproximateReceiveCount ?? 1);
          if (received > maxRetries) {
            stats.dropped++;
            stats.failed++;
            dropped.add(m.MessageId!);
            log.warn({ handler: o.handler, messageId: event.Records[0]!.Sns.MessageId, attempts: received }, 'SNS delivery failed after its retries; dropped');
            continue;
          }
          failed.add(m.MessageId!);
        }
      }
      return { retry: failed, dropped };
    },
  });
  let stopped: Promise<void> | undefined;
  return {
    describe: `topic ${trigger.topicArn}`,
    drained: () => poller.drained(),
    stop: (so?: StopOptions) =>
      (stopped ??= (async () => {
        await poller.stop(so);
        await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn })).catch((err: unknown) => log.warn({ err }, 'could not remove the runtime\'s SNS subscription'));
        await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch((err: unknown) => log.warn({ err }, 'could not delete the runtime\'s SNS queue'));
      })()),
  };
}
