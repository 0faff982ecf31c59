import type { Rng } from '../../core/index.ts';
import type { JsonObject } from '../../formats/index.ts';
import type { AuditRequest } from './audit-events.ts';
import type { ClusterModel, EksPod, Principal } from './cluster-model.ts';
import { SECRETS } from './data.ts';

/**
 * What each principal usually asks the API server: kubelets renew their node lease every ten seconds and
 * report pod and node status, controllers renew their leader leases, add-ons read what they manage, people
 * list pods and read logs, CI reads Helm's release secrets. One call per pick, weighted per principal kind.
 */
type Habit = (c: Rng, m: ClusterModel, p: Principal, t: number) => AuditRequest;

const lease = (ns: string, name: string, query = 'timeout=5s'): AuditRequest => ({ verb: 'update', resource: 'leases', group: 'coordination.k8s.io', version: 'v1', namespace: ns, name, query });

/** A kubelet's strategic-merge patch of a running pod's status (the audit log keeps it at Request level). */
export function runningPodStatus(pod: EksPod, restarts: number, startedAt: number): JsonObject {
  return {
    metadata: { uid: pod.uid },
    status: {
      containerStatuses: [{
        containerID: `containerd://${pod.containerId}`,
        image: `${pod.imageDigest.split('@')[0]}:${pod.workload.tag}`,
        imageID: pod.imageDigest,
        lastState: {},
        name: pod.workload.container,
        ready: true,
        restartCount: restarts,
        started: true,
        state: { running: { startedAt: `${new Date(startedAt).toISOString().slice(0, 19)}Z` } },
      }],
    },
  };
}

/** A kubelet's patch of its node's Ready condition. */
export function nodeStatusPatch(t: number, ready: boolean, since: number, message: string): JsonObject {
  const s = (x: number) => `${new Date(x).toISOString().slice(0, 19)}Z`;
  return {
    status: {
      '$setElementOrder/conditions': [{ type: 'MemoryPressure' }, { type: 'DiskPressure' }, { type: 'PIDPressure' }, { type: 'Ready' }],
      conditions: [{ lastHeartbeatTime: s(t), lastTransitionTime: s(since), message, reason: ready ? 'KubeletReady' : 'KubeletNotReady', status: ready ? 'True' : 'False', type: 'Ready' }],
    },
  };
}

const podsOn = (m: ClusterModel, p: Principal) => m.pods.filter((x) => x.node.name === p.node?.name);

// A healthy kubelet heartbeats through its lease; it patches its node status only when a condition changes or
// every five minutes, which a drill of minutes barely sees: its status reports are left to incidents.
const NODE: [number, Habit][] = [
  [30, (_c, _m, p) => lease('kube-node-lease', p.node!.name, 'timeout=10s')],
  [3, (c, m, p, t) => {
    const pods = podsOn(m, p);
    if (pods.length === 0) return lease('kube-node-lease', p.node!.name, 'timeout=10s');
    const pod = c.pick(pods);
    return { verb: 'patch', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name, subresource: 'status', requestObject: runningPodStatus(pod, pod.restarts, pod.startedAt ?? t - 86_400_000) };
  }],
  [2, (c, _m, _p) => ({ verb: 'get', resource: 'configmaps', version: 'v1', namespace: c.pick(['shop', 'kube-system', 'amazon-cloudwatch']), name: 'kube-root-ca.crt' })],
  [1, (c, m, p) => {
    const pods = podsOn(m, p);
    const ns = pods.length ? c.pick(pods).namespace : 'shop';
    return { verb: 'get', resource: 'secrets', version: 'v1', namespace: ns, name: c.pick(SECRETS[ns] ?? ['default-token-bx9p4']) };
  }],
  [0.4, (c, m, p) => {
    const pods = podsOn(m, p);
    const pod = pods.length ? c.pick(pods) : m.pods[0]!;
    return {
      verb: 'create', resource: 'serviceaccounts', version: 'v1', namespace: pod.namespace, name: pod.workload.name, subresource: 'token',
      requestObject: { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.name, uid: pod.uid } }, status: { token: '', expirationTimestamp: null } },
    };
  }],
];

