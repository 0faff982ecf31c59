import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Finding } from '../../core/finding.ts';
import { pollUntil } from '../../core/poll-until.ts';
import type { Entities, EntityType, FindingKind } from '../../core/vocabulary.ts';
import { startAndBootstrap, type LiveEstate } from '../../localstack/index.ts';
import { createDispatcherHandler } from '../handlers/dispatcher-handler.ts';
import { deployPlaybooks, type DeployedPlaybooks } from './deploy.ts';
import { createDispatcher, type Dispatcher, type DispatchResult } from './dispatcher.ts';
import { estateSnapshot } from './estate-snapshot.ts';
import { ecsDeployments } from './estate-readers.ts';
import type { PlaybookName } from './playbooks/index.ts';
import type { OutcomeExpectation } from './playbooks/types.ts';
import { DEFAULT_SAFETY, type SafetyConfig } from './safety/safety-config.ts';
import { verifyOutcomes } from './verify.ts';

let estate: LiveEstate;
let deployed: DeployedPlaybooks;
let live: Dispatcher;
let seq = 0;

function finding(kind: FindingKind, entities: Entities, primary: EntityType, extra: Partial<Finding> = {}): Finding {
  const t = Date.UTC(2026, 10, 21, 10, 0, 0) + seq * 1000;
  return {
    findingId: `e2e-${kind}-${++seq}`,
    kind,
    entities,
    primary,
    firstSeen: t - 60_000,
    lastSeen: t,
    detectedAt: t,
    score: 0.9,
    severity: 'high',
    method: 'signature:e2e',
    summary: `${kind} (e2e)`,
    evidence: { sampleLines: [], features: {} },
    ...extra,
  };
}

function dispatcher(safety: Partial<SafetyConfig> = {}): Dispatcher {
  return createDispatcher(estate.clients, { topology: estate.topology, estate: estate.ids, stateMachineArns: deployed.arns, safety: { ...DEFAULT_SAFETY, ...safety } });
}

async function finished(executionArn: string) {
  return pollUntil(
    async () => {
      const d = await estate.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return d.status !== 'RUNNING' && d;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: `execution ${executionArn} to finish` },
  );
}

async function executionCount(playbook: PlaybookName): Promise<number> {
  return (await estate.clients.sfn.send(new ListExecutionsCommand({ stateMachineArn: deployed.arns[playbook] }))).executions?.length ?? 0;
}

beforeAll(async () => {
  estate = await startAndBootstrap({ endpoint: inject('emulatorEndpoint'), reset: true });
  // Wait and Retry really sleep on moto: one-second polls keep the RDS playbook quick.
  deployed = await deployPlaybooks(estate.clients, estate.topology, estate.ids, { context: { pollSeconds: 1, maxPolls: 5, retryIntervalSeconds: 1 } });
  live = dispatcher();
});
afterAll(async () => estate?.stop());

describe('deploy', () => {
  it('creates one state machine per playbook, and a second deploy changes nothing', async () => {
    expect(Object.values(deployed.actions).every((a) => a === 'created')).toBe(true);
    const again = await deployPlaybooks(estate.clients, estate.topology, estate.ids, { context: { pollSeconds: 1, maxPolls: 5, retryIntervalSeconds: 1 } });
    expect(again.arns).toEqual(deployed.arns);
    expect(Object.values(again.actions).every((a) => a === 'unchanged')).toBe(true);
  });
});

