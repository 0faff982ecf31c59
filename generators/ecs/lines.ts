import type { Rng } from '../../core/index.ts';
import { serializeEcs, type JsonObject } from '../../formats/index.ts';
import type { GeneratedEvent, TruthLabel } from '../types.ts';
import { telemetryStreamOf, type ServiceModel } from './service-model.ts';

function withLabel(ev: GeneratedEvent, label?: TruthLabel): GeneratedEvent {
  if (label) ev.label = label;
  return ev;
}

function perfEvent(model: ServiceModel, stream: string, time: number, event: JsonObject, label?: TruthLabel): GeneratedEvent {
  return withLabel({ time, source: 'ecs', dest: { kind: 'cwl', logGroup: model.perfLogGroup, logStream: stream }, message: serializeEcs({ kind: 'performance', event }) }, label);
}

function eventsEvent(model: ServiceModel, time: number, message: string, label?: TruthLabel): GeneratedEvent {
  return withLabel({ time, source: 'ecs', dest: { kind: 'cwl', logGroup: model.eventsLogGroup, logStream: model.service }, message }, label);
}

/** The stream Container Insights writes the service-level events to. */
export function serviceTelemetryStream(model: ServiceModel): string {
  return telemetryStreamOf(model.serviceArn.replace(/[^0-9a-f]/g, '').slice(-8).padStart(4, '0'));
}

export interface TaskTimes {
  createdAt: number;
  pullStartedAt: number;
  pullStoppedAt: number;
  startedAt: number;
}

/** A task's lifecycle stamps, derived from when it was created (image pull and start take seconds). */
export function taskTimes(rng: Rng, createdAt: number): TaskTimes {
  const pullStartedAt = createdAt + rng.int(800, 3000);
  const pullStoppedAt = pullStartedAt + rng.int(2000, 9000);
  return { createdAt, pullStartedAt, pullStoppedAt, startedAt: pullStoppedAt + rng.int(300, 1500) };
}

export interface TaskUsage {
  cpu: number;
  memory: number;
  rxBytes: number;
  txBytes: number;
}

/** Container Insights `Type: Task` on Fargate (no container instance or EC2 id), metrics per second. */
export function perfTaskEvent(model: ServiceModel, taskId: string, az: string, times: TaskTimes, minute: number, u: TaskUsage, label?: TruthLabel): GeneratedEvent {
  const event: JsonObject = {
    Version: '0',
    Type: 'Task',
    TaskId: taskId,
    TaskDefinitionFamily: model.taskFamily,
    TaskDefinitionRevision: model.taskDefinitionArn.split(':').pop() ?? '1',
    ClusterName: model.cluster,
    AccountID: model.accountId,
    Region: model.region,
    AvailabilityZone: az,
    KnownStatus: 'RUNNING',
    LaunchType: 'FARGATE',
    PullStartedAt: times.pullStartedAt,
    PullStoppedAt: times.pullStoppedAt,
    CreatedAt: times.createdAt,
    StartedAt: times.startedAt,
    Timestamp: minute,
    CpuUtilized: Math.round(u.cpu * 1000) / 1000,
    CpuReserved: model.cpuReserved,
    MemoryUtilized: Math.round(u.memory),
    MemoryReserved: model.memoryReserved,
    StorageReadBytes: 0,
    StorageWriteBytes: 0,
    NetworkRxBytes: Math.round(u.rxBytes),
    NetworkRxDropped: 0,
    NetworkRxErrors: 0,
    NetworkRxPackets: Math.round(u.rxBytes / 700),
    NetworkTxBytes: Math.round(u.txBytes),
    NetworkTxDropped: 0,
    NetworkTxErrors: 0,
    NetworkTxPackets: Math.round(u.txBytes / 900),
    CloudWatchMetrics: [
      {
        Namespace: 'ECS/ContainerInsights',
        Metrics: [
          { Name: 'CpuUtilized', Unit: 'None' },
          { Name: 'CpuReserved', Unit: 'None' },
          { Name: 'MemoryUtilized', Unit: 'Megabytes' },
          { Name: 'MemoryReserved', Unit: 'Megabytes' },
          { Name: 'StorageReadBytes', Unit: 'Bytes/Second' },
          { Name: 'StorageWriteBytes', Unit: 'Bytes/Second' },
          { Name: 'NetworkRxBytes', Unit: 'Bytes/Second' },
          { Name: 'NetworkTxBytes', Unit: 'Bytes/Second' },
        ],
        Dimensions: [['ClusterName'], ['ClusterName', 'TaskDefinitionFamily']],
      },
    ],
  };
  return perfEvent(model, telemetryStreamOf(taskId), minute, event, label);
}

/** Container Insights `Type: Service`: the counts the cascade's last link moves. */
export function perfServiceEvent(model: ServiceModel, minute: number, counts: { desired: number; running: number; pending: number; deployments?: number }, label?: TruthLabel): GeneratedEvent {
  const event: JsonObject = {
    Version: '0',
    Type: 'Service',
    ServiceName: model.service,
    ClusterName: model.cluster,
    Timestamp: minute,
    DesiredTaskCount: counts.desired,
    RunningTaskCount: counts.running,
    PendingTaskCount: counts.pending,
    DeploymentCount: counts.deployments ?? 1,
    TaskSetCount: 0,
    CloudWatchMetrics: [
      {
        Namespace: 'ECS/ContainerInsights',
        Metrics: [
          { Name: 'DesiredTaskCount', Unit: 'Count' },
          { Name: 'RunningTaskCount', Unit: 'Count' },
          { Name: 'PendingTaskCount', Unit: 'Count' },
          { Name: 'DeploymentCount', Unit: 'Count' },
          { Name: 'TaskSetCount', Unit: 'Count' },
        ],
        Dimensions: [['ServiceName', 'ClusterName']],
      },
    ],
  };
  return perfEvent(model, serviceTelemetryStream(model), minute, event, label);
}

