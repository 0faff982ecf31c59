import { ConfigError, createRng, type Rng } from '../../core/index.ts';
import { containerStreamName, eksStreamName, type KlogComponent } from '../../formats/index.ts';
import type { EntityPools } from '../types.ts';
import { CI_AGENTS, KUBE_BUILD, KUBECTL_AGENTS, WORKLOADS, type WorkloadProfile } from './data.ts';

/**
 * The simulated cluster, derived from the estate (cluster, node group, nodes) and the seed: the pods each
 * workload runs and where, the principals that call the API server with their addresses, agents and habits.
 * The same (pools, seed) always gives the same cluster, so background and incidents agree on names.
 */
export interface EksNode {
  name: string;
  ip: string;
  instanceId: string;
}

export interface EksPod {
  namespace: string;
  name: string;
  uid: string;
  workload: WorkloadProfile;
  node: EksNode;
  ip: string;
  /** The running container's id (64 hex; a restart gives a new one). */
  containerId: string;
  imageDigest: string;
  podTemplateHash: string;
  /** Container restarts so far, and when the running container started (undefined: long before the drill). */
  restarts: number;
  startedAt?: number;
}

export type PrincipalKind = 'node' | 'controller' | 'eks' | 'addon' | 'app' | 'human' | 'ci';

export interface Principal {
  kind: PrincipalKind;
  username: string;
  uid: string;
  groups: string[];
  /** IAM Authenticator extras (IAM principals only), in the order the authenticator sets them. */
  extra?: Record<string, string[]>;
  sourceIps: string[];
  userAgent: string;
  /** Share of the cluster's API calls. */
  weight: number;
  /** The node a kubelet or a node-local add-on pod speaks for. */
  node?: EksNode;
  /** IAM principals: what the authenticator logs. */
  iam?: { arn: string; canonicalArn: string; accessKeyId: string; userId: string; session: string; accountId: string };
  /** The authorizer's reason for what it allows this principal. */
  allowReason: string;
  /** Persona for humans (what they usually do). */
  persona?: 'admin' | 'developer';
}

export interface ClusterModel {
  cluster: string;
  accountId: string;
  region: string;
  version: string;
  groups: { cluster: string; application: string };
  /** Control-plane streams (the hash of each is fixed for a cluster's drill). */
  streams: Record<'audit' | 'authenticator' | KlogComponent, string>;
  nodes: EksNode[];
  pods: EksPod[];
  principals: Principal[];
  /** Addresses the managed control plane calls from (controllers, scheduler, EKS' own components). */
  controlPlaneIps: string[];
  workloads: readonly WorkloadProfile[];
  /** Pod address range (VPC CNI gives pods addresses of the node subnet). */
  podPrefix: string;
}

/** Kubernetes' safe alphabet for generated name suffixes (no vowels, no 0/1/3). */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
export function safeSuffix(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += SAFE[rng.int(0, SAFE.length - 1)]!;
  return s;
}

export function ecrImage(model: Pick<ClusterModel, 'accountId' | 'region'>, w: WorkloadProfile): string {
  return `${model.accountId}.dkr.ecr.${model.region}.amazonaws.com/${w.repo}:${w.tag}`;
}

/** A new pod of a workload on a node (a scale-up, a replacement, a rollout's new ReplicaSet). */
export function newPod(rng: Rng, model: ClusterModel, w: WorkloadProfile, node: EksNode, podTemplateHash: string, imageDigest: string): EksPod {
  return {
    namespace: w.namespace,
    name: `${w.name}-${podTemplateHash}-${safeSuffix(rng, 5)}`,
    uid: rng.uuid(),
    workload: w,
    node,
    ip: `${model.podPrefix}.${rng.int(10, 250)}`,
    containerId: rng.hex(64),
    imageDigest,
    podTemplateHash,
    restarts: 0,
  };
}

