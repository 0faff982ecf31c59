import type { Topology } from './types.ts';

export interface TopologyOptions {
  /** Name prefix of every resource (default `firedrill`). Lowercase letters, digits and dashes. */
  prefix?: string;
  region?: string;
}

/**
 * The topology every drill runs on: the pipeline under test and a small but complete estate.
 * Log group names follow AWS's own naming so generated data is indistinguishable from the real thing.
 */
export function defaultTopology(opts: TopologyOptions = {}): Topology {
  const p = opts.prefix ?? 'firedrill';
  if (!/^[a-z][a-z0-9-]{1,30}$/.test(p)) {
    throw new RangeError(`topology prefix: expected 2-31 lowercase letters, digits or dashes starting with a letter, got ${JSON.stringify(p)}`);
  }
  const region = opts.region ?? 'us-east-1';
  const cluster = `${p}-cluster`;
  const eksCluster = `${p}-eks`;
  const app = 'checkout';
  const db = `${p}-orders-db`;
  const lambdas = [
    { name: `${p}-thumbnailer`, timeoutSeconds: 30, memoryMb: 128 },
    { name: `${p}-order-events`, timeoutSeconds: 15, memoryMb: 256 },
    { name: `${p}-report-builder`, timeoutSeconds: 60, memoryMb: 512 },
  ];
  return {
    prefix: p,
    region,
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
      logGroups: [
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
      ],
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
      securityGroup: `${p}-web`,
      webInstances: [
        { name: `${p}-web-1`, subnet: 'public-a' },
        { name: `${p}-web-2`, subnet: 'public-b' },
        { name: `${p}-bastion`, subnet: 'public-a' },
      ],
      ecs: { cluster, service: app, taskFamily: `${p}-${app}`, containerName: app, desiredCount: 3 },
      rds: { dbInstanceId: db, dbName: 'orders', engineVersion: '16.3', parameterGroup: `${p}-pg16`, parameterGroupFamily: 'postgres16', maxConnections: 100 },
      waf: { webAcl: `${p}-web-acl`, ipSet: `${p}-blocked-ips` },
      lambdas,
      iamUsers: ['alice', 'bob', 'carol', 'deploy-bot', 'etl-service'],
      dataBucket: `${p}-app-data`,
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
    dependencies: [
      { from: `ecs:${app}`, to: `app:${app}` },
      { from: `app:${app}`, to: `rds:${db}` },
    ],
  };
}
