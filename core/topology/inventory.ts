import type { Topology } from './types.ts';

/** Kinds of resources a topology declares; each renderer (emulator bootstrap, Terraform) must create all. */
export const RESOURCE_KINDS = [
  's3-bucket', 'log-group', 'subscription-filter', 'firehose-stream', 'sqs-queue', 's3-notification', 'dynamodb-table',
  'sns-topic', 'sns-subscription', 'iam-role', 'vpc', 'subnet', 'security-group', 'network-acl', 'ec2-instance',
  'ecs-cluster', 'ecs-task-definition', 'ecs-service', 'rds-parameter-group', 'rds-instance', 'wafv2-ip-set',
  'wafv2-web-acl', 'lambda-function', 'iam-user', 'iam-access-key', 'eks-cluster', 'eks-nodegroup',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface InventoryItem {
  kind: ResourceKind;
  /** The name the resource carries in AWS (bucket name, log group name, queue name …). */
  name: string;
}

/**
 * The flat list of what a topology declares. Tests hold both renderers to it: bootstrap() must create
 * every item on the emulator, infra/ must synthesize a Terraform resource for every item.
 */
export function topologyInventory(t: Topology): InventoryItem[] {
  const p = t.pipeline;
  const e = t.estate;
  const items: InventoryItem[] = [];
  const add = (kind: ResourceKind, name: string) => items.push({ kind, name });
  for (const b of [p.rawBucket, p.curatedBucket, p.accessLogBucket, p.stateBucket, e.dataBucket]) add('s3-bucket', b);
  for (const g of p.logGroups) {
    add('log-group', g.name);
    add('subscription-filter', `${g.name}:${p.subscriptionFilterName}`);
  }
  add('firehose-stream', p.cwlDeliveryStream);
  add('firehose-stream', p.wafDeliveryStream);
  for (const q of [p.rawEventsQueue, p.rawEventsDlq, p.alertsQueue, p.alertsDlq]) add('sqs-queue', q);
  add('s3-notification', `${p.rawBucket}->${p.rawEventsQueue}`);
  add('dynamodb-table', p.findingsTable);
  add('dynamodb-table', p.auditTable);
  add('sns-topic', p.alertsTopic);
  add('sns-subscription', `${p.alertsTopic}->${p.alertsQueue}`);
  for (const r of Object.values(p.roles)) add('iam-role', r);
  add('vpc', `${t.prefix}-vpc`);
  for (const s of e.subnets) add('subnet', `${t.prefix}-${s.name}`);
  add('security-group', e.securityGroup);
  add('network-acl', `${t.prefix}-nacl`);
  for (const i of e.webInstances) add('ec2-instance', i.name);
  add('ecs-cluster', e.ecs.cluster);
  add('ecs-task-definition', e.ecs.taskFamily);
  add('ecs-service', e.ecs.service);
  add('rds-parameter-group', e.rds.parameterGroup);
  add('rds-instance', e.rds.dbInstanceId);
  add('wafv2-ip-set', e.waf.ipSet);
  add('wafv2-web-acl', e.waf.webAcl);
  for (const l of e.lambdas) add('lambda-function', l.name);
  for (const u of e.iamUsers) {
    add('iam-user', u);
    add('iam-access-key', u);
  }
  add('iam-role', e.eks.clusterRole);
  add('iam-role', e.eks.nodeRole);
  add('eks-cluster', e.eks.cluster);
  add('eks-nodegroup', `${e.eks.cluster}/${e.eks.nodegroup}`);
  return items;
}

/** Kinds of what runs the reference pipeline (and the load) on AWS: infra/ renders them; locally the runtime plays them. */
export const COMPUTE_KINDS = [
  'pipeline-function', 'function-role', 'function-log-group', 'event-source-mapping', 'schedule', 'state-machine',
  'ecs-cluster', 'ecs-task-definition', 'ecr-repository', 'iam-role', 'log-group', 'security-group',
] as const;
export type ComputeKind = (typeof COMPUTE_KINDS)[number];

export interface ComputeItem {
  kind: ComputeKind;
  name: string;
}

/**
 * The compute the topology declares: each pipeline function with its role, log group and (for the queue-fed ones)
 * event source mapping, the detector's schedule, one state machine per playbook, and the load as a scheduled task.
 * infra/ must synthesize all of it (a test holds it to this list).
 */
export function computeInventory(t: Topology): ComputeItem[] {
  const c = t.compute;
  const items: ComputeItem[] = [];
  const add = (kind: ComputeKind, name: string) => items.push({ kind, name });
  for (const f of Object.values(c.functions)) {
    add('pipeline-function', f.name);
    add('function-role', f.role);
    add('function-log-group', f.logGroup);
    if (f.trigger) add('event-source-mapping', `${f.trigger.queue}->${f.name}`);
  }
  add('schedule', c.detectorSchedule.name);
  add('iam-role', c.schedulerRole);
  for (const pb of c.playbooks) add('state-machine', `${c.stateMachinePrefix}${pb}`);
  add('log-group', c.stateMachineLogGroup);
  add('ecs-cluster', c.load.cluster);
  add('ecr-repository', c.load.repository);
  add('iam-role', c.load.taskRole);
  add('iam-role', c.load.executionRole);
  add('log-group', c.load.logGroup);
  add('security-group', c.load.securityGroup);
  for (const s of c.load.shardNames) {
    add('ecs-task-definition', s);
    add('schedule', s);
  }
  return items;
}
