import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, DeleteStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetIPSetCommand, UpdateIPSetCommand } from '@aws-sdk/client-wafv2';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { PublishCommand } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../../test/support/emulator-endpoint.ts';
import type { Finding } from '../../core/finding.ts';
import { pollUntil } from '../../core/poll-until.ts';
import type { Entities, EntityType, FindingKind } from '../../core/vocabulary.ts';
import type { LiveEstate } from '../../emulator/index.ts';
import { startWithBuiltin } from '../../harness/sut/index.ts';
import { createDispatcherHandler } from '../handlers/dispatcher-handler.ts';
import { deployPlaybooks, type DeployedPlaybooks, type DeployPlaybooksOptions } from './deploy.ts';
import { createDispatcher, type Dispatcher, type DispatchResult } from './dispatcher.ts';
import { estateSnapshot } from '../../harness/verify/estate-snapshot.ts';
import { ecsDeployments, eksEndpointAccess, nodegroupScaling } from '../../harness/verify/estate-readers.ts';
import { WAF_LOCK_ERRORS, type PlaybookName } from './playbooks/index.ts';
import type { OutcomeExpectation } from './playbooks/types.ts';
import { DEFAULT_SAFETY, type SafetyConfig } from './safety/safety-config.ts';
import { verifyOutcomes } from '../../harness/verify/verify.ts';

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

let context: DeployPlaybooksOptions['context'];

beforeAll(async () => {
  const started = await startWithBuiltin({ endpoint: emulatorEndpoint(), reset: true });
  estate = started;
  // The builtin's setup hook deployed the playbooks with the default context: removed, so that this file's deploy
  // (its own context) starts from an account without them, as the first deploy on a fresh one does.
  for (const arn of Object.values(JSON.parse(started.prepared.outputs.stateMachines ?? '{}') as Record<string, string>)) {
    await started.clients.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
  }
  // Wait and Retry really sleep on moto: one-second polls keep the RDS playbook quick. The aws-sdk dialect
  // follows the clients' endpoint (camelCase ECS parameters on an emulator).
  context = { pollSeconds: 1, maxPolls: 5, retryIntervalSeconds: 1 };
  deployed = await deployPlaybooks(estate.clients, estate.topology, estate.ids, { context });
  live = dispatcher();
});
afterAll(async () => estate?.stop());

