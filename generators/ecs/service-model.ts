import { createRng } from '../../core/index.ts';
import type { EntityPools } from '../types.ts';

export interface ServiceTask {
  /** 32 lowercase hex characters, as ECS task ids are. */
  taskId: string;
  /** The task's ENI address in the private subnet: what RDS sees as the client host. */
  ip: string;
  az: string;
}

/**
 * The ECS service of the cascade as every generator sees it. Task ids, addresses and the target group are
 * derived from the estate identifiers alone (never from a stream's rng), so the app's log streams, the
 * database's client addresses and Container Insights agree on them without sharing random state.
 */
export interface ServiceModel {
  accountId: string;
  region: string;
  cluster: string;
  clusterArn: string;
  service: string;
  serviceArn: string;
  container: string;
  taskFamily: string;
  taskDefinitionArn: string;
  desiredCount: number;
  /** The port the container listens on and the target group checks. */
  containerPort: number;
  targetGroupArn: string;
  /** The service deployment that starts the tasks (`startedBy` of a service's tasks). */
  deploymentId: string;
  /** The tasks running at the start of any window (the service at steady state). */
  tasks: ServiceTask[];
  /** `/ecs/<app>` */
  appLogGroup: string;
  perfLogGroup: string;
  eventsLogGroup: string;
  /** Fargate task size (CPU units, MiB) — what Container Insights reports as reserved. */
  cpuReserved: number;
  memoryReserved: number;
  /** The estate's subnet id in an availability zone (task ENIs are attached there). */
  subnetIdOf(az: string): string;
}

function logGroup(pools: EntityPools, source: 'app' | 'ecs', test: (name: string) => boolean, fallback: string): string {
  // A group named as AWS names it first; else a declared estate's own group of that source (any name).
  const groups = pools.topology.pipeline.logGroups.filter((g) => g.source === source);
  return groups.find((g) => test(g.name))?.name ?? groups[0]?.name ?? fallback;
}

/** Derives task ids deterministically: `seedPath` lets a replacement task get its own stable id. */
export function taskIdFor(serviceArn: string, seedPath: string): string {
  return createRng(`${serviceArn}/${seedPath}`).hex(32);
}

export function serviceModel(pools: EntityPools): ServiceModel {
  const { topology, estate } = pools;
  const decl = topology.estate.ecs;
  const cluster = estate.ecs.clusterName;
  const service = estate.ecs.serviceName;
  const r = createRng(`service-model/${estate.ecs.serviceArn}`);
  const privateSubnets = topology.estate.subnets.filter((s) => s.name.startsWith('private'));
  const subnets = privateSubnets.length > 0 ? privateSubnets : topology.estate.subnets;
  const tasks: ServiceTask[] = [];
  for (let i = 0; i < decl.desiredCount; i++) {
    const subnet = subnets[i % subnets.length]!;
    const [a, b, c] = subnet.cidr.split('/')[0]!.split('.');
    tasks.push({ taskId: taskIdFor(estate.ecs.serviceArn, `task/${i}`), ip: `${a}.${b}.${c}.${100 + r.int(0, 150)}`, az: subnet.az });
  }
  return {
    accountId: estate.accountId,
    region: estate.region,
    cluster,
    clusterArn: estate.ecs.clusterArn,
    service,
    serviceArn: estate.ecs.serviceArn,
    container: decl.containerName,
    taskFamily: decl.taskFamily,
    taskDefinitionArn: estate.ecs.taskDefinitionArn,
    desiredCount: decl.desiredCount,
    containerPort: 8000,
    targetGroupArn: `arn:aws:elasticloadbalancing:${estate.region}:${estate.accountId}:targetgroup/${`${topology.prefix}-${service}`.slice(0, 32)}/${r.hex(16)}`,
    deploymentId: `ecs-svc/${String(r.int(1_000_000_000, 9_999_999_999))}${String(r.int(100_000_000, 999_999_999))}`,
    tasks,
    appLogGroup: logGroup(pools, 'app', (n) => n.startsWith('/ecs/'), `/ecs/${topology.estate.app}`),
    perfLogGroup: logGroup(pools, 'ecs', (n) => n.endsWith('/performance'), `/aws/ecs/containerinsights/${cluster}/performance`),
    eventsLogGroup: logGroup(pools, 'ecs', (n) => n.startsWith('/aws/events/ecs/'), `/aws/events/ecs/${cluster}`),
    cpuReserved: 512,
    memoryReserved: 1024,
    subnetIdOf: (az) => {
      const subnet = subnets.find((s) => s.az === az) ?? subnets[0]!;
      return estate.subnetIds[subnet.name] ?? `subnet-0${r.fork(subnet.name).hex(16)}`;
    },
  };
}

/** The awslogs stream of a task: `ecs/<container>/<task-id>` (awslogs-stream-prefix `ecs`). */
export function appStreamOf(model: ServiceModel, taskId: string): string {
  return `ecs/${model.container}/${taskId}`;
}

/** Container Insights on Fargate writes each task's telemetry to `FargateTelemetry-<n>`. */
export function telemetryStreamOf(taskId: string): string {
  return `FargateTelemetry-${parseInt(taskId.slice(0, 4), 16) % 10000}`;
}
