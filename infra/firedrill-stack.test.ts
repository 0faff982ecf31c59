import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeInventory, defaultTopology, topologyInventory, PLAYBOOK_STATE_MACHINES, type ComputeKind, type InventoryItem, type ResourceKind } from '../core/topology/index.ts';
import { HANDLER_ENVIRONMENT } from '../pipeline/handlers/index.ts';
import { assertSdkActionsExist, playbookContext, playbookDefinition, PLAYBOOK_NAMES, stateMachineName } from '../pipeline/remediate/index.ts';
import { bundleHandlers, HANDLER_NAMES, LAMBDA_HANDLER, type HandlerBundle } from './bundle-handlers.ts';
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

type Resource = Record<string, unknown>;
type Synth = { resource: Resources; provider: Record<string, unknown>; variable: Record<string, unknown> };

/** How each compute kind shows up in Terraform; an event source mapping is named `<queue>-><function>` through its references. */
const COMPUTE: Record<ComputeKind, { type: string; name: (r: Resource, s: Synth) => string | undefined }> = {
  'pipeline-function': { type: 'aws_lambda_function', name: (r) => r.function_name as string },
  'function-role': { type: 'aws_iam_role', name: (r) => r.name as string },
  'function-log-group': { type: 'aws_cloudwatch_log_group', name: (r) => r.name as string },
  'event-source-mapping': { type: 'aws_lambda_event_source_mapping', name: (r, s) => `${referenced(s, r.event_source_arn)?.name}->${referenced(s, r.function_name)?.function_name}` },
  schedule: { type: 'aws_scheduler_schedule', name: (r) => r.name as string },
  'state-machine': { type: 'aws_sfn_state_machine', name: (r) => r.name as string },
  'ecs-cluster': { type: 'aws_ecs_cluster', name: (r) => r.name as string },
  'ecs-task-definition': { type: 'aws_ecs_task_definition', name: (r) => r.family as string },
  'ecr-repository': { type: 'aws_ecr_repository', name: (r) => r.name as string },
  'iam-role': { type: 'aws_iam_role', name: (r) => r.name as string },
  'log-group': { type: 'aws_cloudwatch_log_group', name: (r) => r.name as string },
  'security-group': { type: 'aws_security_group', name: (r) => r.name as string },
};

/** The resource a `${type.id.attribute}` reference points at. */
function referenced(s: Synth, ref: unknown): Resource | undefined {
  const m = /^\$\{([\w-]+)\.([\w-]+)\.[\w.]+\}$/.exec(String(ref));
  return m ? s.resource[m[1]!]?.[m[2]!] : undefined;
}

function covered(resources: Resources, item: InventoryItem): boolean {
  const spec = TERRAFORM[item.kind];
  const ofType = Object.values(resources[spec.type] ?? {});
  const names = ofType.map(spec.name);
  // Kinds without an own name (notifications, subscriptions, keys) are counted instead of named.
  return names.includes(item.name) || (names.every((n) => n === undefined) && ofType.length > 0);
}

const of = (s: Synth, type: string) => Object.values(s.resource[type] ?? {});

