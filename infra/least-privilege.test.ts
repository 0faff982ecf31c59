import { describe, expect, it } from 'vitest';
import { defaultTopology } from '../core/topology/index.ts';
import { playbookContext, playbookDefinition, PLAYBOOK_NAMES } from '../pipeline/remediate/index.ts';
import { detectorPolicy, dispatcherPolicy, iamActionOf, loadTaskPolicy, normalizerPolicy, playbookActions, schedulerPolicy, stepFunctionsPolicy, type PolicyDocument, type PolicyScope } from './least-privilege.ts';

const topology = defaultTopology({ prefix: 'lp', loadShards: 2 });
const scope: PolicyScope = {
  topology,
  account: '111122223333',
  ipSetArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/ipset/lp-blocked-ips/abc',
  dbInstanceArn: 'arn:aws:rds:us-east-1:111122223333:db:lp-orders-db',
  dbParameterGroupArn: 'arn:aws:rds:us-east-1:111122223333:pg:lp-pg16',
  ecsServiceArn: 'arn:aws:ecs:us-east-1:111122223333:service/lp-cluster/checkout',
  vpcArn: 'arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1',
};
const definitions = PLAYBOOK_NAMES.map((pb) => playbookDefinition(pb, playbookContext('aws', { auditTable: topology.pipeline.auditTable, notifyTopicArn: 'arn:aws:sns:us-east-1:111122223333:lp-alerts' })));
const actionsOf = (d: PolicyDocument) => d.Statement.flatMap((s) => s.Action);
const resourcesOf = (d: PolicyDocument) => d.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));

/** Actions that have no resource-level permissions in IAM, so `*` is the only resource they can name. */
const UNSCOPABLE = new Set([
  'ec2:DescribeNetworkInterfaces', 'ec2:DescribeInstances', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkAcls', 'ec2:DescribeVpcs', 'ecr:GetAuthorizationToken',
  'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
]);

const all: Record<string, PolicyDocument> = {
  normalizer: normalizerPolicy(scope),
  detector: detectorPolicy(scope),
  dispatcher: dispatcherPolicy(scope),
  stepFunctions: stepFunctionsPolicy(scope, definitions),
  scheduler: schedulerPolicy(scope, { taskRoleArn: 'arn:aws:iam::111122223333:role/lp-load-task', executionRoleArn: 'arn:aws:iam::111122223333:role/lp-load-execution' }),
  load: loadTaskPolicy(scope),
};

describe('least privilege per function and for Step Functions', () => {
  it('names every action exactly (no wildcards) and uses `*` only for actions IAM cannot scope', () => {
    for (const [who, d] of Object.entries(all)) {
      expect(actionsOf(d).filter((a) => a.includes('*')), who).toEqual([]);
      const starred = d.Statement.filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')));
      expect(starred.flatMap((s) => s.Action).filter((a) => !UNSCOPABLE.has(a)), who).toEqual([]);
    }
  });

  it('gives Step Functions exactly the actions its playbooks call, including those the emulator role left out', () => {
    const derived = playbookActions(definitions);
    const granted = actionsOf(all.stepFunctions!).filter((a) => !a.startsWith('logs:'));
    expect(granted.sort()).toEqual(derived);
    // The emulator's bootstrap role did not have these; every one is called by a playbook.
    for (const a of ['ec2:CreateSecurityGroup', 'ec2:CreateTags', 'ec2:RevokeSecurityGroupEgress', 'rds:DescribeDBInstances', 's3:GetBucketPolicy', 'sns:Publish']) expect(derived).toContain(a);
  });

  it('lets Step Functions change EC2 resources only when they carry firedrill:managed=true', () => {
    const mutating = all.stepFunctions!.Statement.filter((s) => s.Action.some((a) => /^ec2:(Stop|Modify|Revoke|Create(Network|Route))/.test(a)));
    expect(mutating.length).toBeGreaterThan(3);
    for (const s of mutating) expect(s.Condition?.StringEquals?.['aws:ResourceTag/firedrill:managed'], s.Sid).toBe('true');
  });

  it('fails the synthesis when a playbook calls an action the policy does not scope', () => {
    const extra = { ...definitions[0]!, States: { ...definitions[0]!.States, Sneaky: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:iam:createUser', End: true } } } as (typeof definitions)[number];
    expect(() => stepFunctionsPolicy(scope, [extra])).toThrow(/iam:CreateUser/);
    expect(iamActionOf('arn:aws:states:::aws-sdk:wafv2:updateIPSet')).toBe('wafv2:UpdateIPSet');
  });

  it('keeps each function to its own stores: the normalizer writes curated only, the detector publishes, the dispatcher starts executions', () => {
    const normalizer = actionsOf(all.normalizer!);
    expect(normalizer.filter((a) => /^(sns|dynamodb|states|ec2):/.test(a))).toEqual([]);
    expect(all.normalizer!.Statement.filter((s) => s.Action.includes('s3:PutObject')).flatMap((s) => s.Resource)).toEqual([`arn:aws:s3:::${topology.pipeline.curatedBucket}/*`]);
    expect(actionsOf(all.detector!)).toContain('sns:Publish');
    expect(actionsOf(all.detector!).filter((a) => /^(states|sqs):/.test(a))).toEqual([]);
    const dispatcher = actionsOf(all.dispatcher!);
    expect(dispatcher).toContain('states:StartExecution');
    // The dispatcher only reads the estate; the state machines act.
    expect(dispatcher.filter((a) => /:(Stop|Modify|Revoke|Update|Put(?!Item|LogEvents)|Create(?!LogStream)|Delete(?!Message))/.test(a))).toEqual([]);
    expect(resourcesOf(all.dispatcher!)).toContain(`arn:aws:states:us-east-1:111122223333:stateMachine:${topology.compute.stateMachinePrefix}*`);
  });

  it('lets the scheduler run only the load task definitions and pass only the load roles', () => {
    expect(resourcesOf(all.scheduler!)).toEqual(expect.arrayContaining(topology.compute.load.shardNames.map((n) => `arn:aws:ecs:us-east-1:111122223333:task-definition/${n}:*`)));
    const pass = all.scheduler!.Statement.find((s) => s.Action.includes('iam:PassRole'))!;
    expect(pass.Condition?.StringEquals?.['iam:PassedToService']).toBe('ecs-tasks.amazonaws.com');
    expect(actionsOf(all.load!).sort()).toEqual(['firehose:PutRecordBatch', 'logs:CreateLogStream', 'logs:PutLogEvents', 's3:GetObject', 's3:PutObject']);
  });
});
