import { FormatError } from '../core/index.ts';
import { findTimestamp } from './generic.ts';
import type { FormatSpec, JsonObject, JsonValue, LineOrigin } from './types.ts';

/**
 * ECS, one FormatSpec for two log groups (parse dispatches on the origin's log group, and sniffs the
 * shape when no origin is known):
 *
 * 1. `/aws/ecs/containerinsights/<cluster>/performance` — Container Insights performance log events,
 *    one compact JSON object each, `Type` Task | Service | Container | Cluster …, `Timestamp` in epoch ms
 *    (field lists as in the CloudWatch user guide, "Container Insights performance log events for ECS").
 *
 * 2. `/aws/events/ecs/<cluster>` — what an EventBridge rule `{"source":["aws.ecs"]}` with a CloudWatch Logs
 *    target writes: the EventBridge event itself, compact JSON ("ECS Task State Change", "ECS Service
 *    Action", "ECS Deployment State Change"). EventBridge carries no service *event message* text, so the
 *    human-readable service events (`(service checkout) has reached a steady state.` …) are written to the
 *    same group as the DescribeServices `ServiceEvent` objects a service-events forwarder copies there:
 *    `{"id":"<uuid>","createdAt":"<ISO-8601 ms>","message":"(service …) …"}`. Both shapes are AWS's own;
 *    the forwarder (a small Lambda polling DescribeServices) is the one piece AWS does not ship.
 *
 * Which shape a line is comes from its content, not its group (a declared estate names groups freely): a JSON
 * object with Type/ClusterName/Timestamp is a performance event, one with detail-type an EventBridge event,
 * one with id/createdAt/message a ServiceEvent. Service events also arrive as text — the message alone, as the
 * console and `describe-services` show it, optionally after a time stamp:
 *    (service checkout) has reached a steady state.
 *    2019-11-19 19:27:22 +0000 (service servicetest) (task 0123…) failed container health checks.
 * Those are kind `service-event-text` (kept as written). Other lines are refused (FormatError).
 */

export interface EcsPerformanceRecord {
  kind: 'performance';
  /** The Container Insights event in AWS's key order; has `Type`, `ClusterName` and `Timestamp` (ms). */
  event: JsonObject;
}

export interface EcsEventBridgeRecord {
  kind: 'eventbridge';
  /** The EventBridge event: version, id, detail-type, source, account, time, region, resources, detail. */
  event: JsonObject;
}

export interface EcsServiceEventRecord {
  kind: 'service-event';
  id: string;
  /** ISO-8601 with milliseconds, as the SDK serialises ServiceEvent.createdAt. */
  createdAt: string;
  message: string;
}

/** A service event message as text (not wrapped in JSON). */
export interface EcsServiceEventTextRecord {
  kind: 'service-event-text';
  /** The line as it arrived: serialize gives it back. */
  raw: string;
  /** From a leading stamp, else null (the CloudWatch event time is used). */
  time: number | null;
  message: string;
}

export type EcsRecord = EcsPerformanceRecord | EcsEventBridgeRecord | EcsServiceEventRecord | EcsServiceEventTextRecord;

const PERF_GROUP_RE = /^\/aws\/ecs\/containerinsights\/([^/]+)\/performance$/;
const EVENTS_GROUP_RE = /^\/aws\/events\/ecs\/(?:containerinsights\/)?([^/]+)(?:\/.*)?$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

export function serializeEcs(r: EcsRecord): string {
  if (r.kind === 'service-event-text') return r.raw;
  if (r.kind === 'service-event') return JSON.stringify({ id: r.id, createdAt: r.createdAt, message: r.message });
  return JSON.stringify(r.event);
}

function bad(summary: string, line: string, expected: string): FormatError {
  return new FormatError(summary, { expected, seen: JSON.stringify(line.slice(0, 160)) });
}

