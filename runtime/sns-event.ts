import type { SnsEvent } from '../core/index.ts';
import { FiredrillError } from '../core/index.ts';

/** The JSON body SNS puts on an SQS queue subscribed without raw message delivery. */
interface SnsNotification {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion?: string;
  Signature?: string;
  SigningCertURL?: string;
  UnsubscribeURL?: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

/**
 * The event SNS sends to a subscribed Lambda, built from the notification SNS delivered to a queue: the same
 * fields, one record, with the two URL fields spelled as Lambda spells them (`SigningCertUrl`, `UnsubscribeUrl`).
 */
export function snsEventFromNotification(body: string, subscriptionArn: string): SnsEvent {
  let n: SnsNotification;
  try {
    n = JSON.parse(body) as SnsNotification;
  } catch (err) {
    throw new FiredrillError('not an SNS notification', { expected: 'the JSON envelope SNS delivers to SQS (raw message delivery off)', seen: body.slice(0, 200), cause: err });
  }
  if (n.Type !== 'Notification' || typeof n.Message !== 'string' || !n.TopicArn) {
    throw new FiredrillError('not an SNS notification', { expected: 'Type "Notification" with Message and TopicArn', seen: body.slice(0, 200) });
  }
  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        EventSource: 'aws:sns',
        Sns: {
          SignatureVersion: n.SignatureVersion ?? '1',
          Timestamp: n.Timestamp,
          Signature: n.Signature ?? '',
          SigningCertUrl: n.SigningCertURL ?? '',
          MessageId: n.MessageId,
          Message: n.Message,
          MessageAttributes: n.MessageAttributes ?? {},
          Type: n.Type,
          UnsubscribeUrl: n.UnsubscribeURL ?? '',
          TopicArn: n.TopicArn,
          Subject: n.Subject ?? null,
        },
      },
    ],
  };
}
