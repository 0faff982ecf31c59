import { CreateLogGroupCommand, PutSubscriptionFilterCommand, paginateDescribeLogGroups, paginateDescribeSubscriptionFilters } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTableCommand, DescribeTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AddTagsToStreamCommand, CreateStreamCommand, DescribeStreamSummaryCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import {
  CreateBucketCommand, GetBucketNotificationConfigurationCommand, HeadBucketCommand, PutBucketNotificationConfigurationCommand, PutBucketTaggingCommand,
  type QueueConfiguration,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, GetTopicAttributesCommand, SubscribeCommand, paginateListSubscriptionsByTopic } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, type QueueAttributeName } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../../core/aws/index.ts';
import { FiredrillError, errorMessage } from '../../core/index.ts';
import type { ResourceRefs, ResourcesSpec } from './types.ts';

/** A resource of the SUT file could not be created or read. */
export class SutResourceError extends FiredrillError {}

export interface CreateResourcesOptions {
  clients: AwsClients;
  resources: ResourcesSpec;
  /** The SUT's name: tags (`firedrill:sut`) and the names of the roles firedrill makes for it. */
  sut: string;
  /** Default: STS GetCallerIdentity. */
  account?: string;
  /** The run's prefix, tagged as `firedrill:prefix` so that `firedrill down --prefix` finds what was made for it. */
  prefix?: string;
  log?: (line: string) => void;
}

export interface CreatedResources {
  /** Identifiers by `<kind>:<name>`: queue-url, queue-arn, topic-arn, stream-arn, delivery-stream-arn, table, bucket. */
  refs: ResourceRefs;
  account: string;
  region: string;
  /** What this call created (`queue work`, …); empty when everything existed already. */
  created: string[];
}

const MANAGED = { 'firedrill:managed': 'true' };

/** The error names AWS (and moto) give a resource that does not exist: the one failure that means "create it". */
function ifMissing(names: readonly string[]): (err: unknown) => undefined {
  return (err) => {
    const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    if (names.includes(e.name ?? '') || names.includes(e.Code ?? '') || (names.includes('404') && e.$metadata?.httpStatusCode === 404)) return undefined;
    throw err;
  };
}

/**
 * Creates the `resources:` section of a SUT file on the target (local mode: a throwaway emulator), idempotently:
 * what exists is read, not recreated, and everything created is tagged firedrill:managed=true and
 * firedrill:sut=<name>. Order follows the dependencies: buckets, queues (dead-letter queues first), tables,
 * topics and their queue subscriptions, Kinesis streams, Firehose streams (to their bucket), log groups and their
 * subscription filters (to a stream), bucket notifications (to a queue). Returns the identifiers the rest of the
 * SUT file refers to as `${ref:<kind>:<name>}`.
 */
