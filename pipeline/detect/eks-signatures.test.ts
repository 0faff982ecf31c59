import { describe, expect, it } from 'vitest';
import { createRng, type Rng, type Finding } from '../../core/index.ts';
import type { NormalizedRecord } from '../../formats/index.ts';
import { createDetectorState, detectWindow } from './detector.ts';
import { rec } from './test-records.ts';

/**
 * The EKS signatures on hand-built records that follow docs/CONTRACTS.md (not on generators/): a cluster's
 * ordinary minute, then one incident at a time, and the look-alikes that must not fire.
 */
const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const W = 60_000;
const CLUSTER = 'test-eks';
const NODES = ['ip-10-0-11-101.ec2.internal', 'ip-10-0-11-102.ec2.internal', 'ip-10-0-11-103.ec2.internal'];
const ALICE = { user: 'arn:aws:iam::111122223333:user/alice', ip: '203.0.113.10', key: 'AKIAALICE00000000001' };
const BOB = { user: 'arn:aws:iam::111122223333:user/bob', ip: '203.0.113.20', key: 'AKIABOB0000000000002' };

const EMPTY: NormalizedRecord['fields'] = {
  logType: null, cluster: CLUSTER, severity: null, text: null, auditId: null, stage: null, auditLevel: null, verb: null, requestUri: null, user: null, userGroups: null,
  userAgent: null, sourceIp: null, resource: null, subresource: null, namespace: null, name: null, apiGroup: null, responseCode: null, decision: null, authzReason: null,
  accessKeyId: null, userArn: null, anonymous: false, containerState: null, restartCount: null, exitCode: null, nodeReady: null, nodeCondition: null, msg: null, file: null,
  thread: null, client: null, error: null, status: null, eventReason: null, stream: null, pod: null, podId: null, container: null, node: null, containerId: null, image: null, workload: null,
};

function audit(t: number, f: { user: string; ip: string; verb: string; resource: string; namespace?: string; name?: string; subresource?: string; code?: number; key?: string; groups?: string; containerState?: string; nodeReady?: boolean; node?: string }): NormalizedRecord {
  const pod = f.resource === 'pods' && f.namespace && f.name ? `${f.namespace}/${f.name}` : null;
  const workload = pod ? `${f.namespace}/${f.name!.replace(/-[a-z0-9]{9}-[a-z0-9]{5}$/, '')}` : null;
  const fields = {
    ...EMPTY, logType: 'audit', auditId: `${t}-${Math.random()}`, verb: f.verb, user: f.user, userGroups: f.groups ?? 'system:authenticated', sourceIp: f.ip, resource: f.resource,
    subresource: f.subresource ?? null, namespace: f.namespace ?? null, name: f.name ?? null, responseCode: f.code ?? 200, decision: (f.code ?? 200) === 403 ? 'forbid' : 'allow',
    anonymous: f.user === 'system:anonymous', accessKeyId: f.key ?? null, containerState: f.containerState ?? null, nodeReady: f.nodeReady ?? null, pod, workload, node: f.node ?? null,
  };
  return rec('eks', t, fields, { cluster: CLUSTER, principal: f.user, ip: f.ip, ...(f.key ? { accessKey: f.key } : {}), ...(pod ? { pod, workload: workload! } : {}), ...(f.node ? { node: f.node } : {}) });
}

function container(t: number, pod: string, containerId: string, text: string): NormalizedRecord {
  const [ns, name] = pod.split('/') as [string, string];
  const workload = `${ns}/${name.replace(/-[a-z0-9]{9}-[a-z0-9]{5}$/, '')}`;
  return rec('eks', t, { ...EMPTY, logType: 'container', text, stream: 'stdout', namespace: ns, pod, container: 'app', node: NODES[0]!, containerId, workload, severity: 'INFO' }, { cluster: CLUSTER, pod, workload, namespace: ns, node: NODES[0]! });
}

function klog(t: number, msg: string, kv: Record<string, string>): NormalizedRecord {
  return rec('eks', t, { ...EMPTY, logType: 'controllerManager', msg, text: msg, severity: 'INFO', node: kv.node ?? null, status: kv.status ?? null, eventReason: kv.reason ?? null }, { cluster: CLUSTER, ...(kv.node ? { node: kv.node } : {}) });
}

