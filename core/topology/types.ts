import type { Entities, SourceName } from '../vocabulary.ts';
import type { EstateDeclaration } from './estate-declaration.ts';

/**
 * The one declaration of everything firedrill creates: the pipeline under test and the simulated estate.
 * The emulator bootstrap creates it with SDK calls, infra/ renders it as Terraform; both read this.
 */
export interface LogGroupDecl {
  source: SourceName;
  /** Exactly as AWS names it, e.g. `/aws/lambda/checkout-api`. */
  name: string;
  /** Stream naming rule as AWS applies it, for documentation and generators (e.g. `<eni-id>`). */
  streamPattern: string;
  retentionDays: number;
  /** The declared shape of its lines (one of the source format's shapes); absent: detected per line. */
  shape?: string;
  /** A VPC flow log's custom format (field names or `${field}` tokens). */
  fields?: readonly string[];
  /** Entities every line of the group is about (a declared estate's groups that do not follow AWS's naming). */
  entities?: Entities;
}

/** A source map entry: groups whose name matches the glob `match` hold `source` lines (see estate-declaration.ts). */
export interface SourceRoute {
  match: string;
  source: SourceName;
  shape?: string;
  fields?: readonly string[];
  entities?: Entities;
}

export interface PipelineDecl {
  rawBucket: string;
  curatedBucket: string;
  /** Bucket AWS S3 server access logging writes to (the S3 sink writes here like log delivery does). */
  accessLogBucket: string;
  /** Detector state (baselines, models, template dictionary) lives here. */
  stateBucket: string;
  rawPrefix: string; // 'raw/'
  curatedPrefix: string; // 'curated/'
  quarantinePrefix: string; // 'quarantine/'
  /** Firehose stream fed by the CloudWatch Logs subscription filters. */
  cwlDeliveryStream: string;
  /** Firehose stream WAF logs to directly; AWS requires the `aws-waf-logs-` prefix. */
  wafDeliveryStream: string;
  subscriptionFilterName: string;
  logGroups: LogGroupDecl[];
  /** Patterns for log groups not in `logGroups` (groups outside firedrill's making); first match wins. */
  sourceMap?: SourceRoute[];
  /** S3 ObjectCreated on the raw bucket → this queue → normalizer. */
  rawEventsQueue: string;
  rawEventsDlq: string;
  findingsTable: string;
  /** Remediation audit records. */
  auditTable: string;
  alertsTopic: string;
  /** SQS subscription of the alerts topic → dispatcher. */
  alertsQueue: string;
  alertsDlq: string;
  roles: { firehose: string; cwlToFirehose: string; stepFunctions: string; lambda: string };
}

export interface EstateDecl {
  vpcCidr: string;
  subnets: { name: string; cidr: string; az: string }[];
  securityGroup: string;
  webInstances: { name: string; subnet: string }[];
  ecs: { cluster: string; service: string; taskFamily: string; containerName: string; desiredCount: number };
  rds: { dbInstanceId: string; dbName: string; engineVersion: string; parameterGroup: string; parameterGroupFamily: string; maxConnections: number };
  waf: { webAcl: string; ipSet: string };
  lambdas: { name: string; timeoutSeconds: number; memoryMb: number }[];
  iamUsers: string[];
  /** An application data bucket whose access is logged (S3 access logs source). */
  dataBucket: string;
  /** App service name (the Python service of the cascade; log group `/ecs/<app>`). */
  app: string;
  eks: EksDecl;
}

/** An EKS cluster with one managed node group; its control-plane logs and container logs go to CloudWatch Logs. */
export interface EksDecl {
  cluster: string;
  /** Kubernetes version, e.g. `1.31`. */
  version: string;
  /** Subnets (by name) the cluster's ENIs use; AWS wants two availability zones at least. */
  subnets: string[];
  nodegroup: string;
  /** The subnet (by name) the nodes run in: their names and addresses come from it. */
  nodeSubnet: string;
  instanceType: string;
  scaling: { minSize: number; desiredSize: number; maxSize: number };
  /** IAM roles EKS assumes for the cluster and the nodes (names; the roles are the estate's). */
  clusterRole: string;
  nodeRole: string;
}

/** An SQS event source mapping of a pipeline function (Lambda's own settings, which the local runtime mirrors). */
export interface QueueTriggerDecl {
  /** Name of the queue (one of the pipeline's queues). */
  queue: string;
  batchSize: number;
  /** MaximumBatchingWindowInSeconds: required above 10 messages per batch. */
  maximumBatchingWindowSeconds: number;
  /** ScalingConfig.MaximumConcurrency (2–1000): concurrent invocations this queue may drive. */
  maximumConcurrency: number;
}