describe('infra: the topology and the reference pipeline as Terraform (cdktf)', () => {
  const topology = defaultTopology({ prefix: 'drilltest', loadShards: 3 });
  let bundles: Record<(typeof HANDLER_NAMES)[number], HandlerBundle>;
  let synthesized: Synth;

  beforeAll(async () => {
    bundles = await bundleHandlers({ outdir: mkdtempSync(join(tmpdir(), 'firedrill-bundles-')) });
    synthesized = JSON.parse(Testing.synth(new FiredrillStack(Testing.app(), 'test', topology, bundles))) as Synth;
  }, 180_000);

  it('synthesizes a resource for every item of the topology inventory', () => {
    const missing = topologyInventory(topology).filter((item) => !covered(synthesized.resource, item));
    expect(missing).toEqual([]);
  });

  it('synthesizes the compute of the inventory: functions, roles, log groups, triggers, schedules, state machines, the load', () => {
    const missing = computeInventory(topology).filter((item) => !of(synthesized, COMPUTE[item.kind].type).map((r) => COMPUTE[item.kind].name(r, synthesized)).includes(item.name));
    expect(missing).toEqual([]);
    expect(of(synthesized, 'aws_lambda_function').map((r) => r.function_name)).toEqual(expect.arrayContaining(Object.values(topology.compute.functions).map((f) => f.name)));
  });

  it('synthesizes nothing the inventories do not name: every named resource of an inventoried type is in one of them', () => {
    const named = new Map<string, Set<string>>();
    const add = (type: string, name: string) => named.set(type, (named.get(type) ?? new Set()).add(name));
    for (const item of topologyInventory(topology)) add(TERRAFORM[item.kind].type, item.name);
    for (const item of computeInventory(topology)) add(COMPUTE[item.kind].type, item.name);
    const readers = new Map<string, (r: Resource, s: Synth) => string | undefined>();
    for (const spec of [...Object.values(TERRAFORM), ...Object.values(COMPUTE)]) if (!readers.has(spec.type)) readers.set(spec.type, spec.name);
    const extra: string[] = [];
    for (const [type, read] of readers) {
      for (const r of of(synthesized, type)) {
        const name = read(r, synthesized);
        if (name !== undefined && !named.get(type)?.has(name)) extra.push(`${type} ${name}`);
      }
    }
    expect(extra).toEqual([]);
  });

  it('has as many access keys, subscriptions and filters as the inventory declares', () => {
    const inv = topologyInventory(topology);
    const count = (kind: ResourceKind) => inv.filter((i) => i.kind === kind).length;
    expect(Object.keys(synthesized.resource.aws_iam_access_key ?? {})).toHaveLength(count('iam-access-key'));
    expect(Object.keys(synthesized.resource.aws_cloudwatch_log_subscription_filter ?? {})).toHaveLength(count('subscription-filter'));
    expect(Object.keys(synthesized.resource.aws_sns_topic_subscription ?? {})).toHaveLength(count('sns-subscription'));
  });

  it('names the WAF log stream as AWS requires and tags everything as managed', () => {
    const streams = of(synthesized, 'aws_kinesis_firehose_delivery_stream').map((r) => r.name as string);
    expect(streams.some((n) => n.startsWith('aws-waf-logs-'))).toBe(true);
    expect(JSON.stringify(synthesized.provider)).toContain('firedrill:managed');
  });

  it('runs each handler from its bundle on Node 20 with exactly the environment the handler reads and its own role and log group', () => {
    for (const name of HANDLER_NAMES) {
      const decl = topology.compute.functions[name];
      const fn = of(synthesized, 'aws_lambda_function').find((r) => r.function_name === decl.name)!;
      expect(fn.runtime).toBe('nodejs20.x');
      expect(fn.handler).toBe(LAMBDA_HANDLER);
      expect(fn.source_code_hash).toBe(bundles[name].sha256);
      expect(Object.keys((fn.environment as { variables: Record<string, string> }).variables).sort()).toEqual([...HANDLER_ENVIRONMENT[name]].sort());
      expect(referenced(synthesized, fn.role)?.name).toBe(decl.role);
      const logs = of(synthesized, 'aws_cloudwatch_log_group').find((r) => r.name === decl.logGroup)!;
      expect(logs.retention_in_days).toBe(decl.logRetentionDays);
      expect(of(synthesized, 'aws_iam_role_policy').some((p) => referenced(synthesized, p.role)?.name === decl.role)).toBe(true);
    }
  });

  it('feeds the normalizer and the dispatcher from their queues with partial batch responses, batching and scaling as declared', () => {
    const mappings = of(synthesized, 'aws_lambda_event_source_mapping');
    expect(mappings).toHaveLength(2);
    for (const name of ['normalizer', 'dispatcher'] as const) {
      const trigger = topology.compute.functions[name].trigger!;
      const m = mappings.find((r) => referenced(synthesized, r.function_name)?.function_name === topology.compute.functions[name].name)!;
      expect(referenced(synthesized, m.event_source_arn)?.name).toBe(trigger.queue);
      expect(m.batch_size).toBe(trigger.batchSize);
      expect(m.maximum_batching_window_in_seconds).toBe(trigger.maximumBatchingWindowSeconds);
      expect(m.function_response_types).toEqual(['ReportBatchItemFailures']);
      expect(m.scaling_config).toEqual({ maximum_concurrency: trigger.maximumConcurrency });
    }
    // Lambda refuses an SQS trigger whose visibility timeout is shorter than the function's timeout.
    const alerts = of(synthesized, 'aws_sqs_queue').find((q) => q.name === topology.pipeline.alertsQueue)!;
    expect(alerts.visibility_timeout_seconds as number).toBeGreaterThanOrEqual(topology.compute.functions.dispatcher.timeoutSeconds);
  });

  it('invokes the detector every minute through EventBridge Scheduler with the scheduled time as its clock', () => {
    const s = of(synthesized, 'aws_scheduler_schedule').find((r) => r.name === topology.compute.detectorSchedule.name)!;
    expect(s.schedule_expression).toBe('rate(1 minute)');
    const target = s.target as { arn: string; input: string };
    expect(referenced(synthesized, target.arn)?.function_name).toBe(topology.compute.functions.detector.name);
    expect(JSON.parse(target.input)).toEqual({ time: '<aws.scheduler.scheduled-time>' });
  });

  it('renders every playbook with the definition deploy builds for AWS (the same builder, the same validation)', async () => {
    expect([...PLAYBOOK_STATE_MACHINES].sort()).toEqual([...PLAYBOOK_NAMES].sort());
    const ctx = playbookContext('aws', { auditTable: topology.pipeline.auditTable, notifyTopicArn: '${aws_sns_topic.alerts_topic.arn}' });
    for (const pb of PLAYBOOK_NAMES) {
      const sm = of(synthesized, 'aws_sfn_state_machine').find((r) => r.name === stateMachineName(topology, pb))!;
      const def = playbookDefinition(pb, ctx);
      expect(sm.definition).toBe(JSON.stringify(def));
      await assertSdkActionsExist(pb, def);
    }
  });

  it('runs one load task per shard, the shard in its environment, each on its own schedule', () => {
    const tasks = of(synthesized, 'aws_ecs_task_definition').filter((r) => String(r.family).includes('-load-shard-'));
    const shards = tasks.map((r) => (JSON.parse(r.container_definitions as string) as { environment: { name: string; value: string }[]; command: string[] }[])[0]!);
    expect(shards.map((c) => c.environment.find((e) => e.name === 'FIREDRILL_SHARD')?.value).sort()).toEqual(['0/3', '1/3', '2/3']);
    expect(shards.every((c) => c.command.includes('--yes') && c.command.includes('aws'))).toBe(true);
    const schedules = of(synthesized, 'aws_scheduler_schedule').filter((r) => String(r.name).includes('-load-shard-'));
    expect(schedules.map((r) => referenced(synthesized, (r.target as { ecs_parameters: { task_definition_arn: string } }).ecs_parameters.task_definition_arn)?.family).sort()).toEqual(topology.compute.load.shardNames);
    // Nothing runs (and nothing is billed) until the image is pushed and the variable is set.
    expect(schedules.every((r) => String(r.state).includes('var.load_schedule_state'))).toBe(true);
  });

  it('writes the estate ids the deployed dispatcher reads', () => {
    const obj = of(synthesized, 'aws_s3_object').find((r) => r.key === 'estate/ids.json')!;
    expect(referenced(synthesized, obj.bucket)?.bucket).toBe(topology.pipeline.stateBucket);
    for (const field of ['accountId', 'instances', 'waf', 'networkAclId', 'auditTable']) expect(String(obj.content)).toContain(field);
  });

  it('passes cdktf validations', () => {
    expect(() => Testing.synth(new FiredrillStack(Testing.app(), 'validated', topology, bundles), true)).not.toThrow();
  });
});