export async function createResources(opts: CreateResourcesOptions): Promise<CreatedResources> {
  const { clients: c, resources: r } = opts;
  const log = opts.log ?? (() => {});
  const region = c.target.region;
  const tags: Record<string, string> = { ...MANAGED, ...(opts.prefix ? { 'firedrill:prefix': opts.prefix } : {}), 'firedrill:sut': opts.sut };
  const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const refs: ResourceRefs = {};
  const created: string[] = [];
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof FiredrillError) throw err;
      throw new SutResourceError(`SUT ${opts.sut}: could not create or read ${what}`, {
        expected: `${what} to exist or be created`,
        seen: `${(err as Error)?.name ?? 'Error'}: ${errorMessage(err)}`,
        fix: 'check the resources: section of the SUT file and the endpoint (`npx firedrill doctor`); on an emulator, reset it and run again',
        cause: err,
      });
    }
  };
  const made = (what: string) => {
    created.push(what);
    log(`created ${what}`);
  };
  const account = opts.account ?? (await step('the account id (sts:GetCallerIdentity)', async () => (await c.sts.send(new GetCallerIdentityCommand({}))).Account!));
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;

  // ── S3 buckets ──
  await Promise.all(
    r.buckets.map((name) =>
      step(`S3 bucket ${name}`, async () => {
        refs[`bucket:${name}`] = name;
        const exists = await c.s3.send(new HeadBucketCommand({ Bucket: name })).then(() => true, ifMissing(['NotFound', 'NoSuchBucket', '404']));
        if (exists) return;
        // us-east-1 is the one region that rejects an explicit LocationConstraint.
        await c.s3.send(new CreateBucketCommand({ Bucket: name, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) }));
        await c.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: tagList } }));
        made(`bucket ${name}`);
      }),
    ),
  );

  // ── SQS queues: who may send to each (SNS topics subscribing it, buckets notifying it), as AWS requires ──
  const senders = new Map<string, { service: string; sourceArn: string }[]>();
  const allow = (queue: string, service: string, sourceArn: string) => senders.set(queue, [...(senders.get(queue) ?? []), { service, sourceArn }]);
  for (const t of r.topics) for (const q of t.subscribe) allow(q, 'sns.amazonaws.com', arn('sns', t.name));
  for (const n of r.notifications) allow(n.queue, 's3.amazonaws.com', `arn:aws:s3:::${n.bucket}`);
  const queue = (name: string, attributes: Record<string, string>) =>
    step(`SQS queue ${name}`, async () => {
      let url = await c.sqs.send(new GetQueueUrlCommand({ QueueName: name })).then((x) => x.QueueUrl!, ifMissing(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']));
      const created = !url;
      if (!url) {
        url = (await c.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes, tags }))).QueueUrl!;
        made(`queue ${name}`);
      }
      const names = created ? [] : (Object.keys(attributes) as QueueAttributeName[]);
      const current = (await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', ...names] }))).Attributes!;
      // Existing queue: bring its redrive policy and senders to what the file says, sending nothing when they are (a
      // second preparation of the same SUT only reads).
      const differing = Object.fromEntries(Object.entries(attributes).filter(([k, v]) => names.length > 0 && canonical(current[k as QueueAttributeName]) !== canonical(v)));
      if (Object.keys(differing).length) await c.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: differing }));
      const queueArn = current.QueueArn!;
      refs[`queue-url:${name}`] = url;
      refs[`queue-arn:${name}`] = queueArn;
      return queueArn;
    });
  const declared = new Set(r.queues.map((q) => q.name));
  // Dead-letter queues first (a redrive policy names one); those not declared themselves are made plain.
  await Promise.all([...new Set(r.queues.flatMap((q) => (q.dlq && !declared.has(q.dlq) ? [q.dlq] : [])))].map((dlq) => queue(dlq, { MessageRetentionPeriod: '1209600' })));
  const ordered = [...r.queues].sort((a, b) => Number(r.queues.some((q) => q.dlq === b.name)) - Number(r.queues.some((q) => q.dlq === a.name)));
  for (const q of ordered) {
    const attributes: Record<string, string> = { VisibilityTimeout: String(q.visibilityTimeout) };
    if (q.dlq) attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: refs[`queue-arn:${q.dlq}`] ?? arn('sqs', q.dlq), maxReceiveCount: q.maxReceiveCount });
    const from = senders.get(q.name);
    if (from?.length) {
      attributes.Policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: from.map((s, i) => ({ Sid: `firedrill-${i}`, Effect: 'Allow', Principal: { Service: s.service }, Action: 'sqs:SendMessage', Resource: arn('sqs', q.name), Condition: { ArnEquals: { 'aws:SourceArn': s.sourceArn } } })),
      });
    }
    await queue(q.name, attributes);
  }

  // ── DynamoDB tables (string keys, on demand) ──
  await Promise.all(
    r.tables.map((t) =>
      step(`DynamoDB table ${t.name}`, async () => {
        refs[`table:${t.name}`] = t.name;
        const exists = await c.dynamodb.send(new DescribeTableCommand({ TableName: t.name })).then(() => true, ifMissing(['ResourceNotFoundException']));
        if (exists) return;
        const keys = [{ AttributeName: t.hashKey, KeyType: 'HASH' as const }, ...(t.rangeKey ? [{ AttributeName: t.rangeKey, KeyType: 'RANGE' as const }] : [])];
        await c.dynamodb.send(
          new CreateTableCommand({ TableName: t.name, BillingMode: 'PAY_PER_REQUEST', KeySchema: keys, AttributeDefinitions: keys.map((k) => ({ AttributeName: k.AttributeName, AttributeType: 'S' })), Tags: tagList }),
        );
        await waitUntilTableExists({ client: c.dynamodb, maxWaitTime: 60 }, { TableName: t.name });
        made(`table ${t.name}`);
      }),
    ),
  );

  // ── SNS topics and their queue subscriptions ──
  // Topics are independent of one another (as are the buckets' notifications below): created at once.
  await Promise.all(r.topics.map((t) =>
    step(`SNS topic ${t.name}`, async () => {
      // CreateTopic would return an existing topic's ARN too; looked up first so that a second preparation only reads.
      const existing = await c.sns.send(new GetTopicAttributesCommand({ TopicArn: arn('sns', t.name) })).then(() => arn('sns', t.name), ifMissing(['NotFoundException', 'NotFound']));
      const topicArn = existing ?? (await c.sns.send(new CreateTopicCommand({ Name: t.name, Tags: tagList }))).TopicArn!;
      refs[`topic-arn:${t.name}`] = topicArn;
      const subscribed = new Set<string>();
      for await (const page of paginateListSubscriptionsByTopic({ client: c.sns }, { TopicArn: topicArn })) for (const s of page.Subscriptions ?? []) if (s.Protocol === 'sqs' && s.Endpoint) subscribed.add(s.Endpoint);
      for (const q of t.subscribe) {
        const queueArn = refs[`queue-arn:${q}`]!;
        if (subscribed.has(queueArn)) continue;
        await c.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
        made(`subscription ${t.name} → ${q}`);
      }
    }),
  ));

  // ── Kinesis data streams ──
  await Promise.all(
    r.streams.map((s) =>
      step(`Kinesis stream ${s.name}`, async () => {
        let summary = await c.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: s.name })).then((x) => x.StreamDescriptionSummary, ifMissing(['ResourceNotFoundException']));
        if (!summary) {
          await c.kinesis.send(new CreateStreamCommand({ StreamName: s.name, ShardCount: s.shards }));
          await waitUntilStreamExists({ client: c.kinesis, maxWaitTime: 60 }, { StreamName: s.name });
          await c.kinesis.send(new AddTagsToStreamCommand({ StreamName: s.name, Tags: tags }));
          summary = (await c.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: s.name }))).StreamDescriptionSummary;
          made(`stream ${s.name}`);
        }
        refs[`stream-arn:${s.name}`] = summary!.StreamARN!;
      }),
    ),
  );

  // ── IAM roles firedrill makes for the SUT's delivery (Firehose → S3, Logs → Kinesis/Firehose) ──
  const role = (name: string, service: string, actions: string[]) =>
    step(`IAM role ${name}`, async () => {
      let roleArn = await c.iam.send(new GetRoleCommand({ RoleName: name })).then((x) => x.Role!.Arn!, ifMissing(['NoSuchEntity', 'NoSuchEntityException']));
      if (!roleArn) {
        const assume = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] };
        roleArn = (await c.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(assume), Tags: tagList }))).Role!.Arn!;
        made(`role ${name}`);
      }
      const policyName = `${name}-policy`;
      const has = await c.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })).then(() => true, ifMissing(['NoSuchEntity', 'NoSuchEntityException']));
      if (!has) await c.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }) }));
      return roleArn;
    });
  const roleName = (what: string) => `firedrill-${opts.sut}-${what}`.slice(0, 64);

  // ── Firehose delivery streams (DirectPut → S3) ──
  if (r.deliveryStreams.length) {
    const firehoseRole = await role(roleName('firehose'), 'firehose.amazonaws.com', ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:ListBucket']);
    await Promise.all(
      r.deliveryStreams.map((d) =>
        step(`Firehose delivery stream ${d.name}`, async () => {
          let streamArn = await c.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: d.name })).then((x) => x.DeliveryStreamDescription!.DeliveryStreamARN!, ifMissing(['ResourceNotFoundException']));
          if (!streamArn) {
            streamArn = (
              await c.firehose.send(
                new CreateDeliveryStreamCommand({
                  DeliveryStreamName: d.name,
                  DeliveryStreamType: 'DirectPut',
                  ExtendedS3DestinationConfiguration: { RoleARN: firehoseRole, BucketARN: `arn:aws:s3:::${d.bucket}`, Prefix: d.prefix, BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 5 }, CompressionFormat: 'UNCOMPRESSED' },
                  Tags: tagList,
                }),
              )
            ).DeliveryStreamARN!;
            made(`delivery stream ${d.name}`);
          }
          refs[`delivery-stream-arn:${d.name}`] = streamArn;
        }),
      ),
    );
  }

  // ── CloudWatch Logs subscription filters (the log group is created when missing) ──
  if (r.subscriptions.length) {
    const logsRole = await role(roleName('logs'), 'logs.amazonaws.com', ['kinesis:PutRecord', 'kinesis:PutRecords', 'firehose:PutRecord', 'firehose:PutRecordBatch']);
    for (const s of r.subscriptions) {
      await step(`subscription of ${s.logGroup} to ${s.destination.type}:${s.destination.name}`, async () => {
        let found = false;
        for await (const page of paginateDescribeLogGroups({ client: c.logs }, { logGroupNamePrefix: s.logGroup })) if (page.logGroups?.some((g) => g.logGroupName === s.logGroup)) found = true;
        if (!found) {
          await c.logs.send(new CreateLogGroupCommand({ logGroupName: s.logGroup, tags }));
          made(`log group ${s.logGroup}`);
        }
        const destinationArn = refs[`${s.destination.type === 'kinesis' ? 'stream-arn' : 'delivery-stream-arn'}:${s.destination.name}`]!;
        const filterName = s.name ?? `firedrill-${s.destination.name}`;
        let present = false;
        for await (const page of paginateDescribeSubscriptionFilters({ client: c.logs }, { logGroupName: s.logGroup })) {
          if (page.subscriptionFilters?.some((f) => f.filterName === filterName && f.destinationArn === destinationArn && (f.filterPattern ?? '') === s.filterPattern)) present = true;
        }
        if (present) return;
        await c.logs.send(new PutSubscriptionFilterCommand({ logGroupName: s.logGroup, filterName, filterPattern: s.filterPattern, destinationArn, roleArn: logsRole }));
        made(`subscription filter ${filterName} on ${s.logGroup}`);
      });
    }
  }

  // ── S3 ObjectCreated notifications to SQS, one configuration per bucket (the bucket's other ones kept) ──
  const byBucket = new Map<string, ResourcesSpec['notifications']>();
  for (const n of r.notifications) byBucket.set(n.bucket, [...(byBucket.get(n.bucket) ?? []), n]);
  await Promise.all([...byBucket].map(([bucket, notes]) =>
    step(`ObjectCreated notifications of ${bucket}`, async () => {
      const current = await c.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
      const queues: QueueConfiguration[] = [...(current.QueueConfigurations ?? [])];
      let changed = false;
      for (const n of notes) {
        const queueArn = refs[`queue-arn:${n.queue}`]!;
        const rules = [...(n.prefix ? [{ Name: 'prefix' as const, Value: n.prefix }] : []), ...(n.suffix !== undefined ? [{ Name: 'suffix' as const, Value: n.suffix }] : [])];
        const same = (q: QueueConfiguration) => q.QueueArn === queueArn && ((q.Filter?.Key?.FilterRules ?? []).find((x) => x.Name?.toLowerCase() === 'prefix')?.Value ?? '') === n.prefix;
        if (queues.some(same)) continue;
        // No filter at all for a whole bucket: an empty prefix rule is not one (moto fails on it).
        queues.push({ Id: `firedrill-${n.queue}-${n.prefix || 'all'}`.replace(/[^\w-]/g, '-'), QueueArn: queueArn, Events: ['s3:ObjectCreated:*'], ...(rules.length ? { Filter: { Key: { FilterRules: rules } } } : {}) });
        changed = true;
      }
      if (!changed) return;
      const { $metadata: _m, ...config } = current;
      await c.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: { ...config, QueueConfigurations: queues } }));
      made(`notifications of ${bucket}`);
    }),
  ));

  return { refs, account, region, created };
}

/**
 * A queue attribute as comparable text: policies come back from the target re-serialised (key order, numbers as
 * strings), so JSON is compared parsed, with sorted keys and every scalar as a string.
 */
function canonical(value: string | undefined): string {
  if (value === undefined) return '';
  const norm = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(norm) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, norm(x)])) : String(v);
  try {
    return JSON.stringify(norm(JSON.parse(value)));
  } catch {
    return value;
  }
}