function parseObject(line: string): JsonObject {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (cause) {
    throw new FormatError('ECS line is not valid JSON', { expected: 'one JSON object per event', seen: JSON.stringify(line.slice(0, 160)), cause });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('ECS line is not a JSON object', line, 'a JSON object');
  return v as JsonObject;
}

function asPerformance(obj: JsonObject, line: string): EcsPerformanceRecord {
  if (typeof obj.Type !== 'string' || typeof obj.ClusterName !== 'string' || typeof obj.Timestamp !== 'number') {
    throw bad('Container Insights event lacks Type, ClusterName or a numeric Timestamp', line, '{"Version":"0","Type":"Task|Service|…","ClusterName":…,"Timestamp":<ms>,…}');
  }
  return { kind: 'performance', event: obj };
}

function asEvent(obj: JsonObject, line: string): EcsEventBridgeRecord | EcsServiceEventRecord {
  if (typeof obj['detail-type'] === 'string') {
    if (obj.source !== 'aws.ecs' || typeof obj.time !== 'string' || typeof obj.detail !== 'object' || obj.detail === null || Array.isArray(obj.detail)) {
      throw bad('EventBridge ECS event lacks source aws.ecs, time or detail', line, '{"version":"0","id":…,"detail-type":"ECS …","source":"aws.ecs","time":…,"detail":{…}}');
    }
    return { kind: 'eventbridge', event: obj };
  }
  if (typeof obj.id === 'string' && typeof obj.createdAt === 'string' && typeof obj.message === 'string' && ISO_RE.test(obj.createdAt)) {
    return { kind: 'service-event', id: obj.id, createdAt: obj.createdAt, message: obj.message };
  }
  throw bad('ECS events line is neither an EventBridge ECS event nor a ServiceEvent', line, 'an EventBridge event with detail-type, or {"id","createdAt","message"}');
}

// `(service x)`, `(service x, taskSet y)` or the console's `service (x)`, as the message's start.
const SERVICE_TEXT_RE = /^(?:\(service [^)]+\)|service \(?[^)\s]+\)?) /;

function parseServiceEventText(line: string, origin?: LineOrigin): EcsServiceEventTextRecord | undefined {
  const s = line.replace(/[\r\n]+$/, '');
  if (SERVICE_TEXT_RE.test(s)) return { kind: 'service-event-text', raw: line, time: null, message: s };
  const t = findTimestamp(s, origin?.timestamp);
  if (t && t.index === 0) {
    const rest = s.slice(t.end).replace(/^[\s\]|:-]+/, '');
    if (SERVICE_TEXT_RE.test(rest)) return { kind: 'service-event-text', raw: line, time: t.time, message: rest };
  }
  return undefined;
}

export function parseEcs(line: string, origin?: LineOrigin): EcsRecord {
  if (!line.trimStart().startsWith('{')) {
    const text = parseServiceEventText(line, origin);
    if (text) return text;
    throw bad('ECS line is neither a JSON event nor a service event message', line, 'a Container Insights / EventBridge / ServiceEvent JSON object, or "(service <name>) …"');
  }
  const obj = parseObject(line);
  if ('Type' in obj && 'Timestamp' in obj) return asPerformance(obj, line);
  return asEvent(obj, line);
}

const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' ? v : null);
const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function lastSegment(arn: string | null): string | null {
  if (!arn) return null;
  const i = arn.lastIndexOf('/');
  return i < 0 ? arn : arn.slice(i + 1);
}

function clusterOfArn(arn: string | null): string | null {
  const m = arn ? /:cluster\/(.+)$/.exec(arn) : null;
  return m?.[1] ?? null;
}

function clusterOfGroup(origin?: LineOrigin): string | null {
  const g = origin?.logGroup;
  if (!g) return null;
  return PERF_GROUP_RE.exec(g)?.[1] ?? EVENTS_GROUP_RE.exec(g)?.[1] ?? null;
}

