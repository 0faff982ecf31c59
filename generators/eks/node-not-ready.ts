import { ConfigError, type Rng, type Entities } from '../../core/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest, TruthLabel } from '../types.ts';
import { nodeStatusPatch } from './api-habits.ts';
import { auditEvent } from './audit-events.ts';
import { clusterModel, newPod, type ClusterModel, type EksNode } from './cluster-model.ts';
import { kubeletOf, eventOccurred, podStart } from './pod-lifecycle.ts';
import { structuredKlog } from './lines.ts';

/** Pods tolerate `not-ready:NoExecute` for 300 s (the default toleration) before they are evicted. */
const TOLERATION_MS = 300_000;

function affectedNodes(model: ClusterModel, req: IncidentRequest): EksNode[] {
  const wanted = req.entities.node;
  if (wanted) {
    const n = model.nodes.find((x) => x.name === wanted || x.ip === wanted);
    if (!n) throw new ConfigError('incident names a node the cluster does not have', { expected: model.nodes.map((x) => x.name).join(' | '), seen: wanted });
    return [n];
  }
  const count = typeof req.params?.nodes === 'number' ? Math.max(1, Math.min(model.nodes.length - 1, Math.floor(req.params.nodes))) : 1;
  return model.nodes.slice(-count);
}

/**
 * Nodes going NotReady while their kubelet still runs: its pod lifecycle event generator stalls (the container
 * runtime hangs), so the kubelet reports Ready=False ("PLEG is not healthy", patched every ten seconds or so, the
 * message counting up) and keeps renewing its lease. The node lifecycle controller records the NodeNotReady status
 * change, marks the node's pods not ready and taints the node; after the pods' 300 s toleration the taint
 * eviction controller deletes them, the ReplicaSets recreate them on the remaining nodes, and with that capacity
 * gone some cannot be scheduled. `params.nodes` (default 1) nodes, the last ones of the node group, or
 * entities.node. describe(): node.
 */
export const eksNodeNotReady: IncidentGenerator = {
  kind: 'eks-node-not-ready',
  sources: ['eks'],
  describe(_rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    return { node: affectedNodes(clusterModel(pools), req)[0]!.name };
  },
  *generate(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
    const model = clusterModel(pools);
    const nodes = affectedNodes(model, req);
    const label: TruthLabel = { incidentId: req.incidentId, kind: req.kind };
    const { start, end } = req.window;
    const out: GeneratedEvent[] = [];
    const push = (evs: Iterable<GeneratedEvent | undefined>) => {
      for (const e of evs) if (e) out.push(e);
    };
    const nodeCtl = model.principals.find((p) => p.username === 'system:serviceaccount:kube-system:node-controller')!;
    const healthy = model.nodes.filter((n) => !nodes.includes(n));
    nodes.forEach((node, i) => {
      const c = rng.fork(`node/${i}`);
      const since = start + i * c.int(2_000, 20_000);
      const kubelet = kubeletOf(model, node);
      // The kubelet's reports: Ready=False, the PLEG message counting the seconds since it last saw the runtime.
      for (let t = since, k = 0; t < end; t += c.int(9_000, 14_000), k++) {
        const stale = (180 + (t - since) / 1000 + c.next()).toFixed(2);
        push([auditEvent(c, model, kubelet, { verb: 'patch', resource: 'nodes', version: 'v1', name: node.name, subresource: 'status', query: 'timeout=10s', requestObject: nodeStatusPatch(t, false, since, `PLEG is not healthy: pleg was last seen active ${stale}s ago; threshold is 3m0s`) }, t, label)]);
      }
      // The node lifecycle controller notices within its monitor period (5 s) and the grace period of the report.
      const noticed = since + c.int(2_000, 5_000);
      push([structuredKlog(c, model, 'controllerManager', noticed, 'controller_utils.go:161', 'Recording status change event message for node', [['status', 'NodeNotReady'], ['node', node.name]], label)]);
      push([eventOccurred(c, model, noticed + 1, node.name, 'Node', 'v1', 'Normal', 'NodeNotReady', `Node ${node.name} status is now: NodeNotReady`, label)]);
      const taint = { spec: { taints: [{ effect: 'NoSchedule', key: 'node.kubernetes.io/not-ready', timeAdded: `${new Date(noticed).toISOString().slice(0, 19)}Z` }, { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', timeAdded: `${new Date(noticed).toISOString().slice(0, 19)}Z` }] } };
      push([auditEvent(c, model, nodeCtl, { verb: 'patch', resource: 'nodes', version: 'v1', name: node.name, requestObject: taint }, noticed + c.int(20, 200), label)]);
      const pods = model.pods.filter((p) => p.node.name === node.name);
      for (const pod of pods) {
        const at = noticed + c.int(100, 900);
        push([structuredKlog(c, model, 'controllerManager', at, 'controller_utils.go:142', 'Updating ready status of pod to false', [['pod', `${pod.namespace}/${pod.name}`]], label)]);
        push([auditEvent(c, model, nodeCtl, { verb: 'patch', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name, subresource: 'status', requestObject: { status: { conditions: [{ lastTransitionTime: `${new Date(at).toISOString().slice(0, 19)}Z`, status: 'False', type: 'Ready' }] } } }, at + c.int(5, 60), label)]);
      }
      // After the toleration: evictions, and replacements that do not all fit on what is left.
      const evictAt = noticed + TOLERATION_MS;
      pods.forEach((pod, j) => {
        const at = evictAt + j * c.int(50, 400);
        push([structuredKlog(c, model, 'controllerManager', at, 'taint_eviction.go:110', 'Deleting pod', [['controller', 'taint-eviction-controller'], ['pod', `${pod.namespace}/${pod.name}`]], label)]);
        push([auditEvent(c, model, model.principals.find((p) => p.username === 'system:serviceaccount:kube-system:node-controller')!, { verb: 'delete', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name, requestObject: { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/__internal' } }, at + c.int(5, 80), label)]);
        const replacement = newPod(c, model, pod.workload, healthy[j % Math.max(1, healthy.length)] ?? pod.node, pod.podTemplateHash, pod.imageDigest);
        const created = at + c.int(200, 900);
        if (j % 2 === 0 && healthy.length > 0) push(podStart(c, model, replacement, created, label));
        else {
          const why = `0/${model.nodes.length} nodes are available: ${nodes.length} node(s) had untolerated taint {node.kubernetes.io/not-ready: }, ${model.nodes.length - nodes.length} Insufficient cpu. preemption: 0/${model.nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling, ${model.nodes.length - nodes.length} No preemption victims found for incoming pod.`;
          push([structuredKlog(c, model, 'scheduler', created + c.int(5, 50), 'schedule_one.go:1055', 'Unable to schedule pod; no fit; waiting', [['pod', `${replacement.namespace}/${replacement.name}`], ['err', why]], label)]);
        }
      });
    });
    out.sort((a, b) => a.time - b.time);
    for (const e of out) if (e.time >= start && e.time < end) yield e;
  },
};
