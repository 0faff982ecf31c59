import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { defaultTopology, topologyInventory, type InventoryItem, type ResourceKind } from '../core/topology/index.ts';
import { FiredrillStack } from './firedrill-stack.ts';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** How each inventory kind shows up in Terraform: the resource type and how to read its AWS name. */
const TERRAFORM: Record<ResourceKind, { type: string; name: (r: Record<string, unknown>) => string | undefined }> = {
  's3-bucket': { type: 'aws_s3_bucket', name: (r) => r.bucket as string },
  'log-group': { type: 'aws_cloudwatch_log_group', name: (r) => r.name as string },
  'subscription-filter': { type: 'aws_cloudwatch_log_subscription_filter', name: (r) => `${r.log_group_name}:${r.name}` },
  'firehose-stream': { type: 'aws_kinesis_firehose_delivery_stream', name: (r) => r.name as string },
  'sqs-queue': { type: 'aws_sqs_queue', name: (r) => r.name as string },
  's3-notification': { type: 'aws_s3_bucket_notification', name: () => undefined },
  'dynamodb-table': { type: 'aws_dynamodb_table', name: (r) => r.name as string },
  'sns-topic': { type: 'aws_sns_topic', name: (r) => r.name as string },
  'sns-subscription': { type: 'aws_sns_topic_subscription', name: () => undefined },
  'iam-role': { type: 'aws_iam_role', name: (r) => r.name as string },
  vpc: { type: 'aws_vpc', name: (r) => (r.tags as Record<string, string>)?.Name },
  subnet: { type: 'aws_subnet', name: (r) => (r.tags as Record<string, string>)?.Name },
  'security-group': { type: 'aws_security_group', name: (r) => r.name as string },
  'network-acl': { type: 'aws_network_acl', name: (r) => (r.tags as Record<string, string>)?.Name },
  'ec2-instance': { type: 'aws_instance', name: (r) => (r.tags as Record<string, string>)?.Name },
  'ecs-cluster': { type: 'aws_ecs_cluster', name: (r) => r.name as string },
  'ecs-task-definition': { type: 'aws_ecs_task_definition', name: (r) => r.family as string },
  'ecs-service': { type: 'aws_ecs_service', name: (r) => r.name as string },
  'rds-parameter-group': { type: 'aws_db_parameter_group', name: (r) => r.name as string },
  'rds-instance': { type: 'aws_db_instance', name: (r) => r.identifier as string },
  'wafv2-ip-set': { type: 'aws_wafv2_ip_set', name: (r) => r.name as string },
  'wafv2-web-acl': { type: 'aws_wafv2_web_acl', name: (r) => r.name as string },
  'lambda-function': { type: 'aws_lambda_function', name: (r) => r.function_name as string },
  'iam-user': { type: 'aws_iam_user', name: (r) => r.name as string },
  'iam-access-key': { type: 'aws_iam_access_key', name: () => undefined },
  'eks-cluster': { type: 'aws_eks_cluster', name: (r) => r.name as string },
  'eks-nodegroup': { type: 'aws_eks_node_group', name: (r) => `${r.cluster_name as string}/${r.node_group_name as string}` },
};

function covered(resources: Resources, item: InventoryItem): boolean {
  const spec = TERRAFORM[item.kind];
  const ofType = Object.values(resources[spec.type] ?? {});
  const names = ofType.map(spec.name);
  // Kinds without an own name (notifications, subscriptions, keys) are counted instead of named.
  return names.includes(item.name) || (names.every((n) => n === undefined) && ofType.length > 0);
}

describe('infra: the topology as Terraform (cdktf)', () => {
  const topology = defaultTopology({ prefix: 'drilltest' });
  const synthesized = JSON.parse(Testing.synth(new FiredrillStack(Testing.app(), 'test', topology))) as { resource: Resources; provider: Record<string, unknown> };

  it('synthesizes a resource for every item of the topology inventory', () => {
    const missing = topologyInventory(topology).filter((item) => !covered(synthesized.resource, item));
    expect(missing).toEqual([]);
  });

  it('has as many access keys, subscriptions and filters as the inventory declares', () => {
    const inv = topologyInventory(topology);
    const count = (kind: ResourceKind) => inv.filter((i) => i.kind === kind).length;
    expect(Object.keys(synthesized.resource.aws_iam_access_key ?? {})).toHaveLength(count('iam-access-key'));
    expect(Object.keys(synthesized.resource.aws_cloudwatch_log_subscription_filter ?? {})).toHaveLength(count('subscription-filter'));
    expect(Object.keys(synthesized.resource.aws_sns_topic_subscription ?? {})).toHaveLength(count('sns-subscription'));
  });

  it('names the WAF log stream as AWS requires and tags everything as managed', () => {
    const streams = Object.values(synthesized.resource.aws_kinesis_firehose_delivery_stream ?? {}).map((r) => r.name as string);
    expect(streams.some((n) => n.startsWith('aws-waf-logs-'))).toBe(true);
    expect(JSON.stringify(synthesized.provider)).toContain('firedrill:managed');
  });

  it('passes cdktf validations', () => {
    expect(() => Testing.synth(new FiredrillStack(Testing.app(), 'validated', topology), true)).not.toThrow();
  });
});