describe('deploy', () => {
  it('creates one state machine per playbook, and a second deploy changes nothing', async () => {
    expect(Object.values(deployed.actions).every((a) => a === 'created')).toBe(true);
    const again = await deployPlaybooks(estate.clients, estate.topology, estate.ids, { context });
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
    { name: 'a second compromised host (by ENI) → the quarantine group is reused', make: () => finding('vpc-exfiltration', { eni: estate.ids.instances[0]!.eniId }, 'eni') },
    { name: 'EKS anonymous API burst → endpoint made private', make: () => finding('eks-api-forbidden-burst', { cluster: estate.ids.eks.clusterName, ip: '198.51.100.61', principal: 'system:anonymous' }, 'ip') },
    { name: 'EKS node NotReady → node group one node larger', make: () => finding('eks-node-not-ready', { cluster: estate.ids.eks.clusterName, node: estate.ids.eks.nodes[0]!.name }, 'node') },
    {
      name: 'EKS exec and secret reads with a leaked key → key Inactive',
      make: () => finding('eks-exec-secret-access', { cluster: estate.ids.eks.clusterName, accessKey: estate.ids.iamUsers[3]!.accessKeyId, principal: estate.ids.iamUsers[3]!.arn, ip: '198.51.100.62' }, 'accessKey'),
    },
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

describe('the RDS → app → ECS cascade', () => {
  it('fixes the database first, then redeploys the app once; the symptoms and the explained finding start nothing', async () => {
    const db = estate.ids.rds.dbInstanceId;
    const svc = estate.ids.ecs.serviceName;
    const before = await ecsDeployments(estate.clients, estate.ids.ecs.clusterName, svc);
    const rds = finding('rds-connection-exhaustion', { database: db }, 'database');
    const app = finding('app-db-errors', { service: svc }, 'service');
    const ecs = finding('ecs-task-restarts', { service: svc }, 'service');
    const root = finding('root-cause', { database: db, service: svc }, 'database', {
      chain: [`rds:${db} connection exhaustion`, `app:${svc} DB errors`, `ecs:${svc} task restarts`],
      explains: [rds.findingId, app.findingId, ecs.findingId],
    });
    const ecsRuns = await executionCount('ecs-redeploy-service');
    // One batch, symptoms first on purpose: the dispatcher decides root causes first.
    const results = (await live.dispatchAll([ecs, app, rds, root])).map((r) => (r.status === 'fulfilled' ? r.value : ({ status: String(r.reason) } as unknown as DispatchResult)));
    expect(results.map((r) => r.status)).toEqual(['suppressed-cascade', 'no-playbook', 'suppressed-cascade', 'started']);
    const done = await finished(results[3]!.executionArn!);
    expect(done.status, `${done.error} ${done.cause}`).toBe('SUCCEEDED');
    const checks = await verifyOutcomes(estate.clients, [
      { outcome: 'rds-parameter-raised', parameterGroup: estate.ids.rds.parameterGroup, parameter: 'max_connections', atLeast: estate.topology.estate.rds.maxConnections * 2 },
      { outcome: 'ecs-service-redeployed', cluster: estate.ids.ecs.clusterName, service: svc, notDeploymentId: before.primaryId! },
    ]);
    for (const c of checks) expect(c.ok, `${c.outcome}: expected ${c.expected}, observed ${c.observed}`).toBe(true);
    // The order inside the execution: parameter, reboot, database available, and only then the app.
    const history = await estate.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn: results[3]!.executionArn!, maxResults: 1000 }));
    const entered = (history.events ?? []).filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
    expect(entered.indexOf('RedeployApp')).toBeGreaterThan(entered.indexOf('DatabaseAvailable'));
    expect(entered.indexOf('DatabaseAvailable')).toBeGreaterThan(entered.indexOf('RaiseMaxConnections'));

    // A later restart storm of the same app, not explained by any root cause: its dependency is being fixed.
    const later = await live.dispatch(finding('ecs-task-restarts', { service: svc }, 'service'));
    expect(later.status).toBe('suppressed-cascade');
    expect(later.reason).toMatch(/rds:/);
    expect(await executionCount('ecs-redeploy-service')).toBe(ecsRuns);
    expect(await executionCount('rds-raise-max-connections')).toBe(1);
  });

  it('the other order: the database finding acts, the root cause that follows is the same incident, and a re-sent longer chain still covers new symptoms', async () => {
    const db = estate.ids.rds.dbInstanceId;
    const svc = estate.ids.ecs.serviceName;
    const roomy = dispatcher({ maxActionsPerResource: 10 });
    const rds = finding('rds-connection-exhaustion', { database: db }, 'database');
    const first = await roomy.dispatch(rds);
    expect(first.status).toBe('started');
    expect((await finished(first.executionArn!)).status).toBe('SUCCEEDED');
    const root = finding('root-cause', { database: db, service: svc }, 'database', { explains: [rds.findingId] });
    const r1 = await roomy.dispatch(root);
    expect(r1.status).toBe('duplicate');
    expect(r1.reason).toMatch(new RegExp(`already remediated through ${rds.findingId}`));
    // The detector re-publishes the root cause when its chain grows; the new symptom is covered by it.
    const restarts = finding('ecs-task-restarts', { service: svc }, 'service');
    expect((await roomy.dispatch({ ...root, explains: [rds.findingId, restarts.findingId] })).status).toBe('duplicate');
    const r2 = await dispatcher({ maxActionsPerResource: 10, cascadeWindowMs: 0 }).dispatch(restarts);
    expect(r2.status).toBe('suppressed-cascade');
    expect(r2.reason).toMatch(new RegExp(`explained by root cause ${root.findingId}`));
    expect(await executionCount('rds-raise-max-connections')).toBe(2);
  });
});

describe('WAF lock conflicts', () => {
  it('the error names the playbook catches are the ones this emulator raises for a stale LockToken', async () => {
    const { clients, ids } = estate;
    const stale = (await clients.wafv2.send(new GetIPSetCommand({ Name: ids.waf.ipSetName, Id: ids.waf.ipSetId, Scope: 'REGIONAL' }))).LockToken!;
    const addresses = (await clients.wafv2.send(new GetIPSetCommand({ Name: ids.waf.ipSetName, Id: ids.waf.ipSetId, Scope: 'REGIONAL' }))).IPSet!.Addresses!;
    await clients.wafv2.send(new UpdateIPSetCommand({ Name: ids.waf.ipSetName, Id: ids.waf.ipSetId, Scope: 'REGIONAL', Addresses: addresses, LockToken: stale }));
    const definition = {
      StartAt: 'Update',
      States: {
        Update: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:wafv2:updateIPSet',
          Parameters: { Name: ids.waf.ipSetName, Id: ids.waf.ipSetId, Scope: 'REGIONAL', Addresses: addresses, LockToken: stale },
          Catch: [{ ErrorEquals: WAF_LOCK_ERRORS, Next: 'Conflict' }],
          End: true,
        },
        Conflict: { Type: 'Succeed' },
      },
    };
    const sm = await clients.sfn.send(new CreateStateMachineCommand({ name: `${estate.topology.prefix}-e2e-waf-lock`, roleArn: ids.roles.stepFunctions!, definition: JSON.stringify(definition) }));
    const ex = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn! }));
    expect((await finished(ex.executionArn!)).status).toBe('SUCCEEDED');
    const history = await clients.sfn.send(new GetExecutionHistoryCommand({ executionArn: ex.executionArn!, maxResults: 1000 }));
    expect((history.events ?? []).some((e) => e.stateEnteredEventDetails?.name === 'Conflict')).toBe(true);
  });
});

