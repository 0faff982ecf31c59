import { ConfigError, type Rng, type Entities } from '../../core/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest, TruthLabel } from '../types.ts';
import { auditEvent } from './audit-events.ts';
import { clusterModel, newPod, safeSuffix, type ClusterModel, type EksPod } from './cluster-model.ts';
import type { WorkloadProfile } from './data.ts';
import { containerEvent, fillLine } from './lines.ts';
import { eventOccurred, kubeletOf, podStart, restartStatus, startupLines } from './pod-lifecycle.ts';

/** The kubelet's CrashLoopBackOff delays: 10 s doubling to a 5-minute cap. */
const BACKOFF_S = [10, 20, 40, 80, 160, 300];
const backoffText = (s: number) => (s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`);

export function pickWorkload(model: ClusterModel, wanted: string | undefined, prefer: string): WorkloadProfile {
  if (wanted) {
    const w = model.workloads.find((x) => `${x.namespace}/${x.name}` === wanted || x.name === wanted);
    if (!w) throw new ConfigError('incident names a workload the cluster does not run', { expected: model.workloads.map((x) => `${x.namespace}/${x.name}`).join(' | '), seen: wanted });
    return w;
  }
  return model.workloads.find((x) => x.name === prefer) ?? model.workloads[0]!;
}

/** The rollout's new pods: a new ReplicaSet (pod-template hash) and a new image of the workload. */
function rolloutPods(rng: Rng, model: ClusterModel, w: WorkloadProfile, count: number): EksPod[] {
  const r = rng.fork('rollout');
  const hash = safeSuffix(r, 9);
  const digest = `${model.accountId}.dkr.ecr.${model.region}.amazonaws.com/${w.repo}@sha256:${r.hex(64)}`;
  return Array.from({ length: count }, (_, i) => newPod(r, model, w, model.nodes[i % model.nodes.length]!, hash, digest));
}

function plan(rng: Rng, pools: EntityPools, req: IncidentRequest) {
  const model = clusterModel(pools);
  const w = pickWorkload(model, req.entities.workload, 'cart');
  const count = Math.max(1, Math.min(w.replicas, Math.round(req.intensity * w.replicas)));
  return { model, w, pods: rolloutPods(rng, model, w, count) };
}

/**
 * A bad rollout: the workload's new ReplicaSet starts pods whose container dies shortly after starting — killed
 * by the kernel for exceeding its memory limit (`params.reason: oom`, the default: OOMKilled, exit 137) or exiting
 * with an error (`error`: exit 1). The kubelet restarts it with CrashLoopBackOff delays (10 s doubling to 5 min)
 * and patches the pod status each time (audit log, Request level: the waiting reason, the last termination, the
 * restart count); every restart is a new container, so a new Fluent Bit stream with the app's start-up lines and
 * its last words. The old pods keep serving: the rollout is stuck. describe(): workload, pod (the first new one).
 */
export const eksCrashloopStorm: IncidentGenerator = {
  kind: 'eks-crashloop-storm',
  sources: ['eks'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    const { w, pods } = plan(rng, pools, req);
    return { workload: `${w.namespace}/${w.name}`, pod: `${pods[0]!.namespace}/${pods[0]!.name}` };
  },
  *generate(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
    const { model, w, pods } = plan(rng, pools, req);
    const label: TruthLabel = { incidentId: req.incidentId, kind: req.kind };
    const reason = req.params?.reason === 'error' ? 'error' : 'oom';
    if (req.params?.reason !== undefined && req.params.reason !== 'oom' && req.params.reason !== 'error') {
      throw new ConfigError('eks-crashloop-storm reason must be oom or error', { expected: 'params.reason: oom | error', seen: JSON.stringify(req.params.reason) });
    }
    const c = rng.fork('content');
    const { start, end } = req.window;
    const out: GeneratedEvent[] = [];
    const rs = `${w.name}-${pods[0]!.podTemplateHash}`;
    out.push(eventOccurred(c, model, start, `${w.namespace}/${w.name}`, 'Deployment', 'apps/v1', 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rs} from 0 to ${pods.length}`, label));
    pods.forEach((pod, i) => {
      const r = c.fork(`pod/${i}`);
      let t = start + 200 + i * r.int(500, 3000);
      out.push(...podStart(r, model, pod, t, label));
      t = pod.startedAt!;
      for (let k = 0; t < end; k++) {
        // The container lives a few seconds: an OOM kill comes as it loads its data, an error right at start.
        const life = reason === 'oom' ? r.int(6_000, 25_000) : r.int(400, 2_500);
        const dies = t + life;
        if (k > 0) out.push(...startupLines(r, model, pod, t, label));
        let at = t + r.int(200, 800);
        for (const tpl of w.crash[reason]) {
          at = Math.min(dies - 1, at + r.int(20, 400));
          out.push(containerEvent(r, model, pod, at, fillLine(r, tpl, at, w.style), reason === 'error', label));
        }
        const old = pod.containerId;
        pod.restarts++;
        const delay = BACKOFF_S[Math.min(k, BACKOFF_S.length - 1)]!;
        const exit = reason === 'oom' ? { code: 137, reason: 'OOMKilled' } : { code: 1, reason: 'Error' };
        const kubelet = kubeletOf(model, pod.node);
        const st = (obj: ReturnType<typeof restartStatus>, when: number) => auditEvent(r, model, kubelet, { verb: 'patch', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name, subresource: 'status', requestObject: obj }, when, label);
        const waiting = st(restartStatus(pod, old, { ...exit, at: dies, startedAt: t }, { backoff: backoffText(delay) }), dies + r.int(300, 1200));
        if (waiting) out.push(waiting);
        // After the back-off the kubelet starts a new container (a new id, so a new log stream).
        const next = dies + delay * 1000 + r.int(100, 900);
        pod.containerId = r.hex(64);
        const running = st(restartStatus(pod, old, { ...exit, at: dies, startedAt: t }, { runningSince: next }), next + r.int(200, 800));
        if (running) out.push(running);
        t = next;
      }
    });
    out.sort((a, b) => a.time - b.time);
    for (const e of out) if (e.time >= start && e.time < end) yield e;
  },
};
