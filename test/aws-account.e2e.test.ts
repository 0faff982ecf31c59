import { spawn } from 'node:child_process';
import { CreateBucketCommand, HeadBucketCommand, ListBucketsCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetUserCommand } from '@aws-sdk/client-iam';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { createAwsClients } from '../core/aws/index.ts';
import { defaultTopology, topologyInventory } from '../core/topology/index.ts';
import { REPO_ROOT } from '../emulator/index.ts';
import { findManaged } from '../harness/aws-account/index.ts';
import { resetEmulatorAt } from '../emulator/index.ts';
import { bootstrapWithBuiltin } from '../harness/sut/index.ts';
import { deployPlaybooks } from '../pipeline/remediate/index.ts';

const prefix = `fd-down-${Math.random().toString(36).slice(2, 7)}`;

/** The real CLI in a child process (FIREDRILL_PREFIX names this test's resources): exit code and output. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/firedrill.js', ...args], { cwd: REPO_ROOT, env: { ...process.env, FIREDRILL_ENDPOINT: '', AWS_ENDPOINT_URL: '', FIREDRILL_PREFIX: prefix } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * `--target aws` rehearsed on the shared moto (an --endpoint stands in for the account): plan lists, the run refuses
 * without --yes and creates with it, down lists everything tagged with the prefix and then removes exactly that —
 * an untagged bucket, an untagged queue and a bucket tagged for another prefix survive.
 */
const endpoint = emulatorEndpoint();
const topology = defaultTopology({ prefix });
const clients = createAwsClients({ endpoint });
afterAll(() => clients.destroy());
// A fresh account: the estate's IAM user names (alice, bob, …) carry no prefix, so a user left by an earlier file's
// drill keeps that drill's firedrill:prefix tag and would not be this prefix's to list or remove.
beforeAll(() => resetEmulatorAt(endpoint));

describe('plan, --yes and down against an account (moto standing in)', () => {
  it('plan lists every resource --target aws creates, with a cost note for each billable one', async () => {
    const r = await cli(['plan', '--prefix', prefix, '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { resources: { kind: string; name: string; billing: string; note: string; createdBy: string }[]; hourlyUsd: number };
    for (const item of topologyInventory(topology)) expect(plan.resources.some((x) => x.kind === item.kind && x.name === item.name), `${item.kind} ${item.name}`).toBe(true);
    const hourly = plan.resources.filter((x) => x.billing === 'while-it-exists');
    expect(hourly.map((x) => x.kind).sort()).toEqual(['ec2-instance', 'ec2-instance', 'ec2-instance', 'ecs-service', 'rds-instance', 'wafv2-web-acl']);
    expect(hourly.every((x) => /\$\d/.test(x.note))).toBe(true);
    expect(plan.resources.filter((x) => x.billing === 'by-use').every((x) => /\$\d/.test(x.note))).toBe(true);
    expect(plan.hourlyUsd).toBeGreaterThan(0.05);
    expect(plan.resources.filter((x) => x.createdBy === 'playbooks')).toHaveLength(topology.compute.playbooks.length);
  });

  it('refuses --target aws without --yes (exit 2, naming what would be billed) and creates everything with it', async () => {
    const refused = await cli(['up', '--target', 'aws', '--endpoint', endpoint]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/creates billable resources/);
    expect(refused.stderr).toMatch(/3 ec2-instances.*rds-instance/);
    expect(refused.stderr).toMatch(/--yes/);
    expect((await findManaged(clients, prefix)).length).toBe(0);

    const up = await cli(['up', '--target', 'aws', '--endpoint', endpoint, '--yes', '--json']);
    expect(up.code, up.stderr).toBe(0);
    // Nothing else of ours or anyone's: these must survive `down`.
    await clients.s3.send(new CreateBucketCommand({ Bucket: `${prefix}-untagged` }));
    await clients.s3.send(new CreateBucketCommand({ Bucket: `${prefix}-other-run` }));
    await clients.s3.send(new PutBucketTaggingCommand({ Bucket: `${prefix}-other-run`, Tagging: { TagSet: [{ Key: 'firedrill:managed', Value: 'true' }, { Key: 'firedrill:prefix', Value: `${prefix}-x` }] } }));
    await clients.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-untagged` }));
  }, 240_000);

  it('down lists everything tagged with the prefix (a dry run), then removes it all and nothing else', async () => {
    // The playbooks, as `run` deploys them, so state machines are among what is removed (bootstrap only reads the ids).
    await deployPlaybooks(clients, topology, await bootstrapWithBuiltin(clients, topology));
    const before = await findManaged(clients, prefix);
    for (const kind of ['s3-bucket', 'sqs-queue', 'ec2-instance', 'rds-instance', 'rds-parameter-group', 'wafv2-ip-set', 'wafv2-web-acl', 'network-acl', 'iam-user', 'iam-role', 'state-machine', 'log-group', 'firehose-stream', 'ecs-service', 'vpc'] as const) {
      expect(before.some((r) => r.type === kind), kind).toBe(true);
    }
    expect(before.filter((r) => r.type === 'unknown')).toEqual([]);
    expect(before.some((r) => r.arn.includes('untagged') || r.arn.includes('other-run'))).toBe(false);

    const dry = await cli(['down', '--prefix', prefix, '--endpoint', endpoint]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/dry run: nothing deleted/);
    expect(dry.stdout).toContain(`arn:aws:s3:::${topology.pipeline.rawBucket}`);
    expect((await findManaged(clients, prefix)).length).toBe(before.length);

    const down = await cli(['down', '--prefix', prefix, '--endpoint', endpoint, '--yes', '--json']);
    const result = JSON.parse(down.stdout) as { outcomes: { deleted: boolean; error?: string; resource: { arn: string } }[] };
    expect(result.outcomes.filter((o) => !o.deleted)).toEqual([]);
    expect(down.code).toBe(0);
    expect(result.outcomes).toHaveLength(before.length);

    // Everything tagged is gone, read back through the API …
    expect(await findManaged(clients, prefix)).toEqual([]);
    const buckets = (await clients.s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    expect(buckets.filter((b) => b?.startsWith(`${prefix}-`)).sort()).toEqual([`${prefix}-other-run`, `${prefix}-untagged`]);
    const running = (await clients.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:firedrill:prefix', Values: [prefix] }, { Name: 'instance-state-name', Values: ['pending', 'running', 'stopped'] }] }))).Reservations ?? [];
    expect(running.flatMap((r) => r.Instances ?? [])).toEqual([]);
    await expect(clients.iam.send(new GetUserCommand({ UserName: topology.estate.iamUsers[0]! }))).rejects.toThrow();
    const machines = (await clients.sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
    expect(machines.filter((m) => m.name?.startsWith(`${prefix}-`))).toEqual([]);
    // … and what was not ours is still there.
    await expect(clients.s3.send(new HeadBucketCommand({ Bucket: `${prefix}-untagged` }))).resolves.toBeDefined();
    await expect(clients.s3.send(new HeadBucketCommand({ Bucket: `${prefix}-other-run` }))).resolves.toBeDefined();
    await expect(clients.sqs.send(new GetQueueUrlCommand({ QueueName: `${prefix}-untagged` }))).resolves.toBeDefined();
  }, 300_000);
});