/** An ordinary minute: lease renewals, pods logging, an admin who now and then execs and reads a secret, Helm's reads, scanners. */
function background(seed: number, start: number): NormalizedRecord[] {
  const r: Rng = createRng(`${seed}/${start}`);
  const t = () => start + Math.floor(r.next() * W);
  const out: NormalizedRecord[] = [];
  for (const n of NODES) for (let i = 0; i < 6; i++) out.push(audit(t(), { user: `system:node:${n}`, ip: '10.0.11.101', groups: 'system:nodes,system:authenticated', verb: 'update', resource: 'leases', namespace: 'kube-node-lease', name: n }));
  for (let i = 0; i < 12; i++) out.push(audit(t(), { user: `system:node:${NODES[0]}`, ip: '10.0.11.101', groups: 'system:nodes,system:authenticated', verb: 'get', resource: 'secrets', namespace: 'shop', name: 'payments-db' }));
  for (let i = 0; i < 40; i++) out.push(container(t(), `shop/cart-7d9f8b6c5-x${i % 3}k2p`, `c${i % 3}`.padEnd(64, '0'), `cart read latency_ms=${r.int(2, 90)}`));
  for (let i = 0; i < 3; i++) out.push(audit(t(), { user: BOB.user, ip: BOB.ip, key: BOB.key, verb: 'list', resource: 'pods', namespace: 'shop' }));
  out.push(audit(t(), { user: ALICE.user, ip: ALICE.ip, key: ALICE.key, verb: 'list', resource: 'nodes' }));
  if (r.chance(0.3)) out.push(audit(t(), { user: ALICE.user, ip: ALICE.ip, key: ALICE.key, verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'cart-7d9f8b6c5-x0k2p', code: 101 }));
  if (r.chance(0.3)) out.push(audit(t(), { user: ALICE.user, ip: ALICE.ip, key: ALICE.key, verb: 'get', resource: 'secrets', namespace: 'shop', name: 'payments-db' }));
  out.push(audit(t(), { user: 'arn:aws:iam::111122223333:user/deploy-bot', ip: '52.1.2.3', verb: 'list', resource: 'secrets', namespace: 'shop' }));
  for (let i = r.int(0, 3); i > 0; i--) {
    const ip = `45.${r.int(1, 250)}.${r.int(1, 250)}.${r.int(1, 250)}`;
    for (let k = r.int(1, 2); k > 0; k--) out.push(audit(t(), { user: 'system:anonymous', ip, groups: 'system:unauthenticated', verb: 'get', resource: 'pods', code: 403 }));
  }
  return out.sort((a, b) => a.time - b.time);
}

function run(windows: number, inject: (w: number, start: number) => NormalizedRecord[] = () => [], seed = 1): Finding[] {
  let state = createDetectorState();
  const created: Finding[] = [];
  for (let w = 0; w < windows; w++) {
    const start = T0 + w * W;
    const res = detectWindow(state, [...background(seed, start), ...inject(w, start)], { start, end: start + W }, { dependencies: [] });
    state = res.state;
    for (const ch of res.changes) if (ch.change === 'created') created.push(res.findings.find((f) => f.findingId === ch.findingId)!);
  }
  return created;
}

const AT = 12;
const spread = (start: number, n: number, make: (t: number, i: number) => NormalizedRecord) => Array.from({ length: n }, (_, i) => make(start + Math.floor(((i + 0.5) * W) / n), i));