describe('an app restart with no known cause', () => {
  it('ecs-task-restarts with no dependency being fixed redeploys the service once', async () => {
    const svc = estate.ids.ecs.serviceName;
    const before = await ecsDeployments(estate.clients, estate.ids.ecs.clusterName, svc);
    // A zero cascade window: the database fix above is out of sight, as if it were hours ago.
    const r = await dispatcher({ cascadeWindowMs: 0, maxActionsPerResource: 10 }).dispatch(finding('ecs-task-restarts', { service: svc }, 'service'));
    expect(r.status, r.reason).toBe('started');
    expect((await finished(r.executionArn!)).status).toBe('SUCCEEDED');
    const [c] = await verifyOutcomes(estate.clients, [{ outcome: 'ecs-service-redeployed', cluster: estate.ids.ecs.clusterName, service: svc, notDeploymentId: before.primaryId! }]);
    expect(c!.ok, c!.observed).toBe(true);
  });
});

describe('idempotency', () => {
  it('a repeated finding of the same incident starts no second execution', async () => {
    const f = finding('waf-http-flood', { ip: '203.0.113.150' }, 'ip');
    const first = await live.dispatch(f);
    expect(first.status).toBe('started');
    await finished(first.executionArn!);
    const runs = await executionCount('waf-block-ips');
    const again = await live.dispatch({ ...f, lastSeen: f.lastSeen + 60_000, score: 0.95 });
    const third = await createDispatcherHandler(live)({ Records: [{ messageId: 'm1', body: JSON.stringify(f) }] });
    expect(again.status).toBe('duplicate');
    expect(again.executionArn).toBe(first.executionArn);
    expect(third.batchItemFailures).toEqual([]);
    expect(await executionCount('waf-block-ips')).toBe(runs);
  });

  it('without the audit record, the execution name still refuses a second run (ExecutionAlreadyExists)', async () => {
    const f = finding('waf-bad-bots', { ip: '203.0.113.151' }, 'ip');
    const first = await live.dispatch(f);
    await finished(first.executionArn!);
    const runs = await executionCount('waf-block-ips');
    // As if the dispatch record had been lost (or a second dispatcher raced past it).
    await estate.clients.doc.send(new DeleteCommand({ TableName: estate.ids.auditTable, Key: { pk: `incident#${f.findingId}`, sk: 'dispatch' } }));
    const again = await live.dispatch(f);
    expect(again.status).toBe('duplicate');
    expect(again.reason).toMatch(/already exists/);
    expect(again.executionArn).toBe(first.executionArn);
    expect(await executionCount('waf-block-ips')).toBe(runs);
  });
});

