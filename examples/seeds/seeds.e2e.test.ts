import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../../test/support/emulator-endpoint.ts';
import type { AwsClients } from '../../core/aws/index.ts';
import { namesEntities, namesRoot } from '../../harness/match/index.ts';
import { seedSutFile, startSeed } from '../../test/support/run-seed-sut.ts';

/**
 * The four seed systems as SUTs, each through the contract: its resources and setup hook on moto, its real
 * Python handlers (their own venvs, boto3 against the emulator) in the local runtime, its findings read through
 * its taps and mapping. Each is fed what its document describes and one thing it was not built for, and the test
 * asserts what its logic can and cannot do.
 */
// CloudWatch Logs keeps events of the last 14 days only: the tests' event time is the last hour, on an hour.
const T0 = Math.floor((Date.now() - 3_600_000) / 3_600_000) * 3_600_000;
const at = (ms: number) => new Date(T0 + ms).toISOString();
const MIN = 60_000;
// First use builds the SUT's venv (scikit-learn for 000 and 002): minutes on a cold machine, once.
const SLOW = 900_000;

async function putLines(clients: AwsClients, group: string, stream: string, events: { timestamp: number; message: string }[]): Promise<void> {
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch((e: unknown) => {
    if ((e as Error).name !== 'ResourceAlreadyExistsException') throw e;
  });
  await clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })).catch((e: unknown) => {
    if ((e as Error).name !== 'ResourceAlreadyExistsException') throw e;
  });
  for (let i = 0; i < events.length; i += 1000) await clients.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events.slice(i, i + 1000) }));
}