export function streamOfPod(p: EksPod): string {
  return containerStreamName(p.node.name, p.name, p.namespace, p.workload.container, p.containerId);
}

const AWS_SERVICE_ACCOUNT = '602401143452'; // the account EKS' own principals come from (as eks:addon-manager's ARN shows)

/** A control-plane component with its own identity (client certificate, no uid): leader election and the like. */
function component(username: string, binary: string, ips: string[], weight: number): Principal {
  return {
    kind: 'controller', username, uid: '', groups: ['system:authenticated'], sourceIps: ips, weight,
    userAgent: `${binary}/${KUBE_BUILD.controller} (linux/amd64) kubernetes/${KUBE_BUILD.gitCommit}/leader-election`,
    allowReason: `RBAC: allowed by ClusterRoleBinding "${username}" of ClusterRole "${username}" to User "${username}"`,
  };
}

/** A controller of kube-controller-manager, calling with its own service account (--use-service-account-credentials). */
function controller(name: string, ips: string[]): Principal {
  const sa = `system:serviceaccount:kube-system:${name}`;
  return {
    kind: 'controller', username: sa, uid: '', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'], sourceIps: ips,
    userAgent: `kube-controller-manager/${KUBE_BUILD.controller} (linux/amd64) kubernetes/${KUBE_BUILD.gitCommit}/${sa}`, weight: 0,
    allowReason: `RBAC: allowed by ClusterRoleBinding "system:controller:${name}" of ClusterRole "system:controller:${name}" to ServiceAccount "${name}/kube-system"`,
  };
}