describe('safety', () => {
  it('refuses, with an audit record, to act on resources not tagged firedrill:managed=true', async () => {
    const user = (await estate.clients.iam.send(new CreateUserCommand({ UserName: 'outsider' }))).User!;
    const key = (await estate.clients.iam.send(new CreateAccessKeyCommand({ UserName: 'outsider' }))).AccessKey!;
    await estate.clients.s3.send(new CreateBucketCommand({ Bucket: 'someone-elses-bucket' }));
    const runs = await Promise.all([executionCount('iam-deactivate-access-key'), executionCount('s3-protect-bucket')]);
    const k = finding('cloudtrail-compromised-key', { accessKey: key.AccessKeyId!, principal: user.Arn! }, 'accessKey');
    const b = finding('s3-mass-delete', { bucket: 'someone-elses-bucket', principal: user.Arn! }, 'bucket');
    const [rk, rb] = [await live.dispatch(k), await live.dispatch(b)];
    expect([rk.status, rb.status]).toEqual(['refused-unmanaged', 'refused-unmanaged']);
    expect(rk.reason).toMatch(/iam-user outsider/);
    const checks = await verifyOutcomes(estate.clients, [...rk.plan!.outcomes, ...rb.plan!.outcomes]);
    expect(checks.map((c) => c.ok)).toEqual([false, false, false]);
    expect(await live.audit.incident(k.findingId)).toEqual([expect.objectContaining({ status: 'refused-unmanaged' })]);
    expect(await Promise.all([executionCount('iam-deactivate-access-key'), executionCount('s3-protect-bucket')])).toEqual(runs);
  });

  it('a failing action (missing resource) ends in the Catch path with an audit record and no retry storm', async () => {
    const f = finding('lambda-timeout-storm', { function: `${estate.topology.prefix}-no-such-function` }, 'function');
    const r = await live.dispatch(f);
    expect(r.status).toBe('started');
    const done = await finished(r.executionArn!);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('RemediationFailed');
    const history = await estate.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn: r.executionArn!, maxResults: 1000 }));
    const events = history.events ?? [];
    const entered = events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(['PutConcurrency', 'RecordFailure', 'BuildNotifyFailure', 'NotifyFailure', 'Failed']);
    expect(events.filter((e) => e.type === 'TaskScheduled' && e.taskScheduledEventDetails?.resource === 'putFunctionConcurrency')).toHaveLength(1);
    expect(await live.audit.incident(f.findingId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ record: 'execution-result', status: 'failed', error: expect.stringMatching(/ResourceNotFound|not found/i) })]),
    );
  });

  it('EKS: a node group that would pass its maximum is left alone, the failure path says why; a private endpoint is left as it is', async () => {
    const e = estate.ids.eks;
    const before = await nodegroupScaling(estate.clients, e.clusterName, e.nodegroupName);
    const input = (playbook: PlaybookName, params: object) => JSON.stringify({ incidentId: `e2e-eks-${++seq}`, findingKind: 'eks-node-not-ready', playbook, requestedAt: new Date().toISOString(), params });
    const started = await estate.clients.sfn.send(new StartExecutionCommand({ stateMachineArn: deployed.arns['eks-scale-nodegroup'], input: input('eks-scale-nodegroup', { cluster: e.clusterName, nodegroup: e.nodegroupName, addNodes: 50, atLeast: 99 }) }));
    const done = await finished(started.executionArn!);
    expect(done.status).toBe('FAILED');
    const history = await estate.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn!, maxResults: 1000 }));
    expect((history.events ?? []).filter((x) => x.type?.endsWith('StateEntered')).map((x) => x.stateEnteredEventDetails?.name)).toContain('AtMaxSize');
    expect(await nodegroupScaling(estate.clients, e.clusterName, e.nodegroupName)).toEqual(before);
    // The endpoint is private by now (the playbook case above): a second run reads that and changes nothing.
    expect((await eksEndpointAccess(estate.clients, e.clusterName)).publicAccess).toBe(false);
    const again = await estate.clients.sfn.send(new StartExecutionCommand({ stateMachineArn: deployed.arns['eks-restrict-endpoint'], input: input('eks-restrict-endpoint', { cluster: e.clusterName }) }));
    expect((await finished(again.executionArn!)).status).toBe('SUCCEEDED');
    const h2 = await estate.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn: again.executionArn!, maxResults: 1000 }));
    expect((h2.events ?? []).filter((x) => x.type === 'TaskScheduled').map((x) => x.taskScheduledEventDetails?.resource)).not.toContain('updateClusterConfig');
  });

  it('the circuit breaker stops a second action on the same resource within the hour', async () => {
    const strict = dispatcher({ maxActionsPerResource: 1 });
    const runs = await executionCount('lambda-throttle');
    const r = await strict.dispatch(finding('lambda-timeout-storm', { function: estate.ids.lambdas[0]!.name }, 'function'));
    expect(r.status).toBe('circuit-open');
    expect(r.reason).toMatch(/lambda-function:/);
    expect(await executionCount('lambda-throttle')).toBe(runs);
    expect(await strict.audit.incident(r.incidentId)).toEqual([expect.objectContaining({ record: 'decision', status: 'circuit-open' })]);
  });

  it('--target aws acts only in an allowlisted account (STS GetCallerIdentity)', async () => {
    const f = () => finding('waf-bad-bots', { ip: '203.0.113.201' }, 'ip');
    const refused = await dispatcher({ target: 'aws', accountAllowlist: ['111122223333'] }).dispatch(f());
    expect(refused.status).toBe('refused-account');
    expect(refused.reason).toMatch(/not in the allowlist/);
    const allowed = await dispatcher({ target: 'aws', accountAllowlist: [estate.ids.accountId], mode: 'dry-run' }).dispatch(f());
    expect(allowed.status).toBe('dry-run');
  });
});