/** A small seeded generator, so the data of these tests is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const RDS = '/aws/rds/instance/mydb/postgresql';
const APP = '/ecs/my-python-service';
const ECS = '/aws/ecs/containerinsights/my-cluster/performance';

describe('seed-004: string-matching RCA on a schedule', () => {
  it("names RDS as the root cause when its own wording is in all three groups, and nothing when PostgreSQL's real wording is", { timeout: SLOW }, async () => {
    const endpoint = emulatorEndpoint();
    await using sut = await startSeed('seed-004', endpoint, T0);
    const { clients, runtime } = sut;
    // PostgreSQL's own refusal, the app's real psycopg2 error and ECS's real stop reason: the agent's RDS string is not among them.
    await putLines(clients, RDS, 'mydb', [{ timestamp: T0 + MIN, message: `${at(MIN).slice(0, 10)} ${at(MIN).slice(11, 19)} UTC:10.0.11.143(55807):app@orders:[31991]:FATAL:  sorry, too many clients already` }]);
    await putLines(clients, APP, 'ecs/app/1', [{ timestamp: T0 + MIN + 45_000, message: 'psycopg2.OperationalError: connection to server at "mydb.c3644e25ff7c.us-east-1.rds.amazonaws.com" (10.0.11.20), port 5432 failed: FATAL:  sorry, too many clients already' }]);
    await putLines(clients, ECS, 'FargateTelemetry-1', [{ timestamp: T0 + 3 * MIN, message: '{"stoppedReason":"Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-python-service/86430bea89d61087)"}' }]);
    const fired = await runtime.tick(T0 + 10 * MIN);
    expect(fired.map((f) => [new Date(f.timeMs).toISOString(), f.ok])).toEqual([[at(5 * MIN), true], [at(10 * MIN), true]]);
    expect(await sut.settle()).toEqual([]);
    expect(sut.lines.filter((l) => l.stream !== 'platform').map((l) => l.line)).toContain('errors found: rds=no, app=yes, ecs=yes');

    // The document's cascade, in its own words.
    await putLines(clients, RDS, 'mydb', [{ timestamp: T0 + 11 * MIN, message: 'WARN: Maximum connections exceeded for database mydb' }]);
    await putLines(clients, APP, 'ecs/app/1', [{ timestamp: T0 + 11 * MIN + 45_000, message: 'ERROR: psycopg2.OperationalError: could not connect to server' }]);
    await putLines(clients, ECS, 'FargateTelemetry-1', [{ timestamp: T0 + 13 * MIN, message: 'INFO: Task stopped due to failed ELB health check' }]);
    await runtime.tick(T0 + 15 * MIN);
    const seen = await sut.settle();
    expect(seen).toHaveLength(1);
    const rca = seen[0]!;
    expect(rca).toMatchObject({ tap: 'logs:/aws/lambda/log-rca-agent', text: 'RCA: RDS max connections exceeded → app timeouts → ECS restarts', rootCause: ['RCA: RDS max connections exceeded', 'app timeouts', 'ECS restarts'] });
    expect(namesRoot(rca.rootCause![0]!, 'rds:mydb')).toBe(true);
    expect(namesRoot(rca.rootCause![0]!, 'ecs:my-python-service')).toBe(false);
    // It names no host or address: it is about its own groups, so it meets an incident only through the service's name.
    expect(namesEntities({ service: 'my-python-service' }, rca)).toBe(true);
    expect(namesEntities({ ip: '198.51.100.7' }, rca)).toBe(false);
  });
});

function appLine(t: number, level: string, text: string): string {
  const d = new Date(t).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 19)},${d.slice(20, 23)} ${level} [checkout.api] ${text}`;
}

describe('seed-002: Isolation Forest over the severity of an uploaded app log file', () => {
  it('flags the rare WARNING and ERROR lines of a file into LogAnomalies, and nothing in a file where errors are common', { timeout: SLOW }, async () => {
    const endpoint = emulatorEndpoint();
    await using sut = await startSeed('seed-002', endpoint, T0);
    const r = rng(2);
    const quiet: string[] = [];
    for (let i = 0; i < 120; i++) quiet.push(appLine(T0 + i * 1000, 'INFO', `GET /api/cart 200 ${10 + Math.floor(r() * 20)}ms user=u${Math.floor(r() * 30)}`));
    quiet[40] = appLine(T0 + 40_000, 'WARNING', 'POST /api/login 401 12ms user=203.0.113.9');
    quiet[80] = appLine(T0 + 80_000, 'ERROR', 'payment authorization failed for order 481516');
    quiet.splice(81, 0, 'Traceback (most recent call last):', '  File "/app/checkout/pay.py", line 41, in authorize', 'requests.exceptions.ReadTimeout: read timed out');
    quiet.push('{"event": "order_created", "level": "info", "order_id": 481516}');
    await sut.clients.s3.send(new PutObjectCommand({ Bucket: 'ai-log-anomaly-detector', Key: 'raw/app-1.log', Body: quiet.join('\n') }));
    const first = await sut.settle();
    expect(first.map((o) => [o.kind, o.text, new Date(o.claimedTime!).toISOString()]).sort()).toEqual([
      ['ERROR', '[checkout.api] payment authorization failed for order 481516', at(80_000)],
      ['WARNING', '[checkout.api] POST /api/login 401 12ms user=203.0.113.9', at(40_000)],
    ]);
    expect(namesEntities({ ip: '203.0.113.9' }, first.find((o) => o.kind === 'WARNING')!)).toBe(true);

    // An outage: a third of the lines are errors. With contamination 0.2 the forest's cut falls inside them: no line is flagged.
    const outage: string[] = [];
    for (let i = 0; i < 90; i++) outage.push(appLine(T0 + 600_000 + i * 1000, i % 3 === 0 ? 'ERROR' : 'INFO', i % 3 === 0 ? 'database unavailable: too many clients' : 'GET /api/cart 200 12ms user=-'));
    await sut.clients.s3.send(new PutObjectCommand({ Bucket: 'ai-log-anomaly-detector', Key: 'raw/app-2.log', Body: outage.join('\n') }));
    expect(await sut.settle()).toEqual([]);
    expect(sut.lines.map((l) => l.line)).toContain('raw/app-2.log: 90 lines parsed, 0 skipped, 0 anomalies');
  });
});

describe('seed-000: TF-IDF + Isolation Forest over the appended EC2 / VPC lines', () => {
  it('appends the subscribed lines to logs/<source>.log through Kinesis, flags rare vocabulary every run, and starts DetectAnomaly → Remediate', { timeout: SLOW }, async () => {
    const endpoint = emulatorEndpoint();
    await using sut = await startSeed('seed-000', endpoint, T0);
    const { clients, runtime } = sut;
    const r = rng(0);
    const ec2: { timestamp: number; message: string }[] = [];
    for (let i = 0; i < 90; i++) {
      const pid = 1000 + Math.floor(r() * 9000);
      ec2.push({ timestamp: T0 + i * 2000, message: `ip-10-0-1-17 systemd[1]: Started session ${pid} of user ec2-user.` });
    }
    // One line whose words appear nowhere else: the kernel's OOM killer.
    ec2.push({ timestamp: T0 + 200_000, message: 'ip-10-0-1-17 kernel: Out of memory: Killed process 4242 (java) total-vm:8388608kB, anon-rss:7340032kB' });
    ec2.sort((a, b) => a.timestamp - b.timestamp);
    const vpc = Array.from({ length: 30 }, (_, i) => ({ timestamp: T0 + i * 3000, message: `2 123456789012 eni-0a1b2c3d4e5f60718 10.0.1.17 10.0.2.${10 + (i % 5)} 443 ${40000 + i} 6 10 8400 ${Math.floor((T0 + i * 3000) / 1000)} ${Math.floor((T0 + i * 3000) / 1000) + 60} ACCEPT OK` }));
    await putLines(clients, '/aws/ec2/aiops', 'i-0abcdef1234567890', ec2);
    await putLines(clients, '/aws/vpc/flow-logs', 'eni-0a1b2c3d4e5f60718-all', vpc);
    // The same events again (a redelivery): log_appender keeps each line once.
    await putLines(clients, '/aws/ec2/aiops', 'i-0abcdef1234567890', ec2.slice(0, 10));
    await sut.settle();
    const files = Object.fromEntries(
      await Promise.all(['ec2', 'vpc'].map(async (s) => [s, (await (await clients.s3.send(new GetObjectCommand({ Bucket: 'aiops-log-data', Key: `logs/${s}.log` }))).Body!.transformToString()).trim().split('\n')] as const)),
    );
    expect(files.ec2).toHaveLength(91);
    expect(files.vpc).toHaveLength(30);
    expect(files.ec2![0]).toBe(`${at(0)} ip-10-0-1-17 systemd[1]: Started session ${ec2[0]!.message.match(/session (\d+)/)![1]} of user ec2-user.`);

    await runtime.tick(T0 + 5 * MIN);
    const seen = await sut.settle();
    // contamination 0.1: a tenth of the 121 lines of the last 3 hours (the cut at the 10th percentile), the OOM line among them.
    expect(seen.length).toBe(12);
    expect(seen.map((o) => o.text)).toContain('ip-10-0-1-17 kernel: Out of memory: Killed process 4242 (java) total-vm:8388608kB, anon-rss:7340032kB');
    expect(seen.every((o) => o.tap === 's3:aiops-log-data/anomalies/' && o.claimedTime !== undefined)).toBe(true);
    const executions = await clients.sfn.send(new ListExecutionsCommand({ stateMachineArn: sut.prepared.outputs.stateMachineArn }));
    expect(executions.executions?.map((x) => x.status)).toEqual(['SUCCEEDED']);

    // The next run reads the same 3 hours and flags the same lines again, in a new object: the mapped id is the
    // line, so they are the same findings (a scorecard counts each once), not a second set.
    await runtime.tick(T0 + 10 * MIN);
    const again = await sut.settle();
    expect(new Set(again.map((o) => o.id))).toEqual(new Set(seen.map((o) => o.id)));
  });
});

const ACTIONS = ['ALLOW', 'CAPTCHA', 'Challenge', 'Count'];
const SOURCES = ['ALB', 'APIGW', 'APPSYNC', 'CF'];
const COUNTRIES = ['US', 'UK', 'IN'];
const METHODS = ['GET', 'HEAD', 'POST'];

/** A WAF record with the document's value sets; `odd` sets one field to its anomalous value. */
function wafRecord(next: () => number, t: number, odd?: 'method'): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  return {
    timestamp: t,
    formatVersion: 1,
    webaclId: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/my-web-acl/d6bf7bc3-102c-4d20-baa1-a586c2e14a88',
    terminatingRuleId: 'Default_Action',
    action: next() < 0.004 ? 'BLOCK' : pick(ACTIONS),
    httpSourceName: pick(SOURCES),
    httpStatus: pick(['200', '202', '307', '308']),
    httpRequest: { clientIp: `198.51.100.${1 + Math.floor(next() * 200)}`, country: pick(COUNTRIES), uri: '/', httpMethod: odd === 'method' ? 'DELETE' : pick(METHODS) },
  };
}

