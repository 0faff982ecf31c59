import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchImportFindingsCommand } from '@aws-sdk/client-securityhub';
import { ListSubscriptionsByTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, ListQueuesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../../test/support/emulator-endpoint.ts';
import { createAwsClients, type AwsClients } from '../../core/aws/index.ts';
import { pollUntil } from '../../core/index.ts';
import { resetEmulatorAt } from '../../emulator/index.ts';
import { createResources } from '../sut/index.ts';
import { openTaps, type TapSet } from './open-taps.ts';
import type { HandlerReturn, Observation, TapSpec } from './types.ts';

/**
 * Every tap against moto: what a SUT writes through each service comes back as observations, mapped or raw;
 * what was there before the drill is not observed; firedrill's own queue, subscription and rule are added at
 * open and removed at close, and the SUT's own wiring is left as it was.
 */
const T = Date.UTC(2026, 10, 20, 12, 5, 0);
let clients: AwsClients;
let account: string;
let taps: TapSet;
const seen = new Map<string, Observation[]>();
let sutSubscriptions: string[];

/** Returns the runtime would report, pushed by the test. */
const pushed: HandlerReturn[] = [];
let wake: (() => void) | undefined;
const returns: AsyncIterable<HandlerReturn> = {
  [Symbol.asyncIterator]: () => ({
    next: async () => {
      while (!pushed.length) await new Promise<void>((r) => (wake = r));
      return { done: false, value: pushed.shift()! };
    },
    return: async () => ({ done: true, value: undefined }),
  }),
};

const specs: TapSpec[] = [
  { name: 'dynamodb:alerts', source: { type: 'dynamodb', table: 'alerts' }, preset: 'none', map: { claimedTime: 'detectedAt', entities: '[ip]', kind: 'type' } },
  { name: 'sns:sut-alerts', source: { type: 'sns', topic: 'sut-alerts' }, preset: 'none', map: {} },
  { name: 'sqs:findings-out', source: { type: 'sqs', queue: 'findings-out' }, preset: 'none', map: { text: 'reason' } },
  { name: 'eventbridge:default', source: { type: 'eventbridge', bus: 'default', pattern: { source: ['my.detector'] } }, preset: 'none', map: { claimedTime: 'time', entities: 'detail.ips' } },
  { name: 's3:csv', source: { type: 's3', bucket: 'sut-out', prefix: 'anomalies/', format: 'csv' }, preset: 'none', map: { entities: '[src_ip]', claimedTime: 'ts' } },
  { name: 's3:jsonl', source: { type: 's3', bucket: 'sut-out', prefix: 'lines/', format: 'jsonl' }, preset: 'none', map: {} },
  { name: 'logs:/aws/lambda/rca', source: { type: 'logs', logGroup: '/aws/lambda/rca', filterPattern: '?RCA ?ROOT' }, preset: 'none', map: { text: 'message' } },
  { name: 'securityhub', source: { type: 'securityhub' }, preset: 'asff', map: {} },
  { name: 'returns:h', source: { type: 'returns', handler: 'h' }, preset: 'none', map: {} },
];

const asff = (id: string, ip: string) => ({
  SchemaVersion: '2018-10-08', Id: id, ProductArn: `arn:aws:securityhub:us-east-1:${account}:product/${account}/default`, GeneratorId: 'sut-detector', AwsAccountId: account,
  Types: ['TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce'], CreatedAt: new Date(T).toISOString(), UpdatedAt: new Date(T).toISOString(),
  FirstObservedAt: new Date(T - 120_000).toISOString(), LastObservedAt: new Date(T).toISOString(), Severity: { Label: 'HIGH' },
  Title: 'SSH brute force', Description: `Repeated SSH failures from ${ip}`, Network: { Direction: 'IN', SourceIpV4: ip }, Resources: [{ Type: 'AwsEc2Instance', Id: `arn:aws:ec2:us-east-1:${account}:instance/i-0web1` }],
});

async function pollFor(what: string, done: () => boolean): Promise<void> {
  await pollUntil(async () => {
    for (const o of await taps.poll()) seen.set(o.tap, [...(seen.get(o.tap) ?? []), o]);
    return done() ? true : undefined;
  }, { timeoutMs: 20_000, intervalMs: 200, what });
}
const on = (tap: string) => seen.get(tap) ?? [];

beforeAll(async () => {
  const endpoint = emulatorEndpoint();
  await resetEmulatorAt(endpoint);
  clients = createAwsClients({ endpoint, region: 'us-east-1' });
  const made = await createResources({
    clients, sut: 'tap-test',
    resources: { buckets: ['sut-out'], tables: [{ name: 'alerts', hashKey: 'pk' }], queues: [{ name: 'findings-out', maxReceiveCount: 3, visibilityTimeout: 30 }, { name: 'sut-consumer', maxReceiveCount: 3, visibilityTimeout: 30 }], topics: [{ name: 'sut-alerts', subscribe: ['sut-consumer'] }], streams: [], deliveryStreams: [], subscriptions: [], notifications: [] },
  });
  account = made.account;
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/rca' }));
  await clients.logs.send(new CreateLogStreamCommand({ logGroupName: '/aws/lambda/rca', logStreamName: '2026/11/20/[$LATEST]abc' }));
  // There before the drill: not observations.
  await clients.doc.send(new PutCommand({ TableName: 'alerts', Item: { pk: 'old#1', ip: '192.0.2.1', detectedAt: T - 86_400_000 } }));
  await clients.s3.send(new PutObjectCommand({ Bucket: 'sut-out', Key: 'anomalies/old.csv', Body: 'src_ip,ts\n192.0.2.1,2026-11-19T00:00:00Z\n' }));
  const subs = await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: made.refs['topic-arn:sut-alerts'] }));
  sutSubscriptions = (subs.Subscriptions ?? []).map((s) => `${s.Protocol} ${s.Endpoint} ${s.SubscriptionArn}`);

  taps = await openTaps(specs, { clients, account, from: 'new', returns, runId: 'e2e' });
});
afterAll(async () => {
  await taps?.close();
  clients?.destroy();
});

