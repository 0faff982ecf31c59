import { fieldList, type EstateDeclaration } from './estate-declaration.ts';
import type { FunctionDecl, LogGroupDecl, Topology } from './types.ts';

/**
 * What a topology is made from: an estate declaration (a scenario's or a SUT file's `estate:`). Every name left
 * out follows the prefix (default `firedrill`: lowercase letters, digits and dashes).
 */
export type TopologyOptions = EstateDeclaration & {
  /** Shards of the scheduled load task infra/ renders (default 1): n processes sending disjoint parts of the same traffic. Not part of the declaration. */
  loadShards?: number;
};

/**
 * The remediation playbooks the reference pipeline deploys, one state machine each. Declared here so every
 * renderer names the same state machines; a test holds the list to pipeline/remediate's playbooks.
 */
export const PLAYBOOK_STATE_MACHINES = [
  'waf-block-ips', 'nacl-deny-ip', 'sg-revoke-ingress', 'rds-raise-max-connections', 'iam-deactivate-access-key',
  'lambda-throttle', 's3-protect-bucket', 'ec2-stop-instance', 'ec2-isolate-instance', 'ecs-redeploy-service',
  'eks-restrict-endpoint', 'eks-scale-nodegroup',
] as const;

/** AWS's stream naming rule per source, for declared groups that do not state one. */
const STREAM_PATTERN: Record<string, string> = {
  vpcflow: '<eni-id>-all', cloudtrail: '<account-id>_CloudTrail_<region>', ec2: '<instance-id>', lambda: 'YYYY/MM/DD/[$LATEST]<32 hex>',
  rds: '<db-instance-id>', app: 'ecs/<container>/<task-id>', ecs: '<FargateTelemetry|AgentTelemetry>-<id>',
};

function declaredGroups(opts: TopologyOptions): LogGroupDecl[] {
  return (opts.logGroups ?? []).map((g) => {
    const fields = fieldList(g.fields);
    return {
      source: g.source,
      name: g.name,
      streamPattern: g.streamPattern ?? STREAM_PATTERN[g.source] ?? '<stream>',
      retentionDays: g.retentionDays ?? 14,
      ...(g.format ? { shape: g.format } : {}),
      ...(fields?.length ? { fields } : {}),
      ...(g.entities && Object.keys(g.entities).length ? { entities: { ...g.entities } } : {}),
    };
  });
}

/**
 * The topology every drill runs on: the pipeline under test and a small but complete estate.
 * Log group names follow AWS's own naming so generated data is indistinguishable from the real thing.
 */
