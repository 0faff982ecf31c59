import zlib from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../../test/support/emulator-endpoint.ts';
import { defaultTopology } from '../../core/topology/default-topology.ts';
import type { NormalizedRecord } from '../../formats/types.ts';
import { createAwsClients } from '../../core/aws/create-aws-clients.ts';
import { background } from '../detect/test-background.ts';
import { sshd } from '../detect/test-records.ts';
import { createDetectorHandler } from './detector-handler.ts';
import { findingFromItem } from '../store/index.ts';

// On the hour: the background's hourly refused connection falls in the warm-up, where the detector learns it as this
// estate's habit (after the warm-up, a first-ever line of a failure class is an incident by design).
const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const W = 60_000;
const ATTACKER = '185.220.101.45';

async function env(endpoint: string) {
  const clients = createAwsClients({ endpoint });
  const topology = defaultTopology({ prefix: `fd-det-${Math.random().toString(36).slice(2, 8)}` });
  const p = topology.pipeline;
  await clients.s3.send(new CreateBucketCommand({ Bucket: p.curatedBucket }));
  await clients.s3.send(new CreateBucketCommand({ Bucket: p.stateBucket }));
  await clients.dynamodb.send(new CreateTableCommand({
    TableName: p.findingsTable, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }));
  const topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: p.alertsTopic }))).TopicArn!;
  const queueUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: p.alertsQueue }))).QueueUrl!;
  const queueArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  return { clients, topology, topicArn, queueUrl };
}

/** Writes records the way the normalizer does: gzip NDJSON under curated/source=/dt=/hour=/. */
async function putCurated(e: Awaited<ReturnType<typeof env>>, records: NormalizedRecord[], name: string) {
  const bySource = new Map<string, NormalizedRecord[]>();
  for (const r of records) {
    const d = new Date(r.time);
    const key = `${e.topology.pipeline.curatedPrefix}source=${r.source}/dt=${d.toISOString().slice(0, 10)}/hour=${String(d.getUTCHours()).padStart(2, '0')}/${name}.ndjson.gz`;
    (bySource.get(key) ?? bySource.set(key, []).get(key)!).push(r);
  }
  for (const [key, rs] of bySource) {
    await e.clients.s3.send(new PutObjectCommand({ Bucket: e.topology.pipeline.curatedBucket, Key: key, Body: zlib.gzipSync(rs.map((r) => JSON.stringify(r)).join('\n') + '\n') }));
  }
}

async function drain(e: Awaited<ReturnType<typeof env>>): Promise<unknown[]> {
  const out: unknown[] = [];
  for (;;) {
    const r = await e.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: e.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!r.Messages?.length) return out;
    for (const m of r.Messages) {
      out.push(JSON.parse(JSON.parse(m.Body!).Message));
      await e.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: e.queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}

describe('detector handler on the emulator', () => {
  it('reads curated partitions, keeps state in S3, upserts findings and publishes one message per new finding', async () => {
    const e = await env(emulatorEndpoint());
    try {
      const handler = createDetectorHandler({ s3: e.clients.s3, doc: e.clients.doc, sns: e.clients.sns, topology: e.topology, alertsTopicArn: e.topicArn, config: { latenessMs: 30_000 } });
      const windows = 16;
      const attack = (w: number, start: number) => (w >= 10 && w < 14 ? Array.from({ length: 30 }, (_, i) => sshd(start + i * 1900, { kind: 'ssh-failed', rhost: ATTACKER, user: `u${i}` })) : []);
      // Data crosses an hour boundary (09:50 → 10:06) so two partitions per source are read.
      for (let w = 0; w < windows; w++) await putCurated(e, [...background(21, T0 + w * W), ...attack(w, T0 + w * W)], `w${w}`);

      // First tick on a fresh state: only the last due window (before the data) — empty, it does not count.
      const first = await handler({ now: T0 + W + 29_999 });
      expect(first.windows).toEqual([{ start: T0 - W, end: T0 }]);
      expect(first.records).toBe(0);
      // Not yet due: the first data window ends at T0 + W and needs 30 s of lateness.
      expect((await handler({ now: T0 + W + 29_999 })).windows).toEqual([]);

      const runs = [];
      for (let w = 1; w <= windows; w++) runs.push(await handler({ now: T0 + w * W + 30_000 }));
      expect(runs.flatMap((r) => r.windows)).toHaveLength(windows);
      expect(runs.reduce((a, r) => a + r.records, 0)).toBeGreaterThan(windows * 500);

      // State persisted and advanced.
      const st = await e.clients.s3.send(new GetObjectCommand({ Bucket: e.topology.pipeline.stateBucket, Key: 'detector/state.json.gz' }));
      const state = JSON.parse(zlib.gunzipSync(Buffer.from(await st.Body!.transformToByteArray())).toString('utf8'));
      expect(state.lastWindowEnd).toBe(T0 + windows * W);
      expect(state.windowsSeen).toBe(windows);

      // One finding, stored once, updated while the attack lasted; one SNS message for its creation.
      const items = (await e.clients.doc.send(new ScanCommand({ TableName: e.topology.pipeline.findingsTable }))).Items ?? [];
      const findings = items.map(findingFromItem);
      expect(findings.map((f) => f.kind)).toEqual(['ec2-ssh-bruteforce']);
      expect(findings[0]!.entities.ip).toBe(ATTACKER);
      expect(findings[0]!.evidence.features.windows).toBe(4);
      expect(findings[0]!.detectedAt).toBe(T0 + 11 * W);
      const messages = await drain(e);
      expect(messages).toHaveLength(1);
      expect((messages[0] as { findingId: string }).findingId).toBe(findings[0]!.findingId);
      // The (default, offline) analyzer's reading travels with the finding: in the table and in the alert.
      expect(findings[0]!.analysis).toMatchObject({ provider: 'offline', category: 'brute-force', rootEntity: ATTACKER });
      expect((messages[0] as { analysis?: { category: string } }).analysis?.category).toBe('brute-force');

      // A retried tick (same event time) changes nothing and publishes nothing.
      const again = await handler({ now: T0 + windows * W + 30_000 });
      expect(again.windows).toEqual([]);
      expect(await drain(e)).toEqual([]);

      // A fresh handler instance (cold start) continues from the stored state.
      const cold = createDetectorHandler({ s3: e.clients.s3, doc: e.clients.doc, sns: e.clients.sns, topology: e.topology, alertsTopicArn: e.topicArn, config: { latenessMs: 30_000 } });
      const next = await cold({ now: T0 + (windows + 1) * W + 30_000 });
      expect(next.windows).toEqual([{ start: T0 + windows * W, end: T0 + (windows + 1) * W }]);
    } finally {
      e.clients.destroy();
    }
  });
});
