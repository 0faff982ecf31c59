import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutRecordCommand } from '@aws-sdk/client-firehose';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { GetBucketTaggingCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ListQueueTagsCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../../test/support/emulator-endpoint.ts';
import { createAwsClients, type AwsClients } from '../../core/aws/index.ts';
import { pollUntil } from '../../core/index.ts';
import { resetEmulatorAt } from '../../emulator/index.ts';
import { loadSutFile } from './load-sut.ts';
import { prepareSut, type PreparedSut } from './prepare-sut.ts';

const FULL = fileURLToPath(new URL('./testdata/full/firedrill.sut.yaml', import.meta.url));
const ESTATE = { rds: { dbInstanceId: 'firedrill-orders-db' } };
let clients: AwsClients;
let first: PreparedSut;

beforeAll(async () => {
  const endpoint = emulatorEndpoint();
  await resetEmulatorAt(endpoint);
  clients = createAwsClients({ endpoint, region: 'us-east-1' });
  first = await prepareSut({ sut: await loadSutFile(FULL), clients, prefix: 'fd', estate: ESTATE, env: {} });
});
afterAll(() => clients?.destroy());

async function receive(queueUrl: string): Promise<string[]> {
  return pollUntil(async () => {
    const r = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    return r.Messages?.length ? r.Messages.map((m) => m.Body ?? '') : undefined;
  }, { timeoutMs: 15_000, what: `a message on ${queueUrl}` });
}

describe('a SUT file’s resources on moto', () => {
  it('creates every section, tagged, and the setup hook’s outputs reach the resolved spec', () => {
    expect(first.created).toEqual(expect.arrayContaining([
      'bucket fd-logs', 'queue work-dlq', 'queue work', 'queue findings-out', 'table LogAnomalies', 'subscription alerts → work', 'stream fd-stream',
      'delivery stream aws-waf-logs-mine', 'log group /ecs/my-python-service', 'subscription filter firedrill-fd-stream on /ecs/my-python-service', 'notifications of fd-logs',
    ]));
    expect(Object.keys(first.refs).sort()).toEqual([
      'bucket:fd-logs', 'delivery-stream-arn:aws-waf-logs-mine', 'queue-arn:findings-out', 'queue-arn:work', 'queue-arn:work-dlq', 'queue-url:findings-out', 'queue-url:work', 'queue-url:work-dlq',
      'stream-arn:fd-stream', 'table:LogAnomalies', 'topic-arn:alerts',
    ]);
    expect(first.outputs).toEqual({ marker: `setup-ran-in-us-east-1-${first.account}`, workQueue: first.refs['queue-url:work'] });
    const rca = first.spec.handlers.find((h) => h.name === 'log-rca-agent')!;
    expect(rca.environment).toMatchObject({ WORK_QUEUE: first.refs['queue-url:work'], MARKER: first.outputs.marker, DB: 'firedrill-orders-db' });
    expect(first.spec.handlers.find((h) => h.name === 'worker')!.trigger).toMatchObject({ type: 'sqs', queueUrl: first.refs['queue-url:work'] });
  });

  it('is idempotent: a second run creates nothing and learns the same identifiers', async () => {
    const again = await prepareSut({ sut: await loadSutFile(FULL), clients, prefix: 'fd', estate: ESTATE, env: {} });
    expect(again.created).toEqual([]);
    expect(again.refs).toEqual(first.refs);
  });

  it('tags what it creates firedrill:managed=true and wires the dead-letter queue', async () => {
    const tags = await clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: first.refs['queue-url:work'] }));
    expect(tags.Tags).toMatchObject({ 'firedrill:managed': 'true', 'firedrill:sut': 'seed-004-rca' });
    expect((await clients.s3.send(new GetBucketTaggingCommand({ Bucket: 'fd-logs' }))).TagSet).toEqual(expect.arrayContaining([{ Key: 'firedrill:managed', Value: 'true' }]));
    const attrs = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: first.refs['queue-url:work'], AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'] }))).Attributes!;
    expect(JSON.parse(attrs.RedrivePolicy!)).toEqual({ deadLetterTargetArn: first.refs['queue-arn:work-dlq'], maxReceiveCount: 3 });
    expect(attrs.VisibilityTimeout).toBe('30');
  });

  it('wires the data paths: SNS → queue, S3 ObjectCreated → queue, Firehose → S3, Logs subscription → Kinesis', async () => {
    await clients.sns.send(new PublishCommand({ TopicArn: first.refs['topic-arn:alerts'], Message: 'hello from the topic' }));
    await clients.s3.send(new PutObjectCommand({ Bucket: 'fd-logs', Key: 'raw/one.log', Body: 'x' }));
    const bodies: string[] = [];
    await pollUntil(async () => {
      bodies.push(...(await receive(first.refs['queue-url:work']!)));
      return bodies.some((b) => b.includes('hello from the topic')) && bodies.some((b) => b.includes('ObjectCreated') && b.includes('one.log')) ? true : undefined;
    }, { timeoutMs: 20_000, what: 'the SNS message and the S3 notification on the work queue' });

    await clients.firehose.send(new PutRecordCommand({ DeliveryStreamName: 'aws-waf-logs-mine', Record: { Data: Buffer.from('{"waf":1}\n') } }));
    const keys = await pollUntil(async () => {
      const r = await clients.s3.send(new ListObjectsV2Command({ Bucket: 'fd-logs', Prefix: 'waf/' }));
      return r.Contents?.length ? r.Contents.map((o) => o.Key) : undefined;
    }, { timeoutMs: 15_000, what: 'the Firehose object under waf/' });
    expect(keys.length).toBe(1);

    await clients.logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/my-python-service', logStreamName: 's1' }));
    await clients.logs.send(new PutLogEventsCommand({ logGroupName: '/ecs/my-python-service', logStreamName: 's1', logEvents: [{ timestamp: Date.now(), message: 'ERROR db down' }] }));
    const shard = (await clients.kinesis.send(new ListShardsCommand({ StreamName: 'fd-stream' }))).Shards![0]!.ShardId!;
    const iterator = (await clients.kinesis.send(new GetShardIteratorCommand({ StreamName: 'fd-stream', ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
    const records = (await clients.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records ?? [];
    const envelope = JSON.parse(gunzipSync(Buffer.from(records[0]!.Data!)).toString('utf8')) as { logGroup: string; logEvents: { message: string }[] };
    expect(envelope).toMatchObject({ logGroup: '/ecs/my-python-service', logEvents: [{ message: 'ERROR db down' }] });
  });
});