const HABITS: Record<string, [number, Habit][]> = {
  node: NODE,
  'system:kube-controller-manager': [[1, () => lease('kube-system', 'kube-controller-manager')]],
  'system:kube-scheduler': [[1, () => lease('kube-system', 'kube-scheduler')]],
  'eks:cloud-controller-manager': [[1, () => lease('kube-system', 'cloud-controller-manager')]],
  'eks:addon-manager': [
    [1, (c) => ({ verb: 'get', resource: 'daemonsets', group: 'apps', version: 'v1', namespace: 'kube-system', name: c.pick(['aws-node', 'kube-proxy']) })],
    [1, () => ({ verb: 'get', resource: 'deployments', group: 'apps', version: 'v1', namespace: 'kube-system', name: 'coredns' })],
  ],
  'eks:certificate-controller': [[1, () => ({ verb: 'list', resource: 'certificatesigningrequests', group: 'certificates.k8s.io', version: 'v1', query: 'limit=500&resourceVersion=0' })]],
  'eks:k8s-metrics': [[1, () => ({ verb: 'get', path: '/metrics' })], [1, () => ({ verb: 'list', resource: 'nodes', version: 'v1', query: 'limit=500' })]],
  'system:serviceaccount:kube-system:aws-node': [
    [5, (_c, _m, p) => ({ verb: 'get', resource: 'nodes', version: 'v1', name: p.node!.name })],
    [1, (_c, _m, p) => ({ verb: 'get', resource: 'cninodes', group: 'vpcresources.k8s.aws', version: 'v1alpha1', name: p.node!.name })],
  ],
  'system:serviceaccount:kube-system:endpointslice-controller': [
    [1, (c, m) => {
      const w = c.pick(m.workloads);
      return { verb: 'update', resource: 'endpointslices', group: 'discovery.k8s.io', version: 'v1', namespace: w.namespace, name: `${w.name}-${c.hex(5).replace(/[0-9]/g, 'x')}` };
    }],
  ],
  'system:serviceaccount:kube-system:horizontal-pod-autoscaler': [
    [1, () => ({ verb: 'get', resource: 'deployments', group: 'apps', version: 'v1', namespace: 'shop', name: 'storefront', subresource: 'scale' })],
    [1, () => ({ verb: 'list', resource: 'pods', group: 'metrics.k8s.io', version: 'v1beta1', namespace: 'shop', query: 'labelSelector=app%3Dstorefront' })],
  ],
  'system:serviceaccount:kube-system:resourcequota-controller': [[1, () => ({ verb: 'list', resource: 'resourcequotas', version: 'v1', query: 'limit=500&resourceVersion=0' })]],
  'system:serviceaccount:shop:storefront': [[1, () => ({ verb: 'get', resource: 'configmaps', version: 'v1', namespace: 'shop', name: 'storefront-flags' })]],
  'system:serviceaccount:amazon-cloudwatch:cloudwatch-agent': [
    [3, () => ({ verb: 'update', resource: 'configmaps', version: 'v1', namespace: 'amazon-cloudwatch', name: 'cwagent-clusterleader' })],
    [1, () => ({ verb: 'list', resource: 'pods', version: 'v1', query: 'limit=500' })],
    [1, () => ({ verb: 'list', resource: 'nodes', version: 'v1', query: 'limit=500' })],
  ],
  developer: [
    [3, () => ({ verb: 'list', resource: 'pods', version: 'v1', namespace: 'shop', query: 'limit=500' })],
    [2, (c, m) => {
      const pod = c.pick(m.pods);
      return { verb: 'get', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name, subresource: 'log', query: `container=${pod.workload.container}&tailLines=100` };
    }],
    [1, (c, m) => ({ verb: 'get', resource: 'deployments', group: 'apps', version: 'v1', namespace: 'shop', name: c.pick(m.workloads).name })],
    [1, (c, m) => {
      const pod = c.pick(m.pods);
      return { verb: 'get', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name };
    }],
  ],
  admin: [
    [1, () => ({ verb: 'list', resource: 'nodes', version: 'v1', query: 'limit=500' })],
    [1, () => ({ verb: 'list', resource: 'pods', version: 'v1', query: 'limit=500' })],
    [1, (c, m) => {
      const pod = c.pick(m.pods);
      return { verb: 'get', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name, subresource: 'log', query: `container=${pod.workload.container}&tailLines=100` };
    }],
    [0.25, (c, m) => execRequest(c, c.pick(m.pods), 'ResponseStarted')],
    [0.25, (c) => ({ verb: 'get', resource: 'secrets', version: 'v1', namespace: 'shop', name: c.pick(SECRETS.shop!) })],
  ],
  ci: [
    [1, () => ({ verb: 'list', resource: 'secrets', version: 'v1', namespace: 'shop', query: 'labelSelector=name%3Dshop%2Cowner%3Dhelm' })],
    [1, () => ({ verb: 'get', resource: 'secrets', version: 'v1', namespace: 'shop', name: 'sh.helm.release.v1.shop.v42' })],
    [1, (c, m) => ({ verb: 'get', resource: 'deployments', group: 'apps', version: 'v1', namespace: 'shop', name: c.pick(m.workloads).name })],
  ],
};

/** `kubectl exec -it <pod> -- /bin/sh`: a create on pods/exec, upgraded to a stream (101). */
export function execRequest(c: Rng, pod: EksPod, stage: 'ResponseStarted' | 'ResponseComplete', command = '%2Fbin%2Fsh'): AuditRequest {
  return {
    verb: 'create', resource: 'pods', version: 'v1', namespace: pod.namespace, name: pod.name, subresource: 'exec',
    query: `command=${command}&container=${pod.workload.container}&stdin=true&stdout=true&tty=true`, code: 101, stage, latencyMs: stage === 'ResponseStarted' ? c.int(15, 60) : undefined,
  };
}

function habitsOf(p: Principal): [number, Habit][] | undefined {
  if (p.kind === 'node') return HABITS.node;
  if (p.kind === 'human') return HABITS[p.persona ?? 'developer'];
  if (p.kind === 'ci') return HABITS.ci;
  return HABITS[p.username];
}

/** One habitual request of `p` (undefined for a principal without habits). */
export function habitualRequest(c: Rng, m: ClusterModel, p: Principal, t: number): AuditRequest | undefined {
  const hs = habitsOf(p);
  if (!hs) return undefined;
  const h = c.weighted(hs.map((x) => x[1]), hs.map((x) => x[0]));
  return h(c, m, p, t);
}

/** Principals that call the API on their own (those with habits), with their weights. */
export function activePrincipals(m: ClusterModel): Principal[] {
  return m.principals.filter((p) => p.weight > 0 && habitsOf(p) !== undefined);
}