export function defaultTopology(options: TopologyOptions = {}): Topology {
  const { loadShards, ...opts } = options;
  const p = opts.prefix ?? 'firedrill';
  if (!/^[a-z][a-z0-9-]{1,30}$/.test(p)) {
    throw new RangeError(`topology prefix: expected 2-31 lowercase letters, digits or dashes starting with a letter, got ${JSON.stringify(p)}`);
  }
  const region = opts.region ?? 'us-east-1';
  const shards = loadShards ?? 1;
  if (!(Number.isInteger(shards) && shards >= 1 && shards <= 64)) {
    throw new RangeError(`topology loadShards: expected a whole number from 1 to 64, got ${JSON.stringify(loadShards)}`);
  }
  const fn = (name: string, memoryMb: number, timeoutSeconds: number, trigger?: FunctionDecl['trigger']): FunctionDecl => ({
    name: `${p}-${name}`,
    role: `${p}-${name}-fn`,
    logGroup: `/aws/lambda/${p}-${name}`,
    logRetentionDays: 14,
    memoryMb,
    timeoutSeconds,
    ...(trigger ? { trigger } : {}),
  });
  const n = opts.names ?? {};
  const eksCluster = n.eksCluster ?? `${p}-eks`;
  const cluster = n.cluster ?? `${p}-cluster`;
  const service = n.service ?? n.app ?? 'checkout';
  const app = n.app ?? service;
  const db = n.database ?? `${p}-orders-db`;
  const defaultLambdas = [
    { name: `${p}-thumbnailer`, timeoutSeconds: 30, memoryMb: 128 },
    { name: `${p}-order-events`, timeoutSeconds: 15, memoryMb: 256 },
    { name: `${p}-report-builder`, timeoutSeconds: 60, memoryMb: 512 },
  ];
  // Declared functions take the default functions' settings in turn (the generators give each a habit).
  const lambdas = n.functions?.length ? n.functions.map((name, i) => ({ ...defaultLambdas[i % defaultLambdas.length]!, name })) : defaultLambdas;
  const instanceSubnets = ['public-a', 'public-b', 'public-a'];
  const webInstances = (n.instances?.length ? n.instances : [`${p}-web-1`, `${p}-web-2`, `${p}-bastion`]).map((name, i) => ({ name, subnet: instanceSubnets[i % instanceSubnets.length]! }));
  const ownGroups = declaredGroups(opts);
  const declaredSources = new Set(ownGroups.map((g) => g.source));
  const defaults: LogGroupDecl[] = [
    { source: 'vpcflow', name: `/${p}/vpc/flow-logs`, streamPattern: '<eni-id>-all', retentionDays: 14 },
    { source: 'cloudtrail', name: `aws-cloudtrail-logs-${p}`, streamPattern: '<account-id>_CloudTrail_<region>', retentionDays: 14 },
    { source: 'ec2', name: `/${p}/ec2/secure`, streamPattern: '<instance-id>', retentionDays: 14 },
    { source: 'ec2', name: `/${p}/ec2/messages`, streamPattern: '<instance-id>', retentionDays: 14 },
    ...lambdas.map((l) => ({ source: 'lambda' as const, name: `/aws/lambda/${l.name}`, streamPattern: 'YYYY/MM/DD/[$LATEST]<32 hex>', retentionDays: 14 })),
    { source: 'rds', name: `/aws/rds/instance/${db}/postgresql`, streamPattern: '<db-instance-id>', retentionDays: 14 },
    { source: 'app', name: `/ecs/${app}`, streamPattern: 'ecs/<container>/<task-id>', retentionDays: 14 },
    { source: 'ecs', name: `/aws/ecs/containerinsights/${cluster}/performance`, streamPattern: '<FargateTelemetry|AgentTelemetry>-<id>', retentionDays: 14 },
    { source: 'ecs', name: `/aws/events/ecs/${cluster}`, streamPattern: '<service>', retentionDays: 14 },
    {
      source: 'eks',
      name: `/aws/eks/${eksCluster}/cluster`,
      streamPattern: 'kube-apiserver-<32 hex> | kube-apiserver-audit-<32 hex> | authenticator-<32 hex> | kube-controller-manager-<32 hex> | kube-scheduler-<32 hex>',
      retentionDays: 14,
    },
    {
      source: 'eks',
      name: `/aws/containerinsights/${eksCluster}/application`,
      streamPattern: '<node>-application.var.log.containers.<pod>_<namespace>_<container>-<64 hex>.log',
      retentionDays: 14,
    },
  ];
  const sourceMap = (opts.sourceMap ?? []).map((r) => {
    const fields = fieldList(r.fields);
    return { match: r.match, source: r.source, ...(r.format ? { shape: r.format } : {}), ...(fields?.length ? { fields } : {}), ...(r.entities ? { entities: { ...r.entities } } : {}) };
  });
  const declared = Object.values(opts).some((v) => v !== undefined);
  return {
    prefix: p,
    region,
    ...(declared ? { declaration: opts } : {}),
    tags: { 'firedrill:managed': 'true', 'firedrill:prefix': p },
    pipeline: {
      rawBucket: `${p}-raw`,
      curatedBucket: `${p}-curated`,
      accessLogBucket: `${p}-access-logs`,
      stateBucket: `${p}-detector-state`,
      rawPrefix: 'raw/',
      curatedPrefix: 'curated/',
      quarantinePrefix: 'quarantine/',
      cwlDeliveryStream: `${p}-cwl-to-s3`,
      wafDeliveryStream: `aws-waf-logs-${p}`,
      subscriptionFilterName: `${p}-to-firehose`,
      // A source the estate declares groups for has exactly those; the others keep their defaults.
      logGroups: [...defaults.filter((g) => !declaredSources.has(g.source)), ...ownGroups],
      ...(sourceMap.length ? { sourceMap } : {}),
      rawEventsQueue: `${p}-raw-events`,
      rawEventsDlq: `${p}-raw-events-dlq`,
      findingsTable: `${p}-findings`,
      auditTable: `${p}-remediation-audit`,
      alertsTopic: `${p}-alerts`,
      alertsQueue: `${p}-alerts-dispatch`,
      alertsDlq: `${p}-alerts-dispatch-dlq`,
      roles: {
        firehose: `${p}-firehose-delivery`,
        cwlToFirehose: `${p}-cwl-to-firehose`,
        stepFunctions: `${p}-remediation`,
        lambda: `${p}-pipeline-handlers`,
      },
    },
    estate: {
      vpcCidr: '10.0.0.0/16',
      subnets: [
        { name: 'public-a', cidr: '10.0.1.0/24', az: `${region}a` },
        { name: 'public-b', cidr: '10.0.2.0/24', az: `${region}b` },
        { name: 'private-a', cidr: '10.0.11.0/24', az: `${region}a` },
      ],
      securityGroup: n.securityGroup ?? `${p}-web`,
      webInstances,
      ecs: { cluster, service, taskFamily: n.taskFamily ?? `${p}-${service}`, containerName: app, desiredCount: 3 },
      rds: { dbInstanceId: db, dbName: n.dbName ?? 'orders', engineVersion: '16.3', parameterGroup: n.parameterGroup ?? `${p}-pg16`, parameterGroupFamily: 'postgres16', maxConnections: 100 },
      waf: { webAcl: n.webAcl ?? `${p}-web-acl`, ipSet: n.ipSet ?? `${p}-blocked-ips` },
      lambdas,
      iamUsers: n.iamUsers?.length ? [...n.iamUsers] : ['alice', 'bob', 'carol', 'deploy-bot', 'etl-service'],
      dataBucket: n.dataBucket ?? `${p}-app-data`,
      app,
      eks: {
        cluster: eksCluster,
        version: '1.31',
        subnets: ['public-a', 'public-b', 'private-a'],
        nodegroup: `${p}-workers`,
        nodeSubnet: 'private-a',
        instanceType: 't3.large',
        scaling: { minSize: 3, desiredSize: 3, maxSize: 6 },
        clusterRole: `${p}-eks-cluster`,
        nodeRole: `${p}-eks-nodes`,
      },
    },
    // The service's tasks (and its cluster, which is all a Container Insights line names) depend on the app, the
    // app on the database: the chain the cascade follows.
    dependencies: opts.dependencies
      ? opts.dependencies.map((e) => ({ from: e.from, to: e.to }))
      : [
          { from: `ecs:${service}`, to: `app:${app}` },
          ...(cluster !== service ? [{ from: `ecs:${cluster}`, to: `app:${app}` }] : []),
          { from: `app:${app}`, to: `rds:${db}` },
        ],
    compute: {
      functions: {
        // Up to 100 notifications per invocation, gathered for at most 5 s (the normalizer writes one curated object
        // per partition per invocation, so bigger batches make fewer, larger objects); the queue's visibility
        // timeout (120 s) stays above six times the timeout, as AWS advises for SQS triggers.
        normalizer: fn('normalizer', 1024, 20, { queue: `${p}-raw-events`, batchSize: 100, maximumBatchingWindowSeconds: 5, maximumConcurrency: 10 }),
        // Catches up on every due window per invocation (at most 60); one at a time, its state lives in S3.
        detector: fn('detector', 1024, 300),
        // Starts executions and writes audit records; infra gives the alerts queue 120 s of visibility (6 × 20 s).
        dispatcher: fn('dispatcher', 256, 20, { queue: `${p}-alerts-dispatch`, batchSize: 10, maximumBatchingWindowSeconds: 0, maximumConcurrency: 2 }),
      },
      detectorSchedule: { name: `${p}-detector-every-minute`, expression: 'rate(1 minute)' },
      schedulerRole: `${p}-scheduler`,
      playbooks: [...PLAYBOOK_STATE_MACHINES],
      stateMachinePrefix: `${p}-remediate-`,
      stateMachineLogGroup: `/aws/vendedlogs/states/${p}-remediate`,
      load: {
        cluster: `${p}-load`,
        containerName: 'firedrill',
        repository: `${p}/firedrill`,
        taskRole: `${p}-load-task`,
        executionRole: `${p}-load-execution`,
        logGroup: `/ecs/${p}-load`,
        securityGroup: `${p}-load`,
        shards,
        scheduleExpression: 'rate(1 hour)',
        ticksPerRun: 55,
        shardNames: Array.from({ length: shards }, (_, i) => `${p}-load-shard-${i}-of-${shards}`),
        cpu: 1024,
        memoryMb: 2048,
      },
    },
  };
}