describe('taps on moto', () => {
  it('reads what the SUT writes through each service, and nothing that was there before', async () => {
    const topicArn = `arn:aws:sns:us-east-1:${account}:sut-alerts`;
    const findingsOut = (await clients.sqs.send(new GetQueueUrlCommand({ QueueName: 'findings-out' }))).QueueUrl!;
    await clients.doc.send(new PutCommand({ TableName: 'alerts', Item: { pk: 'alert#198.51.100.7', ip: '198.51.100.7', detectedAt: T, type: 'SSH_BRUTE', count: 40 } }));
    await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ ip: '198.51.100.7', reason: 'flood' }) }));
    await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'ALERT: port scan from 203.0.113.9', Subject: 'scan' }));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: findingsOut, MessageBody: JSON.stringify({ reason: 'exfil to 203.0.113.77', bytes: 9e9 }) }));
    await clients.eventbridge.send(new PutEventsCommand({ Entries: [
      { Source: 'my.detector', DetailType: 'Anomaly', Time: new Date(T), Detail: JSON.stringify({ ips: ['198.51.100.7', '198.51.100.8'] }) },
      { Source: 'someone.else', DetailType: 'Noise', Detail: JSON.stringify({ ips: ['10.0.0.1'] }) },
    ] }));
    // A CSV as spreadsheets write it: a BOM, CRLF, a quoted field with a comma and a quote in it.
    await clients.s3.send(new PutObjectCommand({ Bucket: 'sut-out', Key: 'anomalies/run.csv', Body: '\uFEFFsrc_ip,ts,note\r\n203.0.113.50,2026-11-20T12:05:00Z,"ssh, then ""root"" login"\r\n203.0.113.51,1795176300,plain\r\n' }));
    await clients.s3.send(new PutObjectCommand({ Bucket: 'sut-out', Key: 'lines/a.jsonl', Body: '{"ip":"198.51.100.9"}\n\n{"ip":"198.51.100.10"}\n' }));
    const now = Date.now();
    await clients.logs.send(new PutLogEventsCommand({ logGroupName: '/aws/lambda/rca', logStreamName: '2026/11/20/[$LATEST]abc', logEvents: [
      { timestamp: now, message: 'START RequestId: 1' },
      { timestamp: now + 1, message: 'RCA: rds firedrill-orders-db connection exhaustion -> app checkout' },
      { timestamp: now + 2, message: 'INFO all quiet' },
      { timestamp: now + 3, message: '{"level":"ROOT","db":"mydb"}' },
    ] }));
    await clients.securityhub.send(new BatchImportFindingsCommand({ Findings: [asff('f-1', '203.0.113.60'), asff('f-2', '203.0.113.61')] as never }));
    pushed.push({ handler: 'h', at: now, value: [{ ip: '198.51.100.20' }, { ip: '198.51.100.21' }] }, { handler: 'other', at: now, value: { ip: 'x' } }, { handler: 'h', at: now, value: null });
    wake?.();

    await pollFor('every tap to see what was written', () =>
      on('dynamodb:alerts').length >= 1 && on('sns:sut-alerts').length >= 2 && on('sqs:findings-out').length >= 1 && on('eventbridge:default').length >= 1 &&
      on('s3:csv').length >= 2 && on('s3:jsonl').length >= 2 && on('logs:/aws/lambda/rca').length >= 2 && on('securityhub').length >= 2 && on('returns:h').length >= 2);

    expect(on('dynamodb:alerts')).toEqual([expect.objectContaining({ id: 'alert#198.51.100.7', claimedTime: T, entities: ['198.51.100.7'], kind: 'SSH_BRUTE' })]);
    expect(on('sns:sut-alerts').map((o) => o.raw)).toEqual([{ ip: '198.51.100.7', reason: 'flood' }, { message: 'ALERT: port scan from 203.0.113.9' }]);
    expect(on('sns:sut-alerts')[1]!.text).toBe('{"message":"ALERT: port scan from 203.0.113.9"}');
    expect(on('sns:sut-alerts')[0]!.arrivedAt).toBeGreaterThan(now - 60_000);
    expect(on('sqs:findings-out')).toEqual([expect.objectContaining({ text: 'exfil to 203.0.113.77', entities: [] })]);
    expect(on('eventbridge:default')).toHaveLength(1);
    expect(on('eventbridge:default')[0]).toMatchObject({ claimedTime: T, entities: ['198.51.100.7', '198.51.100.8'], raw: { source: 'my.detector', 'detail-type': 'Anomaly' } });
    expect(on('s3:csv').map((o) => [o.id, o.entities, o.claimedTime, (o.raw as { note: string }).note])).toEqual([
      ['anomalies/run.csv#1', ['203.0.113.50'], T, 'ssh, then "root" login'],
      ['anomalies/run.csv#2', ['203.0.113.51'], T, 'plain'],
    ]);
    expect(on('s3:jsonl').map((o) => o.raw)).toEqual([{ ip: '198.51.100.9' }, { ip: '198.51.100.10' }]);
    expect(on('logs:/aws/lambda/rca').map((o) => o.text)).toEqual(['RCA: rds firedrill-orders-db connection exhaustion -> app checkout', '{"level":"ROOT","db":"mydb"}']);
    expect(on('logs:/aws/lambda/rca')[1]!.raw).toMatchObject({ logStream: '2026/11/20/[$LATEST]abc', json: { level: 'ROOT', db: 'mydb' } });
    expect(on('securityhub').map((o) => [o.id, o.kind, o.claimedTime, o.firstSeen, o.entities])).toEqual([
      ['f-1', 'TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce', T, T - 120_000, [`arn:aws:ec2:us-east-1:${account}:instance/i-0web1`, '203.0.113.60']],
      ['f-2', 'TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce', T, T - 120_000, [`arn:aws:ec2:us-east-1:${account}:instance/i-0web1`, '203.0.113.61']],
    ]);
    expect(on('securityhub')[0]!.text).toBe('SSH brute force — Repeated SSH failures from 203.0.113.60');
    expect(on('returns:h').map((o) => [o.id, o.raw, o.arrivedAt])).toEqual([['h#1.1', { ip: '198.51.100.20' }, now], ['h#1.2', { ip: '198.51.100.21' }, now]]);
  });

  it('observes an upserted item again, with its new content and its first sighting', async () => {
    const first = on('dynamodb:alerts')[0]!;
    await clients.doc.send(new PutCommand({ TableName: 'alerts', Item: { pk: 'alert#198.51.100.7', ip: '198.51.100.7', detectedAt: T, type: 'SSH_BRUTE', count: 90 } }));
    const again = await pollUntil(async () => (await taps.poll()).find((o) => o.tap === 'dynamodb:alerts'), { timeoutMs: 10_000, what: 'the changed item' });
    expect(again).toMatchObject({ id: first.id, observedAt: first.observedAt, raw: { count: 90 } });
    expect(await taps.poll()).toEqual([]);
  });

  it('leaves the SUT’s own subscriptions as they were, and removes its own queue, subscription and rule at close', async () => {
    const topicArn = `arn:aws:sns:us-east-1:${account}:sut-alerts`;
    const during = ((await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? []).map((s) => `${s.Protocol} ${s.Endpoint} ${s.SubscriptionArn}`);
    expect(during).toEqual(expect.arrayContaining(sutSubscriptions));
    expect(during.length).toBe(sutSubscriptions.length + 1);
    expect((await clients.eventbridge.send(new ListRulesCommand({ NamePrefix: 'firedrill-tap-e2e' }))).Rules).toHaveLength(1);
    await taps.close();
    const after = ((await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? []).map((s) => `${s.Protocol} ${s.Endpoint} ${s.SubscriptionArn}`);
    expect(after).toEqual(sutSubscriptions);
    expect((await clients.eventbridge.send(new ListRulesCommand({ NamePrefix: 'firedrill-tap-e2e' }))).Rules ?? []).toHaveLength(0);
    expect(((await clients.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'firedrill-tap-e2e' }))).QueueUrls ?? [])).toEqual([]);
  });
});
