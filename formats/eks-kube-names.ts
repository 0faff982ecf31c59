/**
 * What Kubernetes names say about their owners. Pod names carry the workload that made them: a Deployment's pod is
 * `<deployment>-<pod-template-hash>-<5>`, a DaemonSet's or Job's `<name>-<5>`, a StatefulSet's `<name>-<ordinal>`.
 * The random parts use Kubernetes' safe alphabet (no vowels, no 0/1/3), which keeps `kube-proxy-x7k2p` from
 * reading as a Deployment named `kube`.
 */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const DEPLOYMENT_POD = new RegExp(`^(.+)-${SAFE}{6,10}-${SAFE}{5}$`);
const SET_POD = new RegExp(`^(.+)-${SAFE}{5}$`);
const STATEFUL_POD = /^(.+)-\d+$/;

/** The workload name a pod name implies (the pod name itself when it implies none). */
export function workloadOfPod(podName: string): string {
  return DEPLOYMENT_POD.exec(podName)?.[1] ?? SET_POD.exec(podName)?.[1] ?? STATEFUL_POD.exec(podName)?.[1] ?? podName;
}

/** The workload from pod labels, as `kubectl` tooling reads them, when they name one. */
export function workloadOfLabels(labels: Record<string, unknown> | undefined): string | undefined {
  if (!labels) return undefined;
  for (const k of ['app.kubernetes.io/name', 'app', 'k8s-app']) {
    const v = labels[k];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

/** The node a kubelet identity (`system:node:<node>`) speaks for. */
export function nodeOfUser(username: string): string | undefined {
  return username.startsWith('system:node:') ? username.slice('system:node:'.length) : undefined;
}

/** The cluster from an EKS control-plane log group (`/aws/eks/<cluster>/cluster`). */
export const EKS_CLUSTER_GROUP = /^\/aws\/eks\/([^/]+)\/cluster$/;
/** The cluster from a Container Insights application log group (`/aws/containerinsights/<cluster>/application`). */
export const EKS_APPLICATION_GROUP = /^\/aws\/containerinsights\/([^/]+)\/application$/;

export function clusterOfGroup(group: string | undefined): string | undefined {
  if (!group) return undefined;
  return EKS_CLUSTER_GROUP.exec(group)?.[1] ?? EKS_APPLICATION_GROUP.exec(group)?.[1];
}
