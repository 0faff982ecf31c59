import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { kinesisEvent } from './kinesis-event.ts';
import { decodeLogsSubscriptionEvent, logsSubscriptionEvent } from './logs-subscription-event.ts';
import { scheduledEvent } from './scheduled-event.ts';
import { snsEventFromNotification } from './sns-event.ts';
import { sqsRecord } from './sqs-event-source.ts';

/**
 * The event builders against AWS's documented sample events (re-typed from the Lambda and EventBridge
 * documentation): given the same inputs, a builder must produce the sample exactly, field for field.
 */
describe('Lambda event shapes', () => {
  it('Kinesis: the Lambda documentation sample record', () => {
    const sample = {
      Records: [
        {
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: '1',
            sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
            data: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==',
            approximateArrivalTimestamp: 1545084650.987,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: 'shardId-000000000006:49590338271490256608559692538361571095921575989136588898',
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: 'arn:aws:iam::111122223333:role/lambda-kinesis-role',
          awsRegion: 'us-east-2',
          eventSourceARN: 'arn:aws:kinesis:us-east-2:111122223333:stream/lambda-stream',
        },
      ],
    };
    const built = kinesisEvent(
      [{ Data: Buffer.from('Hello, this is a test.'), PartitionKey: '1', SequenceNumber: '49590338271490256608559692538361571095921575989136588898', ApproximateArrivalTimestamp: new Date(1545084650987) }],
      { shardId: 'shardId-000000000006', streamArn: 'arn:aws:kinesis:us-east-2:111122223333:stream/lambda-stream', region: 'us-east-2', roleArn: 'arn:aws:iam::111122223333:role/lambda-kinesis-role' },
    );
    expect(built).toEqual(sample);
  });

  it('CloudWatch Logs: the envelope is the DATA_MESSAGE of the Lambda console sample, gzip then base64', () => {
    // The sample `awslogs.data` of the Lambda console's cloudwatch-logs test event.
    const sample = {
      awslogs: {
        data: 'H4sIAAAAAAAAAHWPwQqCQBCGX0Xm7EFtK+smZBEUgXoLCdMhFtKV3akI8d0bLYmibvPPN3wz00CJxmQnTO41whwWQRIctmEcB6sQbFC3CjW3XW8kxpOpP+OC22d1Wml1qZkQGtoMsScxaczKN3plG8zlaHIta5KqWsozoTYw3/djzwhpLwivWFGHGpAFe7DL68JlBUk+l7KSN7tCOEJ4M3/qOI49vMHj+zCKdlFqLaU2ZHV2a4Ct/an0/ivdX8oYc1UVX860fQDQiMdxRQEAAA==',
      },
    };
    const decoded = decodeLogsSubscriptionEvent(sample);
    expect(decoded.logEvents).toHaveLength(2);
    const built = logsSubscriptionEvent({
      messageType: 'DATA_MESSAGE',
      owner: '123456789123',
      logGroup: 'testLogGroup',
      logStream: 'testLogStream',
      subscriptionFilters: ['testFilter'],
      logEvents: [
        { id: 'eventId1', timestamp: 1440442987000, message: '[ERROR] First test message' },
        { id: 'eventId2', timestamp: 1440442987001, message: '[ERROR] Second test message' },
      ],
    });
    // The same JSON text (field order included) as AWS's payload, and a gzip member as AWS sends.
    const text = (e: { awslogs: { data: string } }) => gunzipSync(Buffer.from(e.awslogs.data, 'base64')).toString('utf8');
    expect(text(built)).toBe(text(sample));
    expect(Buffer.from(built.awslogs.data, 'base64').subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(decodeLogsSubscriptionEvent(built)).toEqual(decoded);
  });

  it('EventBridge schedule: the documentation sample Scheduled Event, time to the second', () => {
    const sample = {
      version: '0',
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: '2015-10-08T16:53:06Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule'],
      detail: {},
    };
    const built = scheduledEvent({ id: sample.id, timeMs: Date.parse('2015-10-08T16:53:06.750Z'), account: '123456789012', region: 'us-east-1', ruleArn: sample.resources[0]! });
    expect(built).toEqual(sample);
    expect(scheduledEvent({ timeMs: 0, account: 'a', region: 'r', ruleArn: 'x' }).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('SNS: the notification SNS puts on a queue becomes the Lambda sample event (URL fields renamed)', () => {
    const sample = {
      Records: [
        {
          EventVersion: '1.0',
          EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:sns-lambda:21be56ed-a058-49f5-8c98-aedd2564c486',
          EventSource: 'aws:sns',
          Sns: {
            SignatureVersion: '1',
            Timestamp: '2019-01-02T12:45:07.000Z',
            Signature: 'tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j...65r==',
            SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-ac565b8b1a6c5d002d285f9598aa1d9b.pem',
            MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
            Message: 'Hello from SNS!',
            MessageAttributes: { Test: { Type: 'String', Value: 'TestString' }, TestBinary: { Type: 'Binary', Value: 'TestBinary' } },
            Type: 'Notification',
            UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&amp;SubscriptionArn=arn:aws:sns:us-east-1:123456789012:test-lambda:21be56ed-a058-49f5-8c98-aedd2564c486',
            TopicArn: 'arn:aws:sns:us-east-1:123456789012:sns-lambda',
            Subject: 'TestInvoke',
          },
        },
      ],
    };
    const s = sample.Records[0]!.Sns;
    // As SNS writes it to an SQS queue (raw message delivery off): the same fields, URL spelled in capitals.
    const body = JSON.stringify({
      Type: s.Type,
      MessageId: s.MessageId,
      TopicArn: s.TopicArn,
      Subject: s.Subject,
      Message: s.Message,
      Timestamp: s.Timestamp,
      SignatureVersion: s.SignatureVersion,
      Signature: s.Signature,
      SigningCertURL: s.SigningCertUrl,
      UnsubscribeURL: s.UnsubscribeUrl,
      MessageAttributes: s.MessageAttributes,
    });
    expect(snsEventFromNotification(body, sample.Records[0]!.EventSubscriptionArn)).toEqual(sample);
    // No subject: Lambda's field is null.
    const { Subject: _none, ...noSubject } = JSON.parse(body) as Record<string, unknown>;
    expect(snsEventFromNotification(JSON.stringify(noSubject), 'arn').Records[0]!.Sns.Subject).toBeNull();
    expect(() => snsEventFromNotification('plain text', 'arn')).toThrow(/not an SNS notification/);
    expect(() => snsEventFromNotification(JSON.stringify({ Type: 'SubscriptionConfirmation', Message: 'x', TopicArn: 't' }), 'arn')).toThrow(/Notification/);
  });

  it('SQS: the documentation sample record', () => {
    const sample = {
      messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...',
      body: 'Test message.',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1545082649183', SenderId: 'AIDAIENQZJOLO23YVJ4VO', ApproximateFirstReceiveTimestamp: '1545082649185' },
      messageAttributes: {},
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-2:123456789012:my-queue',
      awsRegion: 'us-east-2',
    };
    const built = sqsRecord(
      { MessageId: sample.messageId, ReceiptHandle: sample.receiptHandle, Body: sample.body, Attributes: sample.attributes, MD5OfBody: sample.md5OfBody },
      sample.eventSourceARN,
      'us-east-2',
    );
    expect(built).toEqual(sample);
  });
});
