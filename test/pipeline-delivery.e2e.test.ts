import { gunzipSync } from 'node:zlib';
import { CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { pollUntil } from '../core/poll-until.ts';
import { defaultTopology, type EstateIds } from '../core/topology/index.ts';
import { rawPrefixes, resetEmulatorAt } from '../emulator/index.ts';
import { bootstrapWithBuiltin } from '../harness/sut/index.ts';
import { createAwsClients, type AwsClients } from '../core/aws/index.ts';

/** What CloudWatch Logs hands a subscription destination (gzip JSON), as AWS documents it. */
interface CwlEnvelope {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  // AWS sends `id` as a 56-digit string; moto 5.2.5 sends a small integer. Consumers must take either.
  logEvents: { id: string | number; timestamp: number; message: string }[];
}

const topology = defaultTopology();
let clients: AwsClients;
let ids: EstateIds;
/** Keys S3 told the raw-events queue about, accumulated across polls (messages are deleted once read). */
const notified = new Set<string>();

beforeAll(async () => {
  const endpoint = emulatorEndpoint();
  await resetEmulatorAt(endpoint);
  clients = createAwsClients({ endpoint, region: topology.region });
  ids = await bootstrapWithBuiltin(clients, topology);
});
afterAll(() => clients?.destroy());

async function listKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: ids.buckets.raw, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

async function getBytes(key: string): Promise<Buffer> {
  const obj = await clients.s3.send(new GetObjectCommand({ Bucket: ids.buckets.raw, Key: key }));
  return Buffer.from(await obj.Body!.transformToByteArray());
}

/** Drains the raw-events queue into `notified` (S3 event records; the s3:TestEvent a new configuration sends is skipped). */
async function drainNotifications(): Promise<void> {
  while (true) {
    const r = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: ids.queues.rawEvents, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    const msgs = r.Messages ?? [];
    if (msgs.length === 0) return;
    for (const m of msgs) {
      const body = JSON.parse(m.Body!) as { Event?: string; Records?: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[] };
      for (const rec of body.Records ?? []) {
        expect(rec.eventName).toMatch(/^ObjectCreated:/);
        expect(rec.s3.bucket.name).toBe(ids.buckets.raw);
        notified.add(decodeURIComponent(rec.s3.object.key.replace(/\+/g, ' ')));
      }
    }
    await clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: ids.queues.rawEvents, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

describe('CloudWatch Logs → subscription filter → Firehose → S3 raw → SQS', () => {
  it('lands one gzip DATA_MESSAGE envelope per PutLogEvents for every source log group, each announced on the raw-events queue', async () => {
    const now = Date.now();
    const sent = new Map<string, string[]>();
    for (const [i, g] of topology.pipeline.logGroups.entries()) {
      const stream = `drill-${i}`;
      const messages = [`${g.source} line one for ${g.name}`, `${g.source} line two for ${g.name}`];
      await clients.logs.send(new CreateLogStreamCommand({ logGroupName: g.name, logStreamName: stream }));
      await clients.logs.send(new PutLogEventsCommand({ logGroupName: g.name, logStreamName: stream, logEvents: messages.map((message, j) => ({ timestamp: now - 1000 + j, message })) }));
      sent.set(g.name, messages);
    }
    const prefix = rawPrefixes(topology).cwl;
    const envelopes = await pollUntil(
      async () => {
        const keys = await listKeys(prefix);
        if (keys.length < sent.size) return undefined;
        return Promise.all(keys.map(async (key) => ({ key, env: JSON.parse(gunzipSync(await getBytes(key)).toString('utf8')) as CwlEnvelope })));
      },
      { timeoutMs: 30_000, what: `${sent.size} CloudWatch Logs envelopes under s3://${ids.buckets.raw}/${prefix}` },
    );
    expect(envelopes).toHaveLength(sent.size);
    for (const { key, env } of envelopes) {
      expect(key.startsWith(prefix)).toBe(true);
      expect(env.messageType).toBe('DATA_MESSAGE');
      expect(env.owner).toBe(ids.accountId);
      expect(env.subscriptionFilters).toEqual([topology.pipeline.subscriptionFilterName]);
      expect(env.logEvents.map((e) => e.message)).toEqual(sent.get(env.logGroup));
      expect(env.logEvents.map((e) => e.timestamp)).toEqual([now - 1000, now - 999]);
      expect(env.logEvents.every((e) => String(e.id).length > 0)).toBe(true);
    }
    expect(new Set(envelopes.map((e) => e.env.logGroup))).toEqual(new Set(sent.keys()));

    await pollUntil(
      async () => {
        await drainNotifications();
        return envelopes.every((e) => notified.has(e.key));
      },
      { timeoutMs: 30_000, what: 'an ObjectCreated notification on the raw-events queue for every envelope object' },
    );
  });

  it('lands a PutRecordBatch to the WAF stream as one object under the WAF prefix, records concatenated as sent', async () => {
    const lines = [1, 2, 3].map((n) => `${JSON.stringify({ timestamp: Date.now(), formatVersion: 1, webaclId: ids.waf.webAclArn, action: 'ALLOW', httpRequest: { clientIp: `198.51.100.${n}`, uri: '/' } })}\n`);
    const r = await clients.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: ids.deliveryStreams.waf, Records: lines.map((l) => ({ Data: Buffer.from(l) })) }));
    expect(r.FailedPutCount).toBe(0);
    const prefix = rawPrefixes(topology).waf;
    const keys = await pollUntil(async () => {
      const k = await listKeys(prefix);
      return k.length > 0 && k;
    }, { timeoutMs: 30_000, what: `an object under s3://${ids.buckets.raw}/${prefix}` });
    expect(keys).toHaveLength(1);
    expect((await getBytes(keys[0]!)).toString('utf8')).toBe(lines.join(''));
    await pollUntil(
      async () => {
        await drainNotifications();
        return notified.has(keys[0]!);
      },
      { timeoutMs: 30_000, what: 'an ObjectCreated notification for the WAF object' },
    );
  });
});
