import type { Topology } from '../core/topology/index.ts';
import { parseSdkResource, type AslDefinition, type AslState } from '../pipeline/remediate/index.ts';

/** An IAM policy statement; values may be Terraform tokens (an account id, an ARN) that resolve at apply time. */
export interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

/** What the policies are scoped to: the account (a token at synth time) and the ARNs Terraform knows only then. */
export interface PolicyScope {
  topology: Topology;
  account: string;
  /** The estate's resources remediation may act on. */
  ipSetArn: string;
  dbInstanceArn: string;
  dbParameterGroupArn: string;
  ecsServiceArn: string;
  vpcArn: string;
}

const doc = (...statements: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });
const bucketArn = (name: string) => `arn:aws:s3:::${name}`;
const managed = (t: Topology) => ({ StringEquals: { 'aws:ResourceTag/firedrill:managed': t.tags['firedrill:managed'] ?? 'true' } });

function arns(s: PolicyScope) {
  const { topology: t, account } = s;
  const r = t.region;
  return {
    logGroup: (name: string) => `arn:aws:logs:${r}:${account}:log-group:${name}:*`,
    queue: (name: string) => `arn:aws:sqs:${r}:${account}:${name}`,
    table: (name: string) => `arn:aws:dynamodb:${r}:${account}:table/${name}`,
    topic: `arn:aws:sns:${r}:${account}:${t.pipeline.alertsTopic}`,
    stateMachines: `arn:aws:states:${r}:${account}:stateMachine:${t.compute.stateMachinePrefix}*`,
    ec2: (type: string) => `arn:aws:ec2:${r}:${account}:${type}/*`,
  };
}

