import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { ecsFormat, type EcsRecord } from '../../formats/ecs.ts';
import { constantRate } from '../common/rate/index.ts';
import { determinismSuite, samplePools, SAMPLE_START } from '../common/testing.ts';
import { normalizeEvent, orderProblems, originOf } from '../cascade/test-helpers.ts';
import { ecsTaskRestarts } from '../cascade/single-links.ts';
import type { GeneratedEvent } from '../types.ts';
import { ecsBackground } from './background.ts';
import { serviceModel } from './service-model.ts';

const parse = (e: GeneratedEvent): EcsRecord => ecsFormat.parse(e.message, originOf(e));

describe('ecs background', () => {
  const pools = samplePools(4);
  const model = serviceModel(pools);
  const window = { start: SAMPLE_START - 30_000, end: SAMPLE_START + 7 * 3_600_000 };
  const events = [...ecsBackground.generate(createRng(4).fork('ecs'), pools, { window, rate: constantRate(1) })];

  it('writes Container Insights Task and Service events once a minute, running = desired', () => {
    expect(orderProblems(events)).toEqual([]);
    const perf = events.filter((e) => e.dest.kind === 'cwl' && e.dest.logGroup === '/aws/ecs/containerinsights/firedrill-cluster/performance');
    const minutes = 7 * 60;
    expect(perf.length).toBe(minutes * (model.desiredCount + 1));
    for (const e of perf) {
      const n = normalizeEvent(e);
      expect(n.time % 60_000).toBe(0);
      expect(n.time).toBe(e.time);
      if (n.fields.type === 'Service') expect(n.fields).toMatchObject({ serviceName: 'checkout', clusterName: 'firedrill-cluster', runningTaskCount: 3, desiredTaskCount: 3 });
      else {
        expect(n.fields.type).toBe('Task');
        expect(model.tasks.map((t) => t.taskId)).toContain(n.fields.taskId);
        expect(n.fields.cpuUtilized as number).toBeGreaterThan(0);
        expect(n.fields.cpuUtilized as number).toBeLessThan(model.cpuReserved);
      }
      expect(e.dest.kind === 'cwl' && /^FargateTelemetry-\d+$/.test(e.dest.logStream)).toBe(true);
    }
  });

  it('writes Container Insights keys in the documented order (Fargate tasks lack the EC2 fields)', () => {
    // Key order of the CloudWatch user guide's examples, "Container Insights performance log events for ECS".
    const docService = ['Version', 'Type', 'ServiceName', 'ClusterName', 'Timestamp', 'DesiredTaskCount', 'RunningTaskCount', 'PendingTaskCount', 'DeploymentCount', 'TaskSetCount', 'CloudWatchMetrics'];
    const docTask = ['Version', 'Type', 'TaskId', 'TaskDefinitionFamily', 'TaskDefinitionRevision', 'ContainerInstanceId', 'EC2InstanceId', 'ClusterName', 'AccountID', 'Region', 'AvailabilityZone', 'KnownStatus', 'LaunchType', 'PullStartedAt', 'PullStoppedAt', 'CreatedAt', 'StartedAt', 'Timestamp', 'CpuUtilized', 'CpuReserved', 'MemoryUtilized', 'MemoryReserved', 'StorageReadBytes', 'StorageWriteBytes', 'NetworkRxBytes', 'NetworkRxDropped', 'NetworkRxErrors', 'NetworkRxPackets', 'NetworkTxBytes', 'NetworkTxDropped', 'NetworkTxErrors', 'NetworkTxPackets', 'CloudWatchMetrics'];
    const service = events.find((e) => e.message.includes('"Type":"Service"'))!;
    expect(Object.keys(JSON.parse(service.message))).toEqual(docService);
    const task = events.find((e) => e.message.includes('"Type":"Task"'))!;
    expect(Object.keys(JSON.parse(task.message))).toEqual(docTask.filter((k) => k !== 'ContainerInstanceId' && k !== 'EC2InstanceId'));
    expect(JSON.parse(task.message).LaunchType).toBe('FARGATE');
  });

  it('reports the steady state every six hours, as a service event and an EventBridge action', () => {
    const events_ = events.filter((e) => e.dest.kind === 'cwl' && e.dest.logGroup === '/aws/events/ecs/firedrill-cluster');
    const kinds = events_.map((e) => parse(e).kind).sort();
    expect(kinds.length % 2).toBe(0);
    expect(kinds.length).toBeGreaterThanOrEqual(2);
    for (const e of events_) {
      const n = normalizeEvent(e);
      expect(n.fields.serviceName).toBe('checkout');
      expect(['(service checkout) has reached a steady state.', 'SERVICE_STEADY_STATE']).toContain(n.fields.reason);
    }
  });
});

describe('ecs-task-restarts', () => {
  const pools = samplePools(6);
  const model = serviceModel(pools);
  const req = { incidentId: 'inc-4', kind: 'ecs-task-restarts' as const, window: { start: SAMPLE_START, end: SAMPLE_START + 15 * 60_000 }, intensity: 0.7, entities: {} };
  const ev = [...ecsTaskRestarts.generate(createRng(6), pools, req)];
  const norm = ev.map((e) => normalizeEvent(e));

  it('starts with the target group marking a task unhealthy, then stops and replaces tasks in a loop', () => {
    expect(orderProblems(ev)).toEqual([]);
    expect(ev[0]!.time).toBe(SAMPLE_START);
    expect(norm[0]!.fields.reason).toBe(`(service checkout) (task ${model.tasks[0]!.taskId}) (port 8000) is unhealthy in (target-group ${model.targetGroupArn}) due to (reason Health checks failed).`);
    for (const e of ev) {
      expect(e.label).toEqual({ incidentId: 'inc-4', kind: 'ecs-task-restarts' });
      expect(e.time).toBeLessThan(req.window.end);
    }
    const stops = norm.filter((n) => n.fields.type === 'ECS Task State Change' && n.fields.reason === `Task failed ELB health checks in (target-group ${model.targetGroupArn})`);
    expect(stops.length).toBeGreaterThanOrEqual(4);
    expect(norm.some((n) => /^\(service checkout\) has stopped 1 running tasks: \(task [0-9a-f]{32}\)\.$/.test(String(n.fields.reason)))).toBe(true);
    expect(norm.some((n) => /^\(service checkout\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/.test(String(n.fields.reason)))).toBe(true);
    expect(norm.some((n) => n.fields.reason === 'SERVICE_TASK_START_IMPAIRED')).toBe(true);
    // Two of three tasks caught at intensity 0.7.
    expect(new Set(stops.map((n) => n.fields.taskId)).size).toBeGreaterThan(2);
  });

  it('shows RunningTaskCount below desired in Container Insights', () => {
    const services = norm.filter((n) => n.fields.type === 'Service');
    expect(services.length).toBe(15);
    expect(services.every((n) => n.fields.desiredTaskCount === 3)).toBe(true);
    expect(Math.min(...services.map((n) => n.fields.runningTaskCount as number))).toBeLessThan(3);
    expect(ecsTaskRestarts.describe(createRng(6), pools, req)).toEqual({ service: 'checkout' });
    expect(() => ecsTaskRestarts.generate(createRng(6), pools, { ...req, params: { tasks: 2 } })).toThrow(ConfigError);
  });
});

determinismSuite({ background: 'ecs' }, { rate: 1, count: 60 });
determinismSuite({ incident: 'ecs-task-restarts' });