describe('dispatcher handler on the real alerts path (SNS → SQS)', () => {
  it('starts an execution for a published finding, ignores the playbooks\' own notices, and fails only the bad record', async () => {
    const { clients, ids } = estate;
    const f = finding('waf-geo-anomaly', { ip: '203.0.113.222', country: 'ZZ' }, 'ip');
    await clients.sns.send(new PublishCommand({ TopicArn: ids.alertsTopicArn, Message: JSON.stringify(f) }));
    const messages = await pollUntil(
      async () => {
        const got = (await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: ids.queues.alerts, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [];
        if (got.some((m) => (m.Body ?? '').includes(f.findingId))) return got;
        // One delete at a time: moto can put back a message when two deletes on a queue overlap (see sqs-event-source.ts).
        for (const m of got) await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: ids.queues.alerts, ReceiptHandle: m.ReceiptHandle! }));
        return undefined;
      },
      { timeoutMs: 20_000, what: 'the published finding on the alerts queue' },
    );
    const seen: { messageId: string; status?: string; ignored?: string; error?: string }[] = [];
    const handler = createDispatcherHandler(live, { onResult: (r) => seen.push({ messageId: r.messageId, status: r.result?.status, ignored: r.ignored, error: r.error }) });
    const notice = JSON.stringify({ Type: 'Notification', Message: JSON.stringify({ notice: 'firedrill.remediation', status: 'succeeded', incidentId: 'x' }) });
    const out = await handler({
      Records: [...messages.map((m) => ({ messageId: m.MessageId!, body: m.Body! })), { messageId: 'notice-1', body: notice }, { messageId: 'bad-1', body: '{"not":"a finding"}' }],
    });
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'bad-1' }]);
    const mine = seen.find((s) => s.status === 'started');
    expect(mine).toBeDefined();
    expect(seen.find((s) => s.messageId === 'notice-1')?.ignored).toBe('notice');
    const r = (await live.audit.incident(f.findingId)).find((x) => x.sk === 'dispatch');
    const done = await finished(String(r?.executionArn));
    expect(done.status).toBe('SUCCEEDED');
    expect((await verifyOutcomes(clients, [{ outcome: 'waf-ip-blocked', ipSetName: ids.waf.ipSetName, ipSetId: ids.waf.ipSetId, scope: 'REGIONAL', cidr: '203.0.113.222/32' }]))[0]!.ok).toBe(true);
  });
});