describe('dry-run', () => {
  it('plans and audits, starts no execution, and leaves the estate read-back identical', async () => {
    const dry = dispatcher({ mode: 'dry-run' });
    const ids = estate.ids;
    const findings = [
      finding('waf-sqli-scanner', { ip: '192.0.2.44', webAcl: ids.waf.webAclName }, 'ip'),
      finding('vpc-port-scan', { ip: '192.0.2.45' }, 'ip'),
      finding('cloudtrail-compromised-key', { accessKey: ids.iamUsers[1]!.accessKeyId, principal: ids.iamUsers[1]!.arn }, 'accessKey'),
      finding('ec2-oom', { instance: ids.instances[0]!.instanceId }, 'instance'),
    ];
    const before = await estateSnapshot(estate.clients, ids);
    const counts = await Promise.all((['waf-block-ips', 'nacl-deny-ip', 'iam-deactivate-access-key', 'ec2-stop-instance'] as const).map(executionCount));
    const results = await Promise.all(findings.map((f) => dry.dispatch(f)));
    expect(results.map((r) => r.status)).toEqual(['dry-run', 'dry-run', 'dry-run', 'dry-run']);
    expect(results.map((r) => r.plan?.playbook)).toEqual(['waf-block-ips', 'nacl-deny-ip', 'iam-deactivate-access-key', 'ec2-stop-instance']);
    expect(await estateSnapshot(estate.clients, ids)).toEqual(before);
    expect(await Promise.all((['waf-block-ips', 'nacl-deny-ip', 'iam-deactivate-access-key', 'ec2-stop-instance'] as const).map(executionCount))).toEqual(counts);
    const audit = await dry.audit.incident(findings[0]!.findingId);
    expect(audit).toEqual([expect.objectContaining({ status: 'dry-run', mode: 'dry-run', playbook: 'waf-block-ips' })]);
  });
});

describe('each playbook, live on the emulator', () => {
  const cases: { name: string; make: () => Finding; extra?: () => Promise<Partial<OutcomeExpectation>> }[] = [
    { name: 'WAF credential stuffing → IP set', make: () => finding('waf-credential-stuffing', { ip: '203.0.113.7', webAcl: estate.ids.waf.webAclName }, 'ip') },
    { name: 'VPC port scan → NACL deny', make: () => finding('vpc-port-scan', { ip: '198.51.100.23', eni: estate.ids.instances[0]!.eniId }, 'ip') },
    { name: 'SSH brute force on the host → SG ingress revoked', make: () => finding('ec2-ssh-bruteforce', { instance: estate.ids.instances[0]!.instanceId, ip: '198.51.100.99' }, 'instance') },
    {
      name: 'compromised access key → Inactive',
      make: () => finding('cloudtrail-compromised-key', { accessKey: estate.ids.iamUsers[0]!.accessKeyId, principal: estate.ids.iamUsers[0]!.arn, ip: '203.0.113.80' }, 'accessKey'),
    },
    { name: 'Lambda timeout storm → reserved concurrency 0', make: () => finding('lambda-timeout-storm', { function: estate.ids.lambdas[0]!.name }, 'function') },
    {
      name: 'S3 mass delete → versioning + deny delete',
      make: () => finding('s3-mass-delete', { bucket: estate.ids.buckets.data, principal: estate.ids.iamUsers[2]!.arn, ip: '203.0.113.81' }, 'bucket'),
    },
    { name: 'failing host (OOM) → stopped', make: () => finding('ec2-oom', { instance: estate.ids.instances[1]!.instanceId, host: estate.ids.instances[1]!.name }, 'instance') },
    { name: 'exfiltration → host isolated', make: () => finding('vpc-exfiltration', { instance: estate.ids.instances[2]!.instanceId, ip: estate.ids.instances[2]!.privateIp }, 'instance') },
  ];

  it.each(cases)('$name: the execution succeeds and the estate read-back matches', async ({ make }) => {
    const f = make();
    // The plan's outcomes, read before acting, must not already hold: otherwise the check below proves nothing.
    const planned = await dispatcher({ mode: 'dry-run' }).dispatch({ ...f, findingId: `${f.findingId}-plan` });
    const before = await verifyOutcomes(estate.clients, planned.plan!.outcomes);
    expect(before.some((c) => c.ok), JSON.stringify(before)).toBe(false);
    const r = await live.dispatch(f);
    expect(r.status, r.reason).toBe('started');
    const done = await finished(r.executionArn!);
    expect(done.status, `${done.error} ${done.cause}`).toBe('SUCCEEDED');
    const checks = await verifyOutcomes(estate.clients, r.plan!.outcomes);
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) expect(c.ok, `${c.outcome}: expected ${c.expected}, observed ${c.observed}`).toBe(true);
    const audit = await live.audit.incident(f.findingId);
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sk: 'dispatch', status: 'started', executionArn: r.executionArn }),
        expect.objectContaining({ record: 'execution-result', status: 'succeeded', playbook: r.playbook }),
      ]),
    );
  });
});
