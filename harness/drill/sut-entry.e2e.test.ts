import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { ListTablesCommand, paginateScan } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../../test/support/emulator-endpoint.ts';
import { createAwsClients } from '../../core/aws/index.ts';
import { defaultTopology } from '../../core/topology/index.ts';
import { resetEmulatorAt } from '../../emulator/index.ts';
import { listCatalog } from '../../scenarios/index.ts';
import { runDrill } from './run-drill.ts';

/**
 * Two ways a SUT is reached that the examples do not cover: through a Kinesis entry point (firedrill puts the
 * logs on the SUT's stream as a CloudWatch Logs subscription would), and deployed (the SUT runs outside firedrill,
 * here a separate Node process standing in for Lambdas deployed elsewhere; firedrill creates and runs nothing).
 */
const endpoint = emulatorEndpoint();
const drill = (id: string) => listCatalog().find((c) => c.id === id)!.file;
const testdata = (path: string) => fileURLToPath(new URL(`./testdata/${path}`, import.meta.url));
const clients = createAwsClients({ endpoint, region: 'us-east-1' });
let outside: ChildProcess | undefined;

afterAll(() => {
  outside?.kill();
  clients.destroy();
});

describe('a SUT reached through a Kinesis entry point', () => {
  it('gets every VPC flow event exactly once, in subscription envelopes of the estate group, through its kinesis-triggered handler', async () => {
    const { card } = await runDrill(drill('vpc-port-scan'), { endpoint, sut: testdata('kinesis-sut/firedrill.sut.yaml'), stage: 'detect' });
    expect(card.ledger).toMatchObject({ balanced: true });
    const accepted = card.ledger!.totals.accepted!;
    expect(accepted).toBe(card.ledger!.totals.generated);
    expect(accepted).toBeGreaterThan(5_000);

    const items: { pk: string; seen: number; logGroup: string; ids: string[] }[] = [];
    for await (const page of paginateScan({ client: clients.dynamodb }, { TableName: 'flow-records-seen' })) {
      for (const i of page.Items ?? []) items.push({ pk: i.pk!.S!, seen: Number(i.seen!.N), logGroup: i.logGroup!.S!, ids: i.ids!.S!.split(',') });
    }
    // Every record handed to the handler once, each naming the estate's flow log group; together they carry each
    // accepted event once.
    expect(items.length).toBeGreaterThan(1);
    expect(items.filter((i) => i.seen !== 1)).toEqual([]);
    expect(new Set(items.map((i) => i.logGroup))).toEqual(new Set(defaultTopology().pipeline.logGroups.filter((g) => g.source === 'vpcflow').map((g) => g.name)));
    const ids = items.flatMap((i) => i.ids);
    expect(ids).toHaveLength(accepted);
    expect(new Set(ids).size).toBe(accepted);
  }, 180_000);
});

describe('a deployed SUT', () => {
  it('runs outside firedrill: firedrill creates nothing for it, runs none of its code, delivers to its own log group and scores its alerts', async () => {
    // The SUT's target is not wiped by a deployed drill (it lives there): start from a clean emulator here, then
    // deploy the outside pipeline on it, as a team would have before running firedrill.
    await resetEmulatorAt(endpoint);
    outside = spawn(process.execPath, [testdata('outside-sut/pipeline.mjs')], {
      env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    outside.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    while (!out.includes('ready')) await Promise.race([once(outside.stdout!, 'data'), once(outside, 'exit').then(() => Promise.reject(new Error(`the outside pipeline exited: ${out}`)))]);

    const { card, plan } = await runDrill(drill('ec2-ssh-bruteforce'), { endpoint, sut: testdata('outside-sut/firedrill.sut.yaml'), stage: 'detect' });
    const brute = plan.incidents.find((i) => i.kind === 'ec2-ssh-bruteforce')!;
    expect(card.incidents.map((i) => [i.id, i.detected])).toEqual([[brute.id, true]]);
    const hit = card.findings.find((f) => f.detects.includes(brute.id))!;
    expect(hit.raw).toMatchObject({ pk: `alert#${brute.entities.ip}`, reason: 'ssh password failures' });
    expect(card.incidents[0]!.timeToDetectSeconds).toBeLessThanOrEqual(120);
    expect(card.incidents[0]!.wallTimeToDetectSeconds).toBeGreaterThan(0);
    // Delivered into the SUT's own group: every auth-log line accepted (none refused as an unknown destination).
    expect(card.ledger).toMatchObject({ balanced: true });
    expect(card.ledger!.totals.accepted).toBe(card.ledger!.totals.generated);

    // Nothing of the SUT's making but its own table; no queue, stream, topic or state machine of firedrill's
    // (the estate aside), and none of its taps' resources left behind.
    expect((await clients.dynamodb.send(new ListTablesCommand({}))).TableNames).toEqual(['outside-alerts']);
    expect((await clients.sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual([]);
    expect((await clients.kinesis.send(new ListStreamsCommand({}))).StreamNames ?? []).toEqual([]);
    expect((await clients.sns.send(new ListTopicsCommand({}))).Topics ?? []).toEqual([]);
    expect((await clients.sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? []).toEqual([]);
  }, 180_000);
});
