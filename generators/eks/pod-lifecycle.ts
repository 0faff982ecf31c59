import type { Rng } from '../../core/index.ts';
import type { JsonObject } from '../../formats/index.ts';
import type { GeneratedEvent, TruthLabel } from '../types.ts';
import { runningPodStatus } from './api-habits.ts';
import { auditEvent } from './audit-events.ts';
import { newPod, type ClusterModel, type EksNode, type EksPod, type Principal } from './cluster-model.ts';
import type { WorkloadProfile } from './data.ts';
import { containerEvent, fillLine, structuredKlog } from './lines.ts';

/**
 * Pods coming and going, as every component logs it: the autoscaler's rescale, the Deployment and ReplicaSet
 * controllers' events (kube-controller-manager logs each at verbosity 2), the ReplicaSet controller's pod create
 * and the scheduler's binding in the audit log, the scheduler's "Successfully bound", the kubelet's status
 * patches, and the new container's first lines. Crash loops and evictions reuse these pieces.
 */
export interface ChurnState {
  /** Pods the autoscaler added above the base replicas. */
  extra: EksPod[];
}

const ctl = (m: ClusterModel, name: string): Principal => m.principals.find((p) => p.username === `system:serviceaccount:kube-system:${name}`)!;
const user = (m: ClusterModel, name: string): Principal => m.principals.find((p) => p.username === name)!;
export const kubeletOf = (m: ClusterModel, node: EksNode): Principal => m.principals.find((p) => p.kind === 'node' && p.node?.name === node.name)!;

/** kube-controller-manager's record of an Event it emitted (event.go, verbosity 2). */
export function eventOccurred(c: Rng, m: ClusterModel, t: number, object: string, kind: string, apiVersion: string, type: 'Normal' | 'Warning', reason: string, message: string, label?: TruthLabel): GeneratedEvent {
  return structuredKlog(c, m, 'controllerManager', t, 'event.go:389', 'Event occurred', [['object', object], ['fieldPath', ''], ['kind', kind], ['apiVersion', apiVersion], ['type', type], ['reason', reason], ['message', message]], label);
}

function podObject(pod: EksPod, m: ClusterModel, t: number): JsonObject {
  return {
    kind: 'Pod', apiVersion: 'v1',
    metadata: {
      name: pod.name, generateName: `${pod.workload.name}-${pod.podTemplateHash}-`, namespace: pod.namespace, uid: pod.uid, creationTimestamp: `${new Date(t).toISOString().slice(0, 19)}Z`,
      labels: { app: pod.workload.name, 'pod-template-hash': pod.podTemplateHash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${pod.workload.name}-${pod.podTemplateHash}`, uid: pod.uid.replace(/^.{8}/, '7c1e2f3a'), controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: [{ name: pod.workload.container, image: `${m.accountId}.dkr.ecr.${m.region}.amazonaws.com/${pod.workload.repo}:${pod.workload.tag}`, resources: { limits: { memory: `${pod.workload.memoryMi}Mi` }, requests: { cpu: '250m', memory: `${pod.workload.memoryMi}Mi` } } }],
      restartPolicy: 'Always', serviceAccountName: pod.workload.name, schedulerName: 'default-scheduler',
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

/** The ReplicaSet controller creates a pod, the scheduler binds it, the kubelet starts it and it prints its first lines. */
export function podStart(c: Rng, m: ClusterModel, pod: EksPod, t: number, label?: TruthLabel, opts: { startupLines?: boolean } = {}): GeneratedEvent[] {
  const out: (GeneratedEvent | undefined)[] = [];
  const rsName = `${pod.workload.name}-${pod.podTemplateHash}`;
  out.push(auditEvent(c, m, ctl(m, 'replicaset-controller'), { verb: 'create', resource: 'pods', version: 'v1', namespace: pod.namespace, requestObject: podObject(pod, m, t), responseObject: podObject(pod, m, t), code: 201 }, t, label));
  out.push(eventOccurred(c, m, t + 2, `${pod.namespace}/${rsName}`, 'ReplicaSet', 'apps/v1', 'Normal', 'SuccessfulCreate', `Created pod: ${pod.name}`, label));
  const bound = t + c.int(8, 40);
  const binding = { kind: 'Binding', apiVersion: 'v1', metadata: { name: pod.name, namespace: pod.namespace, uid: pod.uid, creationTimestamp: null }, target: { kind: 'Node', name: pod.node.name } };
  out.push(auditEvent(c, m, user(m, 'system:kube-scheduler'), { verb: 'create', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name, subresource: 'binding', requestObject: binding, responseObject: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, code: 201 }, bound, label));
  out.push(structuredKlog(c, m, 'scheduler', bound + 1, 'schedule_one.go:314', 'Successfully bound pod to node', [['pod', `${pod.namespace}/${pod.name}`], ['node', pod.node.name], ['evaluatedNodes', m.nodes.length], ['feasibleNodes', m.nodes.length]], label));
  const running = bound + c.int(1500, 4000);
  pod.startedAt = running;
  out.push(auditEvent(c, m, kubeletOf(m, pod.node), { verb: 'patch', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name, subresource: 'status', requestObject: runningPodStatus(pod, pod.restarts, running) }, running + c.int(200, 900), label));
  if (opts.startupLines !== false) out.push(...startupLines(c, m, pod, running, label));
  return out.filter((e): e is GeneratedEvent => e !== undefined);
}

export function startupLines(c: Rng, m: ClusterModel, pod: EksPod, t: number, label?: TruthLabel): GeneratedEvent[] {
  let at = t + c.int(100, 600);
  return pod.workload.startup.map((tpl) => {
    at += c.int(30, 900);
    return containerEvent(c, m, pod, at, fillLine(c, tpl, at, pod.workload.style), false, label);
  });
}

/** The storefront's autoscaler adds a pod, or takes one of the pods it added away. */
export function podChurn(c: Rng, m: ClusterModel, state: ChurnState, t: number): GeneratedEvent[] {
  const w: WorkloadProfile = m.workloads.find((x) => x.name === 'storefront') ?? m.workloads[0]!;
  const base = m.pods.filter((p) => p.workload === w);
  if (base.length === 0) return [];
  const from = base.length;
  const up = state.extra.length === 0 || (state.extra.length < 2 && c.chance(0.5));
  const to = up ? from + 1 : from - 1;
  const hpa = ctl(m, 'horizontal-pod-autoscaler');
  const deploy = `${w.namespace}/${w.name}`;
  const rsName = `${w.name}-${base[0]!.podTemplateHash}`;
  const scale = (n: number, was: number): JsonObject => ({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: w.name, namespace: w.namespace }, spec: { replicas: n }, status: { replicas: was, selector: `app=${w.name}` } });
  const out: (GeneratedEvent | undefined)[] = [
    auditEvent(c, m, hpa, { verb: 'update', resource: 'deployments', group: 'apps', version: 'v1', namespace: w.namespace, name: w.name, subresource: 'scale', requestObject: scale(to, from), responseObject: scale(to, from) }, t),
    eventOccurred(c, m, t + 1, deploy, 'HorizontalPodAutoscaler', 'autoscaling/v2', 'Normal', 'SuccessfulRescale', up ? `New size: ${to}; reason: cpu resource utilization (percentage of request) above target` : `New size: ${to}; reason: All metrics below target`),
    eventOccurred(c, m, t + c.int(5, 30), deploy, 'Deployment', 'apps/v1', 'Normal', 'ScalingReplicaSet', `Scaled ${up ? 'up' : 'down'} replica set ${rsName} from ${from} to ${to}`),
  ];
  const at = t + c.int(40, 120);
  if (up) {
    const load = (n: EksNode) => m.pods.filter((p) => p.node.name === n.name).length;
    const node = [...m.nodes].sort((a, b) => load(a) - load(b))[0]!;
    const pod = newPod(c, m, w, node, base[0]!.podTemplateHash, base[0]!.imageDigest);
    out.push(...podStart(c, m, pod, at));
    m.pods.push(pod);
    state.extra.push(pod);
  } else {
    const pod = state.extra.pop()!;
    m.pods.splice(m.pods.indexOf(pod), 1);
    out.push(auditEvent(c, m, ctl(m, 'replicaset-controller'), { verb: 'delete', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name, requestObject: { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/__internal', propagationPolicy: 'Background' } }, at));
    out.push(eventOccurred(c, m, at + 2, `${pod.namespace}/${rsName}`, 'ReplicaSet', 'apps/v1', 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.name}`));
  }
  return out.filter((e): e is GeneratedEvent => e !== undefined).sort((a, b) => a.time - b.time);
}