/** Builds the cluster from the estate; throws a ConfigError when the estate has no EKS cluster or no nodes. */
export function clusterModel(pools: EntityPools): ClusterModel {
  const ids = pools.estate.eks;
  const decl = pools.topology.estate.eks;
  if (!ids || ids.nodes.length === 0) {
    throw new ConfigError('the estate has no EKS cluster with nodes', { expected: 'estate.eks with at least one node (bootstrap or syntheticEstate fills it)', seen: JSON.stringify(ids ?? null) });
  }
  const rng = createRng(`eks-cluster/${ids.clusterName}/${pools.estate.accountId}`);
  const groups = {
    cluster: pools.topology.pipeline.logGroups.find((g) => g.source === 'eks' && g.name.startsWith('/aws/eks/'))?.name ?? `/aws/eks/${ids.clusterName}/cluster`,
    application: pools.topology.pipeline.logGroups.find((g) => g.source === 'eks' && g.name.startsWith('/aws/containerinsights/'))?.name ?? `/aws/containerinsights/${ids.clusterName}/application`,
  };
  const sr = rng.fork('streams');
  const streams = {
    audit: eksStreamName('audit', sr.hex(32)),
    api: eksStreamName('api', sr.hex(32)),
    authenticator: eksStreamName('authenticator', sr.hex(32)),
    controllerManager: eksStreamName('controllerManager', sr.hex(32)),
    scheduler: eksStreamName('scheduler', sr.hex(32)),
    cloudControllerManager: eksStreamName('cloudControllerManager', sr.hex(32)),
  };
  const nr = rng.fork('nodes');
  const nodes: EksNode[] = ids.nodes.map((n) => ({ name: n.name, ip: n.privateIp, instanceId: `i-0${nr.hex(16)}` }));
  const podPrefix = nodes[0]!.ip.split('.').slice(0, 3).join('.');
  // The managed control plane lives in an AWS account's VPC; its calls come from a couple of addresses there.
  const cpr = rng.fork('control-plane');
  const controlPlaneIps = [`172.16.${cpr.int(0, 127)}.${cpr.int(2, 250)}`, `172.16.${cpr.int(128, 255)}.${cpr.int(2, 250)}`];
  const model: ClusterModel = {
    cluster: ids.clusterName, accountId: pools.estate.accountId, region: pools.estate.region, version: ids.version || decl.version,
    groups, streams, nodes, pods: [], principals: [], controlPlaneIps, workloads: WORKLOADS, podPrefix,
  };

  const pr = rng.fork('pods');
  for (const w of WORKLOADS) {
    const hash = `${safeSuffix(pr, 9)}`;
    const digest = `${model.accountId}.dkr.ecr.${model.region}.amazonaws.com/${w.repo}@sha256:${pr.hex(64)}`;
    for (let i = 0; i < w.replicas; i++) model.pods.push(newPod(pr, model, w, nodes[(i + pr.int(0, nodes.length - 1)) % nodes.length]!, hash, digest));
  }

  const P = model.principals;
  const ar = rng.fork('principals');
  const nodeRole = ids.roleArns.node.split('/').pop()!;
  const nodeRoleId = `AROA${ar.hex(17).toUpperCase()}`;
  for (const n of nodes) {
    const session = n.instanceId;
    P.push({
      kind: 'node', username: `system:node:${n.name}`, uid: `aws-iam-authenticator:${model.accountId}:${nodeRoleId}`,
      groups: ['system:bootstrappers', 'system:nodes', 'system:authenticated'], sourceIps: [n.ip],
      userAgent: `kubelet/${KUBE_BUILD.kubelet} (linux/amd64) kubernetes/${KUBE_BUILD.gitCommit}`, weight: 6, node: n,
      iam: { arn: `arn:aws:sts::${model.accountId}:assumed-role/${nodeRole}/${session}`, canonicalArn: ids.roleArns.node, accessKeyId: `ASIA${ar.hex(16).toUpperCase()}`, userId: nodeRoleId, session, accountId: model.accountId },
      allowReason: '',
    });
    // aws-node (the VPC CNI) on each node reads its node and its CNINode.
    P.push({
      kind: 'addon', username: 'system:serviceaccount:kube-system:aws-node', uid: ar.uuid(), groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      sourceIps: [n.ip], userAgent: 'aws-node/v1.19.0-eksbuild.1 (linux/amd64) kubernetes/$Format', weight: 0.8, node: n,
      allowReason: 'RBAC: allowed by ClusterRoleBinding "aws-node" of ClusterRole "aws-node" to ServiceAccount "aws-node/kube-system"',
    });
  }
  const cp = controlPlaneIps;
  P.push(component('system:kube-controller-manager', 'kube-controller-manager', cp, 4));
  P.push(component('system:kube-scheduler', 'kube-scheduler', cp, 4));
  for (const [name, weight] of [['endpointslice-controller', 1], ['horizontal-pod-autoscaler', 1.5], ['resourcequota-controller', 0.3], ['replicaset-controller', 0], ['deployment-controller', 0], ['node-controller', 0], ['generic-garbage-collector', 0]] as const) {
    P.push({ ...controller(name, cp), uid: ar.uuid(), weight });
  }
  for (const [name, weight] of [['eks:cloud-controller-manager', 4], ['eks:addon-manager', 0.5], ['eks:certificate-controller', 0.5], ['eks:k8s-metrics', 0.8]] as const) {
    P.push({
      kind: 'eks', username: name, uid: `aws-iam-authenticator:${AWS_SERVICE_ACCOUNT}:AROA${ar.hex(17).toUpperCase()}`, groups: ['system:authenticated'], sourceIps: cp,
      userAgent: name === 'eks:cloud-controller-manager' ? `aws-cloud-controller-manager/v1.31.0 (linux/amd64) kubernetes/${ar.hex(7)}/leader-election` : `Go-http-client/2.0`, weight,
      allowReason: `RBAC: allowed by ClusterRoleBinding "${name}" of ClusterRole "${name}" to User "${name}"`,
    });
  }
  // Workload service accounts: the storefront refreshes its feature flags from a ConfigMap.
  const front = model.pods.filter((p) => p.workload.name === 'storefront');
  P.push({
    kind: 'app', username: 'system:serviceaccount:shop:storefront', uid: ar.uuid(), groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'],
    sourceIps: front.map((p) => p.ip), userAgent: 'storefront/4.12.1 (linux/amd64) @kubernetes/client-node', weight: 0.6,
    allowReason: 'RBAC: allowed by RoleBinding "storefront-config/shop" of Role "config-reader" to ServiceAccount "storefront/shop"',
  });
  // The CloudWatch agent elects a leader and lists pods and nodes for Container Insights.
  P.push({
    kind: 'addon', username: 'system:serviceaccount:amazon-cloudwatch:cloudwatch-agent', uid: ar.uuid(), groups: ['system:serviceaccounts', 'system:serviceaccounts:amazon-cloudwatch', 'system:authenticated'],
    sourceIps: nodes.map((n) => n.ip), userAgent: 'amazon-cloudwatch-agent/1.300049.1 (linux/amd64)', weight: 1.2,
    allowReason: 'RBAC: allowed by ClusterRoleBinding "cloudwatch-agent-role-binding" of ClusterRole "cloudwatch-agent-role" to ServiceAccount "cloudwatch-agent/amazon-cloudwatch"',
  });

  // People and CI, through the IAM Authenticator with EKS access entries (the username is the IAM principal's ARN).
  for (const u of pools.users) {
    const iam = u.iamUser;
    if (!iam || /etl|batch/.test(u.userName)) continue;
    const ci = /deploy|ci|pipeline/.test(u.userName);
    const admin = pools.users.findIndex((x) => x.iamUser) === pools.users.indexOf(u);
    const policy = admin || ci ? 'AmazonEKSClusterAdminPolicy' : 'AmazonEKSEditPolicy';
    P.push({
      kind: ci ? 'ci' : 'human', username: iam.arn, uid: `aws-iam-authenticator:${model.accountId}:${iam.userId}`, groups: ['system:authenticated'],
      extra: { accessKeyId: [iam.accessKeyId], arn: [iam.arn], canonicalArn: [iam.arn], principalId: [iam.userId], sessionName: [''], 'sigs.k8s.io/aws-iam-authenticator/principalId': [iam.userId] },
      sourceIps: u.homeIps, userAgent: ci ? CI_AGENTS[0] : ar.pick(KUBECTL_AGENTS), weight: ci ? 0.8 : admin ? 0.7 : 0.5,
      iam: { arn: iam.arn, canonicalArn: iam.arn, accessKeyId: iam.accessKeyId, userId: iam.userId, session: '', accountId: model.accountId },
      allowReason: `EKS Access Policy: allowed by ClusterRoleBinding "${iam.arn}+arn:aws:eks::aws:cluster-access-policy/${policy}" of ClusterRole "arn:aws:eks::aws:cluster-access-policy/${policy}" to User "${iam.arn}"`,
      ...(ci ? {} : { persona: admin ? ('admin' as const) : ('developer' as const) }),
    });
  }
  return model;
}

/** The IAM principals of the cluster (people and CI), for incidents that borrow one's credentials. */
export function iamPrincipals(model: ClusterModel): Principal[] {
  return model.principals.filter((p) => p.kind === 'human' || p.kind === 'ci');
}

export function principalByName(model: ClusterModel, wanted: string | undefined, fallback: (p: Principal) => boolean): Principal {
  const people = iamPrincipals(model);
  if (wanted) {
    const p = model.principals.find((x) => x.username === wanted || x.iam?.accessKeyId === wanted || x.username.endsWith(`/${wanted}`));
    if (!p) throw new ConfigError('incident names a principal the cluster does not have', { expected: people.map((x) => x.username).join(' | '), seen: wanted });
    return p;
  }
  const p = people.find(fallback) ?? people[0];
  if (!p) throw new ConfigError('the cluster has no IAM principals to borrow', { expected: 'estate IAM users mapped as cluster users', seen: 'none' });
  return p;
}
