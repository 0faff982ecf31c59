import zlib from 'node:zlib';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { formats } from '../formats/registry.ts';
import { runIngest } from '../harness/deliver/index.ts';
import { readCurated, readQuarantine } from '../pipeline/store/index.ts';
import { pipelineEnv } from './support/pipeline-env.ts';

const envelope = (logGroup: string, n: number) =>
  JSON.stringify({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup,
    logStream: 'i-0123456789abcdef0',
    subscriptionFilters: ['f'],
    logEvents: Array.from({ length: n }, (_, i) => ({ id: `${i}`.padStart(56, '0'), timestamp: Date.now(), message: `line ${i}` })),
  });

describe('hostile input ends in quarantine with a reason — never a crash, never a lost batch', () => {
  it('truncated gzip, invalid JSON, invalid UTF-8, a 2 MB line, an unknown log group and random bytes', async () => {
    await using env = await pipelineEnv(emulatorEndpoint());
    const { rawBucket, rawPrefix } = env.topology.pipeline;
    const random = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 4_000 }), { seed: 42, numRuns: 8 });
    const objects: [string, Uint8Array, string][] = [
      ['truncated.gz', zlib.gzipSync(envelope('/aws/lambda/x', 50)).subarray(0, 60), 'truncated-gzip'],
      ['invalid.json', Buffer.from('{"messageType": DATA_MESSAGE, nope}\n'), 'invalid-json'],
      ['invalid-utf8.json', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d, 0x0a]), 'invalid-utf8'],
      ['big-line.json', Buffer.from(`{"x":"${'a'.repeat(2 * 1024 * 1024)}"}\n`), 'line-too-large'],
      ['unknown-group.gz', zlib.gzipSync(envelope('/not/declared/anywhere', 3)), 'unknown-log-group'],
      ...random.map((b, i): [string, Uint8Array, string] => [`random-${i}.bin`, b, '']),
    ];
    for (const [name, body] of objects) {
      await env.clients.s3.send(new PutObjectCommand({ Bucket: rawBucket, Key: `${rawPrefix}hostile/${name}`, Body: body }));
    }
    const r = await runIngest({ clients: env.clients, topology: env.topology, estate: env.estate, formats, events: [] });

    // Every message was handled: nothing failed, nothing went to the DLQ.
    expect(r.runtime[0]!.errors).toBe(0);
    expect(r.runtime[0]!.failed).toBe(0);
    const dlq = await env.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: env.estate.queues.rawEventsDlq, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(Number(dlq.Attributes?.ApproximateNumberOfMessages)).toBe(0);
    expect(r.ledger!.unprocessed).toEqual([]);

    // Nothing hostile became a curated record; every landed piece is in quarantine with a reason.
    expect(await readCurated(env.clients.s3, env.topology)).toEqual([]);
    for (const [s, l] of Object.entries(r.ledger!.sources)) {
      expect(l!.normalized, s).toBe(0);
      expect(Object.values(l!.quarantined).reduce((a, b) => a + b, 0), s).toBe(l!.landed);
    }
    const quarantine = await readQuarantine(env.clients.s3, env.topology);
    for (const [name, , code] of objects) {
      const mine = quarantine.filter((q) => q.rawKey === `${rawPrefix}hostile/${name}`);
      expect(mine.length, name).toBeGreaterThan(0);
      expect(mine.every((q) => q.reason.length > 0), name).toBe(true);
      if (code) expect(mine.map((q) => q.code), name).toContain(code);
    }
    expect(quarantine.find((q) => q.code === 'unknown-log-group')!.events).toBe(3);
  });

  it('a text line of an unknown shape is curated as a generic record of its source; a binary one is quarantined', async () => {
    await using env = await pipelineEnv(emulatorEndpoint());
    const { rawBucket, rawPrefix, logGroups } = env.topology.pipeline;
    const rdsGroup = logGroups.find((g) => g.source === 'rds')!.name;
    const now = Date.now();
    // Seed 004's database line is no PostgreSQL log line; the NUL bytes are not text.
    const messages = ['WARN: Maximum connections exceeded for database mydb', 'binary\u0000\u0001\u0002', 'a line with no stamp and no level'];
    const body = zlib.gzipSync(JSON.stringify({
      messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: rdsGroup, logStream: 'mydb', subscriptionFilters: ['f'],
      logEvents: messages.map((message, i) => ({ id: `${i}`.padStart(56, '0'), timestamp: now + i, message })),
    }));
    await env.clients.s3.send(new PutObjectCommand({ Bucket: rawBucket, Key: `${rawPrefix}odd/odd.gz`, Body: body }));
    const r = await runIngest({ clients: env.clients, topology: env.topology, estate: env.estate, formats, events: [] });

    const curated = await readCurated(env.clients.s3, env.topology);
    expect(curated.map((c) => [c.source, c.fields.shape, c.fields.level, c.time])).toEqual([
      ['rds', 'generic', 'WARN', now],
      ['rds', 'generic', null, now + 2],
    ]);
    const quarantine = await readQuarantine(env.clients.s3, env.topology);
    expect(quarantine.map((q) => [q.code, q.source])).toEqual([['not-text', 'rds']]);
    const l = r.ledger!.sources.rds!;
    expect([l.landed, l.normalized, Object.values(l.quarantined).reduce((a, b) => a + b, 0)]).toEqual([3, 2, 1]);
  });

  it('a message that is not an S3 notification is quarantined and acknowledged', async () => {
    await using env = await pipelineEnv(emulatorEndpoint());
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await env.clients.sqs.send(new SendMessageCommand({ QueueUrl: env.estate.queues.rawEvents, MessageBody: 'definitely not json' }));
    const r = await runIngest({ clients: env.clients, topology: env.topology, estate: env.estate, formats, events: [] });
    expect(r.runtime[0]!.failed).toBe(0);
    expect(r.ledger!.notificationsQuarantined).toBe(1);
  });
});