describe('seed-003: a streaming Random Cut Forest over the per-minute WAF indicator sums', () => {
  it('alerts on the minute where DELETE jumps from none to most requests (the drop of the common methods moves it most), and on no ordinary minute', { timeout: SLOW }, async () => {
    const endpoint = emulatorEndpoint();
    await using sut = await startSeed('seed-003', endpoint, T0);
    const { clients, runtime } = sut;
    const next = rng(3);
    const records: Record<string, unknown>[] = [];
    for (let m = 0; m < 14; m++) {
      const n = 50 + Math.floor(next() * 10);
      for (let i = 0; i < n; i++) records.push(wafRecord(next, T0 + m * MIN + Math.floor((i * MIN) / n), m === 10 && next() < 0.85 ? 'method' : undefined));
    }
    for (let i = 0; i < records.length; i += 100) {
      const batch = records.slice(i, i + 100).map((rec) => ({ Data: Buffer.from(`${JSON.stringify(rec)}\n`) }));
      await clients.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'aws-waf-logs-anomaly-monitoring', Records: batch }));
    }
    await sut.settle();
    for (let m = 1; m <= 16; m++) await runtime.tick(T0 + m * MIN);
    const seen = await sut.settle();
    expect(seen.map((o) => [new Date(o.firstSeen!).toISOString(), new Date(o.lastSeen!).toISOString(), (o.raw as { topFeature: string }).topFeature])).toEqual([[at(10 * MIN), at(11 * MIN), 'common_method']]);
    // The minute after the last record (no traffic) is not scored, as OpenSearch AD leaves an empty interval.
    // The alert names the web ACL whose records it summed, and no client: an incident about an address is not met by it.
    expect(namesEntities({ webAcl: 'my-web-acl' }, seen[0]!)).toBe(true);
    expect(namesEntities({ ip: '198.51.100.7' }, seen[0]!)).toBe(false);
  });
});

describe('a seed SUT whose Python setup fails', () => {
  it('fails before anything runs, naming the SUT, the handler, the step and the fix', { timeout: SLOW }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-seed-broken-'));
    try {
      await cp(dirname(seedSutFile('seed-003')), dir, { recursive: true });
      // A version of the RCF that was never published.
      await writeFile(join(dir, 'requirements.txt'), 'krcf==0.0.1\nboto3==1.44.18\n');
      const err = (await startSeed('seed-003', emulatorEndpoint(), T0, join(dir, 'firedrill.sut.yaml')).catch((e: unknown) => e)) as Error;
      expect(err.name).toBe('HandlerInitError');
      expect(err.message).toMatch(/seed-003.*pip could not install its requirements \(pip install\)/);
      expect(err.message).toContain('krcf==0.0.1');
      expect(err.message).toContain('check the package names and versions in the requirements file');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