/** A DescribeServices ServiceEvent as the service-events forwarder writes it (see formats/ecs.ts). */
export function serviceEventMessage(rng: Rng, model: ServiceModel, time: number, message: string, label?: TruthLabel): GeneratedEvent {
  return eventsEvent(model, time, serializeEcs({ kind: 'service-event', id: rng.uuid(), createdAt: new Date(time).toISOString(), message }), label);
}

function envelope(rng: Rng, model: ServiceModel, time: number, detailType: string, resource: string, detail: JsonObject): string {
  const event: JsonObject = {
    version: '0',
    id: rng.uuid(),
    'detail-type': detailType,
    source: 'aws.ecs',
    account: model.accountId,
    time: `${new Date(time).toISOString().slice(0, 19)}Z`,
    region: model.region,
    resources: [resource],
    detail,
  };
  return serializeEcs({ kind: 'eventbridge', event });
}

/** EventBridge "ECS Service Action" (SERVICE_STEADY_STATE, SERVICE_TASK_START_IMPAIRED …). */
export function serviceActionEvent(rng: Rng, model: ServiceModel, time: number, eventType: 'INFO' | 'WARN' | 'ERROR', eventName: string, label?: TruthLabel): GeneratedEvent {
  const message = envelope(rng, model, time, 'ECS Service Action', model.serviceArn, { eventType, eventName, clusterArn: model.clusterArn, createdAt: new Date(time).toISOString() });
  return eventsEvent(model, time, message, label);
}

export interface TaskState {
  taskId: string;
  ip: string;
  az: string;
  times: TaskTimes;
  lastStatus: 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEPROVISIONING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  stoppedReason?: string;
  stoppingAt?: number;
  stoppedAt?: number;
  /** Incremented on every state change, as the detail's `version` is. */
  version: number;
}

const iso = (ms: number | undefined): JsonObject[string] => (ms === undefined ? null : new Date(ms).toISOString());

/** EventBridge "ECS Task State Change" for a Fargate task of the service (detail resembles DescribeTasks). */
export function taskStateChangeEvent(rng: Rng, model: ServiceModel, time: number, s: TaskState, label?: TruthLabel): GeneratedEvent {
  const taskArn = `arn:aws:ecs:${model.region}:${model.accountId}:task/${model.cluster}/${s.taskId}`;
  const attachmentId = rng.uuid();
  const detail: JsonObject = {
    attachments: [
      {
        id: attachmentId,
        type: 'eni',
        status: s.lastStatus === 'STOPPED' ? 'DELETED' : s.lastStatus === 'PROVISIONING' ? 'PRECREATED' : 'ATTACHED',
        details: [
          { name: 'subnetId', value: model.subnetIdOf(s.az) },
          { name: 'networkInterfaceId', value: `eni-0${rng.hex(16)}` },
          { name: 'macAddress', value: `0a:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}` },
          { name: 'privateIPv4Address', value: s.ip },
        ],
      },
    ],
    availabilityZone: s.az,
    clusterArn: model.clusterArn,
    containers: [
      {
        containerArn: `arn:aws:ecs:${model.region}:${model.accountId}:container/${model.cluster}/${s.taskId}/${rng.uuid()}`,
        lastStatus: s.lastStatus === 'DEPROVISIONING' ? 'STOPPED' : s.lastStatus,
        name: model.container,
        taskArn,
        networkInterfaces: [{ attachmentId, privateIpv4Address: s.ip }],
        cpu: '0',
      },
    ],
    createdAt: iso(s.times.createdAt),
    launchType: 'FARGATE',
    cpu: String(model.cpuReserved),
    memory: String(model.memoryReserved),
    desiredStatus: s.desiredStatus,
    group: `service:${model.service}`,
    lastStatus: s.lastStatus,
    connectivity: 'CONNECTED',
    connectivityAt: iso(s.times.createdAt + 2000),
    // The order of AWS's own example event (startedAt before pullStoppedAt).
    pullStartedAt: iso(s.times.pullStartedAt),
    startedAt: iso(s.times.startedAt),
    startedBy: model.deploymentId,
    pullStoppedAt: iso(s.times.pullStoppedAt),
    updatedAt: iso(time),
    taskArn,
    taskDefinitionArn: model.taskDefinitionArn,
    version: s.version,
    platformVersion: '1.4.0',
  };
  if (s.lastStatus === 'PROVISIONING' || s.lastStatus === 'PENDING') {
    // Not pulled or started yet: DescribeTasks omits what has not happened.
    delete detail.pullStoppedAt;
    delete detail.startedAt;
  }
  if (s.stoppedReason !== undefined) {
    detail.stopCode = 'ServiceSchedulerInitiated';
    detail.stoppedReason = s.stoppedReason;
    detail.stoppingAt = iso(s.stoppingAt);
  }
  if (s.stoppedAt !== undefined) {
    detail.stoppedAt = iso(s.stoppedAt);
    detail.executionStoppedAt = iso(s.stoppedAt - 1000);
  }
  return eventsEvent(model, time, envelope(rng, model, time, 'ECS Task State Change', taskArn, detail), label);
}