describe('EKS signatures', () => {
  it('stay quiet over an ordinary cluster, the admin\'s exec and secret reads included', () => {
    for (const seed of [1, 2, 3]) expect(run(40, () => [], seed).map((f) => `${f.kind}: ${f.summary}`)).toEqual([]);
  });

  it('crash loop: kubelet reports of CrashLoopBackOff/OOMKilled for one workload', () => {
    const pods = ['shop/cart-8q8z7d5vc-pp5wf', 'shop/cart-8q8z7d5vc-w4h6g'];
    const found = run(20, (w, s) => (w >= AT && w < AT + 3 ? spread(s, 6, (t, i) => audit(t, { user: `system:node:${NODES[0]}`, ip: '10.0.11.101', groups: 'system:nodes,system:authenticated', verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'shop', name: pods[i % 2]!.split('/')[1], containerState: i % 2 ? 'OOMKilled' : 'CrashLoopBackOff/OOMKilled' })) : []));
    expect(found.map((f) => [f.kind, f.primary, f.entities.workload])).toEqual([['eks-crashloop-storm', 'workload', 'shop/cart']]);
    expect(found[0]!.detectedAt).toBe(T0 + (AT + 1) * W);
  });

  it('crash loop seen only in container logs: one pod, a new container id again and again', () => {
    const found = run(20, (w, s) => (w >= AT && w < AT + 3 ? spread(s, 8, (t, i) => container(t, 'shop/cart-8q8z7d5vc-pp5wf', `n${w}${i}`.padEnd(64, '0'), 'starting cart')) : []));
    expect(found.map((f) => f.kind)).toEqual(['eks-crashloop-storm']);
    expect(found[0]!.evidence.features.newContainers).toBeGreaterThanOrEqual(3);
  });

  it('misses a single restart after a failed liveness probe (one report is not a storm)', () => {
    expect(run(20, (w, s) => (w === AT ? [audit(s + 5_000, { user: `system:node:${NODES[0]}`, ip: '10.0.11.101', groups: 'system:nodes,system:authenticated', verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'shop', name: 'cart-7d9f8b6c5-x0k2p', containerState: 'Error' })] : []))).toEqual([]);
  });

  it('anonymous burst from one address; many scanners at two requests each stay below it', () => {
    const burst = run(20, (w, s) => (w >= AT && w < AT + 2 ? spread(s, 120, (t) => audit(t, { user: 'system:anonymous', ip: '198.51.100.77', groups: 'system:unauthenticated', verb: 'list', resource: 'secrets', namespace: 'kube-system', code: 403 })) : []));
    expect(burst.map((f) => [f.kind, f.primary, f.entities.ip])).toEqual([['eks-api-forbidden-burst', 'ip', '198.51.100.77']]);
    const scattered = run(20, (w, s) => (w >= AT && w < AT + 2 ? spread(s, 120, (t, i) => audit(t, { user: 'system:anonymous', ip: `198.51.${i >> 1}.7`, groups: 'system:unauthenticated', verb: 'get', resource: 'pods', code: 403 })) : []));
    expect(scattered).toEqual([]);
  });

  it('forbidden burst by an authenticated principal is keyed by the principal', () => {
    const sa = 'system:serviceaccount:shop:storefront';
    const found = run(20, (w, s) => (w === AT ? spread(s, 40, (t, i) => audit(t, { user: sa, ip: '10.0.11.40', verb: 'list', resource: ['secrets', 'nodes', 'clusterrolebindings'][i % 3]!, code: 403 })) : []));
    expect(found.map((f) => [f.kind, f.primary, f.entities.principal])).toEqual([['eks-api-forbidden-burst', 'principal', sa]]);
  });

  it('exec and secret reads with a developer\'s key from a new address', () => {
    const found = run(20, (w, s) => (w >= AT && w < AT + 2 ? [
      audit(s + 1_000, { user: BOB.user, ip: '185.220.101.9', key: BOB.key, verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'cart-7d9f8b6c5-x1k2p', code: 101 }),
      ...['shop', 'kube-system', 'default'].map((ns, i) => audit(s + 5_000 + i * 1000, { user: BOB.user, ip: '185.220.101.9', key: BOB.key, verb: 'list', resource: 'secrets', namespace: ns })),
    ] : []));
    expect(found.map((f) => [f.kind, f.primary, f.entities.accessKey, f.entities.ip])).toEqual([['eks-exec-secret-access', 'accessKey', BOB.key, '185.220.101.9']]);
    expect(found[0]!.evidence.features).toMatchObject({ novelIp: 1, novelExec: 1, novelSecrets: 1, breadth: 1 });
  });

  it('misses the same steps from the developer\'s usual address: new habits alone do not add up', () => {
    expect(run(20, (w, s) => (w >= AT && w < AT + 2 ? [
      audit(s + 1_000, { user: BOB.user, ip: BOB.ip, key: BOB.key, verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'cart-7d9f8b6c5-x1k2p', code: 101 }),
      audit(s + 5_000, { user: BOB.user, ip: BOB.ip, key: BOB.key, verb: 'get', resource: 'secrets', namespace: 'shop', name: 'cart-redis' }),
    ] : []))).toEqual([]);
  });

  it('node NotReady from the kubelet\'s reports and the controller\'s record; a recovery does not fire', () => {
    const node = NODES[2]!;
    const found = run(20, (w, s) => (w >= AT && w < AT + 2 ? [
      ...spread(s, 5, (t) => audit(t, { user: `system:node:${node}`, ip: '10.0.11.103', groups: 'system:nodes,system:authenticated', verb: 'patch', resource: 'nodes', subresource: 'status', name: node, nodeReady: false, node })),
      klog(s + 3_000, 'Recording status change event message for node', { status: 'NodeNotReady', node }),
    ] : []));
    expect(found.map((f) => [f.kind, f.primary, f.entities.node])).toEqual([['eks-node-not-ready', 'node', node]]);
    expect(run(20, (w, s) => (w === AT ? [klog(s + 3_000, 'Recording status change event message for node', { status: 'NodeReady', node })] : []))).toEqual([]);
  });
});