/** A function of the reference pipeline: a Lambda on AWS, a worker of the local runtime on an emulator. */
export interface FunctionDecl {
  name: string;
  /** Its own execution role: least privilege per function. */
  role: string;
  /** Where Lambda writes its logs (`/aws/lambda/<name>`), created with a retention. */
  logGroup: string;
  logRetentionDays: number;
  memoryMb: number;
  timeoutSeconds: number;
  trigger?: QueueTriggerDecl;
}

/**
 * What runs the reference pipeline (the functions, their triggers, the schedule and the remediation state
 * machines) and the load generator as a scheduled task. infra/ renders all of it on AWS; on an emulator the local
 * runtime plays the functions and the schedule, and the harness deploys the state machines.
 */
export interface ComputeDecl {
  functions: { normalizer: FunctionDecl; detector: FunctionDecl; dispatcher: FunctionDecl };
  /** EventBridge Scheduler schedule that invokes the detector. */
  detectorSchedule: { name: string; expression: string };
  /** Role EventBridge Scheduler assumes to invoke the detector and run the load tasks. */
  schedulerRole: string;
  /** The remediation playbooks, one state machine each (`<prefix>-remediate-<playbook>`). */
  playbooks: string[];
  stateMachinePrefix: string;
  /** Log group of the state machines' execution history. */
  stateMachineLogGroup: string;
  /**
   * `firedrill load` as a scheduled Fargate task: per shard one task definition (FIREDRILL_SHARD=i/n in its
   * environment) and one schedule that runs it.
   */
  load: {
    cluster: string;
    containerName: string;
    repository: string;
    taskRole: string;
    executionRole: string;
    logGroup: string;
    /** The tasks' security group (outbound only). */
    securityGroup: string;
    /** Processes sending disjoint parts of the same traffic (`firedrill load --shard <i>/<n>`). */
    shards: number;
    /** Scheduler expression of the runs (each run is `--ticks` ticks of the load). */
    scheduleExpression: string;
    /** Ticks per run: a run lasts about this many minutes with the default every-minute load schedule. */
    ticksPerRun: number;
    /** Name of each shard's task definition family and schedule, `<prefix>-load-shard-<i>-of-<n>`. */
    shardNames: string[];
    cpu: number;
    memoryMb: number;
  };
}

/** A → B means A depends on B (a failure of B shows up later as symptoms in A). */
export interface DependencyEdge {
  from: string; // e.g. 'ecs:checkout'
  to: string; // e.g. 'app:checkout'
}

export interface Topology {
  prefix: string;
  region: string;
  pipeline: PipelineDecl;
  estate: EstateDecl;
  dependencies: DependencyEdge[];
  /** The declaration this topology was made from (absent: the defaults); handed to deployed handlers as is. */
  declaration?: EstateDeclaration;
  compute: ComputeDecl;
  /** Every resource firedrill creates carries these tags. */
  tags: Record<string, string>;
}

export interface EksIds {
  clusterName: string;
  clusterArn: string;
  /** The API server endpoint EKS gives the cluster. */
  endpoint: string;
  version: string;
  nodegroupName: string;
  nodegroupArn: string;
  /** The node group's nodes as Kubernetes names them (`ip-10-0-11-120.ec2.internal`), with their addresses. */
  nodes: { name: string; privateIp: string }[];
  roleArns: { cluster: string; node: string };
}

/**
 * What bootstrap() returns: the real identifiers AWS (or the emulator) assigned. `buckets.raw/curated/state`,
 * `queues`, `alertsTopicArn`, `findingsTable`, `auditTable` and `deliveryStreams` are the builtin pipeline's
 * plumbing: bootstrapped for a drill only by that SUT's own file, so an estate-only bootstrap leaves the queue URLs
 * and the topic ARN empty (the builtin's setup hook fills them in from what it created).
 */
export interface EstateIds {
  accountId: string;
  region: string;
  vpcId: string;
  subnetIds: Record<string, string>;
  securityGroupId: string;
  networkAclId: string;
  instances: { name: string; instanceId: string; eniId: string; privateIp: string; subnetId: string }[];
  ecs: { clusterArn: string; serviceArn: string; serviceName: string; clusterName: string; taskDefinitionArn: string };
  rds: { dbInstanceId: string; endpoint: string; parameterGroup: string; dbName: string };
  waf: { webAclArn: string; webAclId: string; webAclName: string; ipSetArn: string; ipSetId: string; ipSetName: string };
  lambdas: { name: string; arn: string }[];
  iamUsers: { userName: string; userId: string; arn: string; accessKeyId: string }[];
  eks: EksIds;
  buckets: { raw: string; curated: string; accessLogs: string; state: string; data: string };
  queues: { rawEvents: string; rawEventsDlq: string; alerts: string; alertsDlq: string };
  alertsTopicArn: string;
  findingsTable: string;
  auditTable: string;
  deliveryStreams: { cwl: string; waf: string };
  roles: Record<string, string>;
}