/** A kubelet's status patch for a container that just ended (and, unless `backoff`, started again). */
export function restartStatus(pod: EksPod, oldContainerId: string, exit: { code: number; reason: string; at: number; startedAt: number }, next: { backoff?: string; runningSince?: number }): JsonObject {
  const s = (x: number) => `${new Date(x).toISOString().slice(0, 19)}Z`;
  const terminated = { containerID: `containerd://${oldContainerId}`, exitCode: exit.code, finishedAt: s(exit.at), reason: exit.reason, startedAt: s(exit.startedAt) };
  const state: JsonObject = next.backoff
    ? { waiting: { message: `back-off ${next.backoff} restarting failed container=${pod.workload.container} pod=${pod.name}_${pod.namespace}(${pod.uid})`, reason: 'CrashLoopBackOff' } }
    : { running: { startedAt: s(next.runningSince ?? exit.at) } };
  return {
    metadata: { uid: pod.uid },
    status: {
      containerStatuses: [{
        containerID: `containerd://${next.backoff ? oldContainerId : pod.containerId}`,
        image: `${pod.imageDigest.split('@')[0]}:${pod.workload.tag}`,
        imageID: pod.imageDigest,
        lastState: { terminated },
        name: pod.workload.container,
        ready: !next.backoff,
        restartCount: pod.restarts,
        started: !next.backoff,
        state,
      }],
    },
  };
}

/** A single restart after a failed liveness probe (SIGKILL, exit 137): one status patch, a new container. */
export function containerRestart(c: Rng, m: ClusterModel, t: number): GeneratedEvent[] {
  const pod = c.pick(m.pods);
  const old = pod.containerId;
  const startedBefore = pod.startedAt ?? t - 86_400_000;
  pod.containerId = c.hex(64);
  pod.restarts++;
  const running = t + c.int(800, 2500);
  pod.startedAt = running;
  const ev = auditEvent(c, m, kubeletOf(m, pod.node), { verb: 'patch', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name, subresource: 'status', requestObject: restartStatus(pod, old, { code: 137, reason: 'Error', at: t, startedAt: startedBefore }, { runningSince: running }) }, running + c.int(100, 600));
  return [...(ev ? [ev] : []), ...startupLines(c, m, pod, running)].sort((a, b) => a.time - b.time);
}