/** Writing its own log stream: every function. */
const ownLogs = (s: PolicyScope, logGroup: string): Statement => ({ Sid: 'OwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: arns(s).logGroup(logGroup) });

/** What an SQS event source mapping needs from the function's role. */
const queueTrigger = (s: PolicyScope, queue: string): Statement => ({
  Sid: 'QueueTrigger',
  Effect: 'Allow',
  Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
  Resource: arns(s).queue(queue),
});

/**
 * The normalizer reads raw objects (Firehose's under raw/, S3 access logs in their bucket) and writes curated,
 * quarantine and its batch manifests in the curated bucket. ListBucket there makes a missing key a 404 (the key
 * claims rely on it) rather than a 403.
 */
export function normalizerPolicy(s: PolicyScope): PolicyDocument {
  const p = s.topology.pipeline;
  const f = s.topology.compute.functions.normalizer;
  return doc(
    ownLogs(s, f.logGroup),
    queueTrigger(s, f.trigger!.queue),
    { Sid: 'ReadRaw', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${bucketArn(p.rawBucket)}/${p.rawPrefix}*`, `${bucketArn(p.accessLogBucket)}/*`] },
    { Sid: 'ListCurated', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucketArn(p.curatedBucket) },
    { Sid: 'WriteCurated', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${bucketArn(p.curatedBucket)}/*` },
  );
}

/** The detector reads curated partitions, keeps its state in the state bucket, writes findings and publishes alerts. */
export function detectorPolicy(s: PolicyScope): PolicyDocument {
  const p = s.topology.pipeline;
  const a = arns(s);
  return doc(
    ownLogs(s, s.topology.compute.functions.detector.logGroup),
    { Sid: 'ListCurated', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucketArn(p.curatedBucket), Condition: { StringLike: { 's3:prefix': [`${p.curatedPrefix}*`] } } },
    { Sid: 'ReadCurated', Effect: 'Allow', Action: ['s3:GetObject'], Resource: `${bucketArn(p.curatedBucket)}/${p.curatedPrefix}*` },
    // ListBucket on its prefix: a first run's missing state is then NoSuchKey (start fresh), not AccessDenied.
    { Sid: 'ListState', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucketArn(p.stateBucket), Condition: { StringLike: { 's3:prefix': ['detector/*'] } } },
    { Sid: 'State', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${bucketArn(p.stateBucket)}/detector/*` },
    { Sid: 'Findings', Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: a.table(p.findingsTable) },
    { Sid: 'Alerts', Effect: 'Allow', Action: ['sns:Publish'], Resource: a.topic },
    // Enrichment only (ENI → instance); DescribeNetworkInterfaces has no resource-level permissions.
    { Sid: 'EniInventory', Effect: 'Allow', Action: ['ec2:DescribeNetworkInterfaces'], Resource: '*' },
  );
}

/**
 * The dispatcher reads the estate ids once, keeps its decisions in the audit table, checks the managed tag of every
 * target (read-only), and starts the playbooks' executions — nothing else; the state machines act.
 */
export function dispatcherPolicy(s: PolicyScope): PolicyDocument {
  const t = s.topology;
  const p = t.pipeline;
  const a = arns(s);
  return doc(
    ownLogs(s, t.compute.functions.dispatcher.logGroup),
    queueTrigger(s, t.compute.functions.dispatcher.trigger!.queue),
    { Sid: 'EstateIds', Effect: 'Allow', Action: ['s3:GetObject'], Resource: `${bucketArn(p.stateBucket)}/estate/*` },
    { Sid: 'Audit', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], Resource: a.table(p.auditTable) },
    { Sid: 'StartPlaybooks', Effect: 'Allow', Action: ['states:StartExecution'], Resource: a.stateMachines },
    // Managed-tag checks before acting (read-only). The EC2 describes have no resource-level permissions.
    { Sid: 'TagsEc2', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkAcls', 'ec2:DescribeVpcs'], Resource: '*' },
    { Sid: 'TagsWaf', Effect: 'Allow', Action: ['wafv2:ListTagsForResource'], Resource: s.ipSetArn },
    { Sid: 'TagsRds', Effect: 'Allow', Action: ['rds:DescribeDBInstances', 'rds:DescribeDBParameterGroups', 'rds:ListTagsForResource'], Resource: [s.dbInstanceArn, s.dbParameterGroupArn] },
    { Sid: 'TagsEcs', Effect: 'Allow', Action: ['ecs:ListTagsForResource'], Resource: s.ecsServiceArn },
    { Sid: 'TagsIam', Effect: 'Allow', Action: ['iam:ListUserTags'], Resource: `arn:aws:iam::${s.account}:user/*` },
    { Sid: 'TagsLambda', Effect: 'Allow', Action: ['lambda:GetFunction'], Resource: `arn:aws:lambda:${t.region}:${s.account}:function:*` },
    { Sid: 'TagsS3', Effect: 'Allow', Action: ['s3:GetBucketTagging'], Resource: 'arn:aws:s3:::*' },
  );
}

/** `aws-sdk:ec2:stopInstances` → `ec2:StopInstances`; the optimized SNS integration → `sns:Publish`. */
export function iamActionOf(resource: string): string {
  if (resource === 'arn:aws:states:::sns:publish') return 'sns:Publish';
  const sdk = parseSdkResource(resource);
  if (!sdk) throw new Error(`no IAM action known for the Task resource ${resource}`);
  return `${sdk.service}:${sdk.action[0]!.toUpperCase()}${sdk.action.slice(1)}`;
}

type AnyState = AslState & { Resource?: string; Parameters?: Record<string, unknown>; Iterator?: { States: Record<string, AslState> }; ItemProcessor?: { States: Record<string, AslState> }; Branches?: { States: Record<string, AslState> }[] };

/** Every Task state of a definition, nested states included. */
function tasks(states: Record<string, AslState>): AnyState[] {
  const out: AnyState[] = [];
  for (const s of Object.values(states) as AnyState[]) {
    if (s.Type === 'Task' && s.Resource) out.push(s);
    if (s.Iterator) out.push(...tasks(s.Iterator.States));
    if (s.ItemProcessor) out.push(...tasks(s.ItemProcessor.States));
    for (const b of s.Branches ?? []) out.push(...tasks(b.States));
  }
  return out;
}

/** A task's actions: its own, and ec2:CreateTags when an EC2 create call tags what it creates (TagSpecifications). */
function actionsOfTask(task: AnyState): string[] {
  const action = iamActionOf(task.Resource!);
  const tagsOnCreate = action.startsWith('ec2:Create') && Object.keys(task.Parameters ?? {}).some((k) => k.replace(/\.\$$/, '') === 'TagSpecifications');
  return tagsOnCreate ? [action, 'ec2:CreateTags'] : [action];
}

/** The IAM actions the playbooks call, derived from their definitions (sorted, without duplicates). */
export function playbookActions(definitions: readonly AslDefinition[]): string[] {
  return [...new Set(definitions.flatMap((d) => tasks(d.States)).flatMap(actionsOfTask))].sort();
}

/**
 * The Step Functions role, derived from the very definitions it runs: each action the playbooks call, scoped to the
 * estate's resources, and for EC2 to resources tagged firedrill:managed=true (the dispatcher checks the tag too; IAM
 * makes it hold even if a playbook input were wrong). An action the table does not know fails the synthesis, so a
 * new playbook step cannot ship without its permission.
 */
export function stepFunctionsPolicy(s: PolicyScope, definitions: readonly AslDefinition[]): PolicyDocument {
  const t = s.topology;
  const a = arns(s);
  const e = t.estate;
  const scoped: Record<string, Omit<Statement, 'Sid' | 'Effect' | 'Action'>> = {
    'dynamodb:PutItem': { Resource: a.table(t.pipeline.auditTable) },
    'sns:Publish': { Resource: a.topic },
    'ec2:DescribeSecurityGroups': { Resource: '*' },
    'ec2:CreateSecurityGroup': { Resource: [s.vpcArn, a.ec2('security-group')] },
    'ec2:CreateTags': { Resource: a.ec2('security-group'), Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' } } },
    'ec2:RevokeSecurityGroupEgress': { Resource: a.ec2('security-group'), Condition: managed(t) },
    'ec2:RevokeSecurityGroupIngress': { Resource: a.ec2('security-group'), Condition: managed(t) },
    'ec2:ModifyInstanceAttribute': { Resource: [a.ec2('instance'), a.ec2('security-group')], Condition: managed(t) },
    'ec2:StopInstances': { Resource: a.ec2('instance'), Condition: managed(t) },
    'ec2:CreateNetworkAclEntry': { Resource: a.ec2('network-acl'), Condition: managed(t) },
    'wafv2:GetIPSet': { Resource: s.ipSetArn },
    'wafv2:UpdateIPSet': { Resource: s.ipSetArn },
    'rds:ModifyDBParameterGroup': { Resource: s.dbParameterGroupArn },
    'rds:RebootDBInstance': { Resource: s.dbInstanceArn },
    'rds:DescribeDBInstances': { Resource: s.dbInstanceArn },
    'ecs:UpdateService': { Resource: s.ecsServiceArn },
    'iam:UpdateAccessKey': { Resource: e.iamUsers.map((u) => `arn:aws:iam::${s.account}:user/${u}`) },
    'lambda:PutFunctionConcurrency': { Resource: e.lambdas.map((l) => `arn:aws:lambda:${t.region}:${s.account}:function:${l.name}`) },
    'eks:DescribeCluster': { Resource: `arn:aws:eks:${t.region}:${s.account}:cluster/${e.eks.cluster}` },
    'eks:UpdateClusterConfig': { Resource: `arn:aws:eks:${t.region}:${s.account}:cluster/${e.eks.cluster}` },
    // A node group's ARN ends in an id EKS assigns.
    'eks:DescribeNodegroup': { Resource: `arn:aws:eks:${t.region}:${s.account}:nodegroup/${e.eks.cluster}/${e.eks.nodegroup}/*` },
    'eks:UpdateNodegroupConfig': { Resource: `arn:aws:eks:${t.region}:${s.account}:nodegroup/${e.eks.cluster}/${e.eks.nodegroup}/*` },
    // The playbook protects the bucket a finding names: any of firedrill's buckets.
    's3:PutBucketVersioning': { Resource: `arn:aws:s3:::${t.prefix}-*` },
    's3:GetBucketPolicy': { Resource: `arn:aws:s3:::${t.prefix}-*` },
    's3:PutBucketPolicy': { Resource: `arn:aws:s3:::${t.prefix}-*` },
  };
  const statements: Statement[] = playbookActions(definitions).map((action) => {
    const scope = scoped[action];
    if (!scope) throw new Error(`a playbook calls ${action}, which the Step Functions policy does not scope; add it to infra/least-privilege.ts`);
    return { Sid: action.replace(/[^A-Za-z0-9]/g, ''), Effect: 'Allow', Action: [action], ...scope };
  });
  // What Step Functions needs to deliver execution logs to CloudWatch Logs (these actions take no resource ARN).
  statements.push({
    Sid: 'ExecutionLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
    Resource: '*',
  });
  return doc(...statements);
}

/** EventBridge Scheduler: invoke the detector, run the load task (passing it its two roles), nothing else. */
export function schedulerPolicy(s: PolicyScope, refs: { taskRoleArn: string; executionRoleArn: string }): PolicyDocument {
  const t = s.topology;
  return doc(
    { Sid: 'InvokeDetector', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [`arn:aws:lambda:${t.region}:${s.account}:function:${t.compute.functions.detector.name}`, `arn:aws:lambda:${t.region}:${s.account}:function:${t.compute.functions.detector.name}:*`] },
    { Sid: 'RunLoad', Effect: 'Allow', Action: ['ecs:RunTask'], Resource: t.compute.load.shardNames.map((n) => `arn:aws:ecs:${t.region}:${s.account}:task-definition/${n}:*`) },
    { Sid: 'PassLoadRoles', Effect: 'Allow', Action: ['iam:PassRole'], Resource: [refs.taskRoleArn, refs.executionRoleArn], Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } },
  );
}

/**
 * The load task sends through the sinks only (PutLogEvents into the topology's log groups, PutRecordBatch into the
 * WAF stream, access-log objects into their bucket) and reads the estate ids Terraform wrote.
 */
export function loadTaskPolicy(s: PolicyScope): PolicyDocument {
  const t = s.topology;
  const p = t.pipeline;
  const a = arns(s);
  return doc(
    { Sid: 'EstateIds', Effect: 'Allow', Action: ['s3:GetObject'], Resource: `${bucketArn(p.stateBucket)}/estate/*` },
    { Sid: 'SendLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: p.logGroups.map((g) => a.logGroup(g.name)) },
    { Sid: 'SendWaf', Effect: 'Allow', Action: ['firehose:PutRecordBatch'], Resource: `arn:aws:firehose:${t.region}:${s.account}:deliverystream/${p.wafDeliveryStream}` },
    { Sid: 'SendAccessLogs', Effect: 'Allow', Action: ['s3:PutObject'], Resource: `${bucketArn(p.accessLogBucket)}/*` },
  );
}