function isoMs(v: JsonValue | undefined): number | null {
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

interface EcsFields {
  eventType: 'service-event' | 'performance';
  serviceName: string | null;
  clusterName: string | null;
  taskId: string | null;
  reason: string | null;
  cpuUtilized: number | null;
  memoryUtilized: number | null;
  runningTaskCount: number | null;
  desiredTaskCount: number | null;
  type: string | null;
  /** Task state change events only: RUNNING, STOPPED … */
  lastStatus: string | null;
  /** EventBridge service action / deployment events: their eventType (INFO | WARN | ERROR). */
  level: string | null;
}

function emptyFields(eventType: EcsFields['eventType']): EcsFields {
  return { eventType, serviceName: null, clusterName: null, taskId: null, reason: null, cpuUtilized: null, memoryUtilized: null, runningTaskCount: null, desiredTaskCount: null, type: null, lastStatus: null, level: null };
}

export const ecsFormat: FormatSpec<EcsRecord> = {
  source: 'ecs',
  title: 'ECS events and Container Insights performance events',
  serialize: serializeEcs,
  parse: parseEcs,
  entitiesOf(origin) {
    // `/ecs/<service>`-style groups name a service; Container Insights and events groups name a cluster only.
    const m = origin?.logGroup ? /^\/ecs\/([^/]+)$/.exec(origin.logGroup) : null;
    return m ? { service: m[1]! } : {};
  },
  normalize(r, origin) {
    let time: number;
    let f: EcsFields;
    if (r.kind === 'performance') {
      const e = r.event;
      f = emptyFields('performance');
      f.type = str(e.Type);
      f.clusterName = str(e.ClusterName);
      f.serviceName = str(e.ServiceName);
      f.taskId = str(e.TaskId);
      f.cpuUtilized = num(e.CpuUtilized);
      f.memoryUtilized = num(e.MemoryUtilized);
      f.runningTaskCount = num(e.RunningTaskCount);
      f.desiredTaskCount = num(e.DesiredTaskCount);
      time = num(e.Timestamp)!;
    } else if (r.kind === 'eventbridge') {
      const e = r.event;
      const d = e.detail as JsonObject;
      f = emptyFields('service-event');
      f.type = str(e['detail-type']);
      const resource = Array.isArray(e.resources) ? str(e.resources[0]) : null;
      f.clusterName = clusterOfArn(str(d.clusterArn)) ?? clusterOfGroup(origin);
      if (f.type === 'ECS Task State Change') {
        f.taskId = lastSegment(str(d.taskArn) ?? resource);
        const group = str(d.group);
        f.serviceName = group?.startsWith('service:') ? group.slice('service:'.length) : null;
        f.lastStatus = str(d.lastStatus);
        f.reason = str(d.stoppedReason);
        time = isoMs(d.updatedAt) ?? isoMs(e.time)!;
      } else {
        // Service Action / Deployment State Change: the service is the resource ARN's last segment.
        f.serviceName = resource && resource.includes(':service/') ? lastSegment(resource) : null;
        f.reason = str(d.reason) ?? str(d.eventName);
        f.level = str(d.eventType);
        time = isoMs(d.createdAt) ?? isoMs(d.updatedAt) ?? isoMs(e.time)!;
      }
    } else {
      const message = r.message;
      f = emptyFields('service-event');
      f.type = 'service-event-message';
      // DescribeServices writes `(service name)`; the console and some guide pages show `service (name)`.
      const sm = /\(service ([^),\s]+)[),]/.exec(message) ?? /^service \(?([^)\s]+)\)? /.exec(message);
      f.serviceName = sm?.[1] ?? null;
      f.taskId = /\(task ([0-9a-f]{32})\)/.exec(message)?.[1] ?? null;
      f.clusterName = clusterOfGroup(origin);
      f.reason = message;
      time = r.kind === 'service-event' ? Date.parse(r.createdAt) : (r.time ?? origin?.timestamp ?? 0);
    }
    if (f.clusterName === null) f.clusterName = clusterOfGroup(origin);
    return {
      time,
      entities: f.serviceName ? { service: f.serviceName } : {},
      fields: { ...f },
    };
  },
};

/** The exact service event message wordings the ECS scheduler writes (Fargate forms). */
export const ecsServiceMessages = {
  steadyState: (service: string) => `(service ${service}) has reached a steady state.`,
  startedTasks: (service: string, taskIds: readonly string[]) => `(service ${service}) has started ${taskIds.length} tasks: ${taskIds.map((t) => `(task ${t})`).join(' ')}.`,
  stoppedTasks: (service: string, taskIds: readonly string[]) => `(service ${service}) has stopped ${taskIds.length} running tasks: ${taskIds.map((t) => `(task ${t})`).join(' ')}.`,
  failedContainerHealthChecks: (service: string, taskId: string) => `(service ${service}) (task ${taskId}) failed container health checks.`,
  unhealthyInTargetGroup: (service: string, taskId: string, port: number, targetGroup: string, reason = 'Health checks failed') =>
    `(service ${service}) (task ${taskId}) (port ${port}) is unhealthy in (target-group ${targetGroup}) due to (reason ${reason}).`,
  deregisteredTargets: (service: string, targetGroup: string, taskIds: readonly string[]) =>
    `(service ${service}) deregistered ${taskIds.length} targets in (target-group ${targetGroup})`,
  registeredTargets: (service: string, targetGroup: string, taskIds: readonly string[]) =>
    `(service ${service}) registered ${taskIds.length} targets in (target-group ${targetGroup})`,
} as const;

/** The stoppedReason of a task the scheduler replaced after ELB health check failures. */
export const elbHealthCheckStoppedReason = (targetGroupArn: string) => `Task failed ELB health checks in (target-group ${targetGroupArn})`;
export const containerHealthCheckStoppedReason = 'Task failed container health checks';
