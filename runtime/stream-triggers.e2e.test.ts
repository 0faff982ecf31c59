import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateStreamCommand, PutRecordCommand, PutRecordsCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../test/support/emulator-endpoint.ts';
import { createAwsClients, type AwsClients } from '../core/aws/index.ts';
import { startRuntime, type InvocationRecord } from './index.ts';
import { createTable, ensureTestVenv, items, nodeRecorder, pythonRecorder, unique } from './testdata/e2e-support.ts';

/** The Kinesis and CloudWatch Logs subscription triggers, each with a real Node handler and a real Python one. */
describe('runtime: Kinesis and CloudWatch Logs triggers', () => {
  let clients: AwsClients;
  let table: string;
  beforeAll(async () => {
    clients = createAwsClients({ endpoint: emulatorEndpoint() });
    table = await createTable(clients, unique('rt-streams'));
    await ensureTestVenv();
  }, 300_000);
  afterAll(() => clients?.destroy());

  const createStream = async (shards: number) => {
    const name = unique('rt-stream');
    await clients.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    await waitUntilStreamExists({ client: clients.kinesis, maxWaitTime: 30 }, { StreamName: name });
    return name;
  };

  it('Kinesis: every record of every shard, base64 data decoded by the handler, a failed batch retried; TRIM_HORIZON and LATEST', async () => {
    const stream = await createStream(2);
    await clients.kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p0', Data: Buffer.from('before-start') }));
    const records: InvocationRecord[] = [];
    await using runtime = await startRuntime({
      clients,
      sut: 'runtime-e2e',
      onInvocation: (r) => records.push(r),
      handlers: [
        pythonRecorder('py-kin', table, { type: 'kinesis', streamName: stream, batchSize: 3, startingPosition: 'TRIM_HORIZON' }),
        nodeRecorder('node-kin', table, { type: 'kinesis', streamName: stream, batchSize: 10 }),
      ],
    });
    const texts = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7-once'];
    await clients.kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: texts.map((t, i) => ({ PartitionKey: `p${i}`, Data: Buffer.from(t) })) }));
    await runtime.idle({ timeoutMs: 60_000 });

    const got = await items(clients, table);
    for (const t of texts) {
      expect(got.get(`py-kin#${t}`), t).toMatchObject({ source: expect.stringMatching(new RegExp(`^kinesis:arn:aws:kinesis:${clients.target.region}:\\d{12}:stream/${stream}$`)) });
      expect(got.has(`node-kin#${t}`), t).toBe(true);
    }
    // The record put before the runtime started: read from TRIM_HORIZON, not from LATEST (Lambda's default).
    expect(got.has('py-kin#before-start')).toBe(true);
    expect(got.has('node-kin#before-start')).toBe(false);
    for (const h of ['py-kin', 'node-kin']) {
      const s = runtime.stats().find((x) => x.handler === h)!;
      // k7-once threw the first time: its whole batch was retried, and succeeded.
      expect(s.errors, h).toBe(1);
      expect(s.failed, h).toBeGreaterThanOrEqual(1);
      expect(s.succeeded, h).toBe(h === 'py-kin' ? 8 : 7);
      expect(s.dropped, h).toBe(0);
      expect(got.get(`${h}#k7-once`)?.seenTimes).toBe(2);
    }
    expect(records.filter((r) => r.handler === 'py-kin').every((r) => r.records <= 3)).toBe(true);
  });

  it('Kinesis: BisectBatchOnFunctionError isolates the record that always fails, MaximumRetryAttempts 0 drops it', async () => {
    const stream = await createStream(1);
    await clients.kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: ['b1', 'b2', 'b3-throw', 'b4'].map((t) => ({ PartitionKey: 'one', Data: Buffer.from(t) })) }));
    await using runtime = await startRuntime({
      clients,
      sut: 'runtime-e2e',
      handlers: [nodeRecorder('node-bisect', table, { type: 'kinesis', streamName: stream, startingPosition: 'TRIM_HORIZON', bisectOnError: true, maxRetryAttempts: 0 })],
    });
    await runtime.idle({ timeoutMs: 60_000 });
    const got = await items(clients, table);
    for (const t of ['b1', 'b2', 'b4']) expect(got.has(`node-bisect#${t}`), t).toBe(true);
    // [b1 b2 b3 b4] fails → [b1 b2] ok, [b3 b4] fails → [b3] fails and is dropped, [b4] ok.
    expect(runtime.stats()[0]).toMatchObject({ invocations: 5, errors: 3, succeeded: 3, dropped: 1 });
  });

  it('Logs subscription: one invocation per arrival per stream, awslogs.data decoded by the handler, the filter pattern applied', async () => {
    const group = `/rt/${unique('app')}`;
    await clients.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    for (const s of ['s1', 's2']) await clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: s }));
    const records: InvocationRecord[] = [];
    await using runtime = await startRuntime({
      clients,
      sut: 'runtime-e2e',
      onInvocation: (r) => records.push(r),
      handlers: [
        pythonRecorder('py-logs', table, { type: 'logs', logGroupName: group }),
        nodeRecorder('node-logs', table, { type: 'logs', logGroupName: group, filterPattern: 'ERROR', filterName: 'errors-only' }),
      ],
    });
    const t = Date.now() - 60_000;
    const put = (stream: string, messages: string[]) =>
      clients.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: messages.map((message, i) => ({ timestamp: t + i, message })) }));
    await put('s1', ['INFO m1 started', 'ERROR m2 connection refused']);
    await put('s2', ['INFO m3 healthy']);
    await runtime.idle({ timeoutMs: 60_000 });
    // Stamped no later than what s1 already delivered (out of order, within the runtime's lookback): still delivered.
    await put('s1', ['ERROR m4 timeout', 'WARN m5 slow']);
    await runtime.idle({ timeoutMs: 60_000 });

    const got = await items(clients, table);
    const account = String(got.get('py-logs#INFO m1 started')?.source).split(':')[3];
    expect(account).toMatch(/^\d{12}$/);
    expect(got.get('py-logs#INFO m1 started')?.source).toBe(`logs:${group}:s1:${account}:py-logs-subscription`);
    expect(got.get('py-logs#INFO m3 healthy')?.source).toBe(`logs:${group}:s2:${account}:py-logs-subscription`);
    for (const m of ['ERROR m2 connection refused', 'ERROR m4 timeout', 'WARN m5 slow']) expect(got.has(`py-logs#${m}`), m).toBe(true);
    // The subscription's filter: only the ERROR lines, under the filter's name.
    const node = [...got.keys()].filter((k) => k.startsWith('node-logs#')).sort();
    expect(node).toEqual(['node-logs#ERROR m2 connection refused', 'node-logs#ERROR m4 timeout']);
    expect(got.get('node-logs#ERROR m4 timeout')?.source).toBe(`logs:${group}:s1:${account}:errors-only`);
    // As a subscription delivers: one envelope per stream per PutLogEvents, each event once.
    expect(records.filter((r) => r.handler === 'py-logs').map((r) => r.records)).toEqual([2, 1, 2]);
    expect(records.filter((r) => r.handler === 'node-logs').map((r) => r.records)).toEqual([1, 1]);
    expect(runtime.stats().find((s) => s.handler === 'py-logs')).toMatchObject({ received: 5, succeeded: 5, errors: 0 });
  });
});
