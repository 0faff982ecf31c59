import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, defaultTopology, syntheticEstate } from '../../core/index.ts';
import { buildPools } from '../common/pools.ts';
import { eksFormat, type EksRecord, type LineOrigin, type NormalizedRecord } from '../../formats/index.ts';
import { constantRate } from '../common/rate/index.ts';
import { determinismSuite, SAMPLE_START, samplePools } from '../common/testing.ts';
import type { GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { eksAuditLevel } from './audit-events.ts';
import { clusterModel } from './cluster-model.ts';
import { eksApiForbiddenBurst, eksBackground, eksCrashloopStorm, eksExecSecretAccess, eksNodeNotReady } from './index.ts';

const pools = samplePools(42);
const model = clusterModel(pools);
const window = { start: SAMPLE_START, end: SAMPLE_START + 15 * 60_000 };

interface Parsed {
  e: GeneratedEvent;
  r: EksRecord;
  n: Pick<NormalizedRecord, 'time' | 'entities' | 'fields'>;
  stream: string;
}

/** Every line parses under its own group and stream, in time order, inside the window, with the event's time. */
function parsed(events: GeneratedEvent[], w = window): Parsed[] {
  const problems: string[] = [];
  let last = -Infinity;
  const out: Parsed[] = [];
  for (const e of events) {
    const bad = (why: string) => problems.length < 5 && problems.push(`${why}: ${e.message.slice(0, 200)}`);
    if (e.time < last || e.time < w.start || e.time >= w.end) bad('time');
    last = e.time;
    if (e.dest.kind !== 'cwl') {
      bad('destination');
      continue;
    }
    const origin: LineOrigin = { logGroup: e.dest.logGroup, logStream: e.dest.logStream, timestamp: e.time };
    const r = eksFormat.parse(e.message, origin);
    if (eksFormat.serialize(r) !== e.message) bad('does not round-trip');
    const n = eksFormat.normalize(r, origin);
    if (n.time !== e.time) bad(`normalized time ${n.time} ≠ event time ${e.time}`);
    out.push({ e, r, n, stream: e.dest.logStream });
  }
  expect(problems).toEqual([]);
  return out;
}

function incident(gen: IncidentGenerator, seed: number, extra: Partial<IncidentRequest> = {}): { events: GeneratedEvent[]; req: IncidentRequest } {
  const req: IncidentRequest = { incidentId: 'inc-9', kind: gen.kind, window: { start: SAMPLE_START, end: SAMPLE_START + 6 * 60_000 }, intensity: 1, entities: {}, ...extra };
  return { events: [...gen.generate(createRng(seed), pools, req)], req };
}

describe('eks background', () => {
  const events = [...eksBackground.generate(createRng(7), pools, { window, rate: constantRate(5) })];
  const ps = parsed(events);

  it('writes every stream with its AWS name and no label', () => {
    expect(events.length).toBeGreaterThan(3500);
    expect(events.every((e) => e.label === undefined)).toBe(true);
    const types = new Set(ps.map((p) => p.n.fields.logType));
    expect([...types].sort()).toEqual(['api', 'audit', 'authenticator', 'container', 'controllerManager', 'scheduler']);
    for (const p of ps) {
      if (p.e.dest.kind !== 'cwl') continue;
      if (p.n.fields.logType === 'container') {
        expect(p.e.dest.logGroup).toBe('/aws/containerinsights/firedrill-eks/application');
        expect(p.stream).toBe(`${p.n.fields.node}-application.var.log.containers.${String(p.n.fields.pod).split('/')[1]}_${p.n.fields.namespace}_${p.n.fields.container}-${p.n.fields.containerId}.log`);
        expect(p.n.fields.containerId).toMatch(/^[0-9a-f]{64}$/);
      } else {
        expect(p.e.dest.logGroup).toBe('/aws/eks/firedrill-eks/cluster');
        expect(p.stream).toMatch(/^(kube-apiserver-audit|kube-apiserver|authenticator|kube-controller-manager|kube-scheduler)-[0-9a-f]{32}$/);
      }
    }
  });

  it('logs what EKS\' audit policy keeps, at its level, as Go writes JSON', () => {
    const audit = ps.filter((p) => p.r.kind === 'audit').map((p) => ({ p, ev: (p.r as Extract<EksRecord, { kind: 'audit' }>).event }));
    expect(audit.length).toBeGreaterThan(1000);
    for (const { p, ev } of audit) {
      expect(p.e.message).not.toMatch(/[&<>]/);
      const ref = (ev.objectRef ?? {}) as Record<string, string>;
      if (ref.resource === 'secrets' || ref.resource === 'configmaps' || ref.resource === 'leases') expect(ev.level).toBe('Metadata');
      if (ev.level === 'Metadata') expect(ev.requestObject).toBeUndefined();
      if (ev.level !== 'RequestResponse') expect(ev.responseObject).toBeUndefined();
      expect(ev.stage).toMatch(/^Response(Complete|Started)$/);
      expect(ref.resource === 'events').toBe(false);
      expect(String(ev.requestURI)).not.toMatch(/^\/(healthz|version)/);
    }
    // Kubelets' lease renewals are the bulk of the API traffic, as in any cluster.
    const leases = audit.filter(({ ev }) => (ev.objectRef as Record<string, string> | undefined)?.resource === 'leases');
    expect(leases.length / audit.length).toBeGreaterThan(0.4);
  });

  it('keeps each principal to its habits: kubelets from their node, people from their own addresses', () => {
    for (const p of ps.filter((x) => x.r.kind === 'audit')) {
      const user = String(p.n.fields.user);
      const known = model.principals.filter((x) => x.username === user);
      if (user === 'system:anonymous') {
        expect(p.n.fields.responseCode).toBe(403);
        expect(pools.internetNoise).toContain(p.n.fields.sourceIp);
        continue;
      }
      expect(known.length, user).toBeGreaterThan(0);
      expect(known.flatMap((k) => k.sourceIps)).toContain(p.n.fields.sourceIp);
      if (known[0]!.kind === 'node') expect(p.n.fields.sourceIp).toBe(known[0]!.node!.ip);
    }
    // Exec and secret reads happen, by the few who do them.
    const exec = ps.filter((p) => p.n.fields.subresource === 'exec');
    const secrets = ps.filter((p) => p.n.fields.resource === 'secrets' && p.n.fields.responseCode === 200);
    expect(new Set(exec.map((p) => p.n.fields.user)).size).toBeLessThanOrEqual(1);
    expect(new Set(secrets.map((p) => p.n.fields.user)).size).toBeGreaterThan(1);
  });

  it('churns pods (new names, never a restart storm) and restarts a container now and then', () => {
    const long = { start: SAMPLE_START, end: SAMPLE_START + 2 * 3_600_000 };
    const evs = [...eksBackground.generate(createRng(8), pools, { window: long, rate: constantRate(1) })];
    const lps = parsed(evs, long);
    const scaled = lps.filter((p) => p.n.fields.msg === 'Event occurred' && /SuccessfulRescale/.test(p.e.message));
    expect(scaled.length).toBeGreaterThan(5);
    const crashy = lps.filter((p) => p.n.fields.containerState !== null && p.n.fields.containerState !== 'Running');
    // A few liveness restarts in two hours, each a single status patch.
    expect(crashy.length).toBeGreaterThan(0);
    expect(crashy.length).toBeLessThan(20);
    expect(crashy.every((p) => p.n.fields.containerState === 'Error')).toBe(true);
  });
});

describe('eks on another estate', () => {
  it('names groups, streams and nodes after that estate (prefix acme, eu-west-1)', () => {
    const topology = defaultTopology({ prefix: 'acme', region: 'eu-west-1' });
    const other = buildPools(createRng(5).fork('pools'), syntheticEstate(topology), topology);
    const w = { start: SAMPLE_START, end: SAMPLE_START + 3 * 60_000 };
    const ps = parsed([...eksBackground.generate(createRng(5), other, { window: w, rate: constantRate(5) })], w);
    const groups = new Set(ps.map((p) => (p.e.dest.kind === 'cwl' ? p.e.dest.logGroup : '')));
    expect([...groups].sort()).toEqual(['/aws/containerinsights/acme-eks/application', '/aws/eks/acme-eks/cluster']);
    expect(ps.every((p) => p.n.entities.cluster === 'acme-eks')).toBe(true);
    const nodes = new Set(ps.map((p) => p.n.fields.node).filter((n): n is string => typeof n === 'string'));
    expect(nodes.size).toBe(3);
    for (const n of nodes) expect(n).toMatch(/^ip-10-0-11-\d+\.eu-west-1\.compute\.internal$/);
    expect(ps.some((p) => p.n.fields.logType === 'authenticator' && /sts\.eu-west-1\.amazonaws\.com/.test(p.e.message))).toBe(true);
  });
});

describe('eks audit policy', () => {
  const node = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
  const admin = { username: 'arn:aws:iam::1:user/a', groups: ['system:authenticated'] };
  it('follows EKS\' published rules', () => {
    expect(eksAuditLevel(admin, { verb: 'update', resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth' })).toBe('RequestResponse');
    expect(eksAuditLevel(admin, { verb: 'get', resource: 'configmaps', namespace: 'shop', name: 'x' })).toBe('Metadata');
    expect(eksAuditLevel(node, { verb: 'get', resource: 'nodes', name: 'n1' })).toBe('None');
    expect(eksAuditLevel(node, { verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'shop', name: 'p' })).toBe('Request');
    expect(eksAuditLevel(admin, { verb: 'list', resource: 'pods', namespace: 'shop' })).toBe('Request');
    expect(eksAuditLevel(admin, { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'p' })).toBe('RequestResponse');
    expect(eksAuditLevel(admin, { verb: 'update', resource: 'leases', group: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n1' })).toBe('Metadata');
    expect(eksAuditLevel(admin, { verb: 'create', resource: 'events', namespace: 'shop' })).toBe('None');
    expect(eksAuditLevel(admin, { verb: 'get', path: '/healthz' })).toBe('None');
    expect(eksAuditLevel(admin, { verb: 'get', path: '/readyz' })).toBe('Metadata');
  });
});

describe('eks incidents', () => {
  it('crash loop: a rollout whose pods die and come back with CrashLoopBackOff delays doubling', () => {
    const { events, req } = incident(eksCrashloopStorm, 3);
    const ps = parsed(events, req.window);
    const who = eksCrashloopStorm.describe(createRng(3), pools, req);
    expect(who.workload).toBe('shop/cart');
    expect(events.every((e) => e.label?.kind === 'eks-crashloop-storm' && e.label.incidentId === 'inc-9')).toBe(true);
    const patches = ps.filter((p) => p.n.fields.subresource === 'status' && p.n.fields.pod === who.pod);
    const waiting = patches.filter((p) => String(p.n.fields.containerState).startsWith('CrashLoopBackOff/OOMKilled'));
    expect(waiting.length).toBeGreaterThanOrEqual(4);
    const delays = waiting.map((p) => /back-off (\S+) restarting/.exec(p.e.message)![1]);
    expect(delays.slice(0, 4)).toEqual(['10s', '20s', '40s', '1m20s']);
    expect(patches.map((p) => p.n.fields.restartCount).filter((x) => x !== null && x !== 0)).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    // Every restart is a new container, so a new Fluent Bit stream of the same pod.
    const ids = new Set(ps.filter((p) => p.n.fields.pod === who.pod && p.n.fields.logType === 'container').map((p) => p.n.fields.containerId));
    expect(ids.size).toBeGreaterThanOrEqual(4);
    expect(ps.every((p) => !p.e.message.includes('inc-9'))).toBe(true);
  });

  it('crash loop on error exits: exit code 1, the panic on stderr', () => {
    const { events, req } = incident(eksCrashloopStorm, 4, { params: { reason: 'error' } });
    const ps = parsed(events, req.window);
    expect(ps.some((p) => p.n.fields.exitCode === 1 && String(p.n.fields.containerState).includes('Error'))).toBe(true);
    expect(ps.some((p) => p.n.fields.stream === 'stderr' && /panic: runtime error/.test(String(p.n.fields.text)))).toBe(true);
    expect(() => [...eksCrashloopStorm.generate(createRng(1), pools, { ...req, params: { reason: 'segfault' } })]).toThrow(/reason must be oom or error/);
  });

  it('forbidden burst: one internet address, anonymous, refused everywhere', () => {
    const { events, req } = incident(eksApiForbiddenBurst, 5);
    const ps = parsed(events, req.window);
    const who = eksApiForbiddenBurst.describe(createRng(5), pools, req);
    expect(ps.length).toBeGreaterThan(800);
    for (const p of ps) expect(p.n.fields).toMatchObject({ anonymous: true, responseCode: 403, decision: 'forbid', sourceIp: who.ip });
    expect(new Set(ps.map((p) => p.n.fields.resource)).size).toBeGreaterThanOrEqual(8);
  });

  it('forbidden burst by a workload\'s service account comes from its pods', () => {
    const { events, req } = incident(eksApiForbiddenBurst, 6, { params: { principal: 'system:serviceaccount:shop:storefront' } });
    const ps = parsed(events, req.window);
    expect(new Set(ps.map((p) => p.n.fields.user))).toEqual(new Set(['system:serviceaccount:shop:storefront']));
    expect(model.principals.find((p) => p.username === 'system:serviceaccount:shop:storefront')!.sourceIps).toContain(ps[0]!.n.fields.sourceIp);
  });

  it('exec and secret access: a developer\'s key from a new address, shells opened and secrets read', () => {
    const { events, req } = incident(eksExecSecretAccess, 7);
    const ps = parsed(events, req.window);
    const who = eksExecSecretAccess.describe(createRng(7), pools, req);
    const audit = ps.filter((p) => p.n.fields.logType === 'audit');
    for (const p of audit) expect(p.n.fields).toMatchObject({ user: who.principal, accessKeyId: who.accessKey, sourceIp: who.ip, decision: 'allow' });
    expect(audit.some((p) => p.n.fields.subresource === 'exec' && p.n.fields.responseCode === 101)).toBe(true);
    expect(new Set(audit.filter((p) => p.n.fields.resource === 'secrets').map((p) => p.n.fields.namespace ?? '*')).size).toBeGreaterThanOrEqual(3);
    expect(ps.some((p) => p.n.fields.logType === 'authenticator' && p.n.fields.accessKeyId === who.accessKey)).toBe(true);
    // The stolen identity is one the background uses from home, never from this address.
    const bg = [...eksBackground.generate(createRng(7), pools, { window, rate: constantRate(5) })];
    expect(bg.some((e) => e.message.includes(who.principal!) && e.message.includes(`"${who.ip}"`))).toBe(false);
  });

  it('node NotReady: the kubelet reports it, the controller records it, pods are evicted after 300 s', () => {
    const { events, req } = incident(eksNodeNotReady, 8);
    const ps = parsed(events, req.window);
    const who = eksNodeNotReady.describe(createRng(8), pools, req);
    expect(ps.filter((p) => p.n.fields.nodeReady === false && p.n.fields.node === who.node).length).toBeGreaterThan(20);
    expect(ps.some((p) => p.n.fields.msg === 'Recording status change event message for node' && p.n.fields.status === 'NodeNotReady' && p.n.fields.node === who.node)).toBe(true);
    const evicted = ps.filter((p) => p.n.fields.msg === 'Deleting pod');
    expect(evicted.length).toBeGreaterThan(0);
    expect(Math.min(...evicted.map((p) => p.n.time)) - req.window.start).toBeGreaterThanOrEqual(300_000);
  });

  it('property: any seed and intensity gives ordered, labelled, parseable lines', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0.05, max: 1.5, noNaN: true }), fc.constantFrom(eksCrashloopStorm, eksApiForbiddenBurst, eksExecSecretAccess, eksNodeNotReady), (seed, intensity, gen) => {
        const short = { start: SAMPLE_START, end: SAMPLE_START + 120_000 };
        const req: IncidentRequest = { incidentId: 'p', kind: gen.kind, window: short, intensity, entities: {} };
        const evs = [...gen.generate(createRng(seed), pools, req)];
        parsed(evs, short);
        expect(evs.every((e) => e.label?.incidentId === 'p')).toBe(true);
        const who = gen.describe(createRng(seed), pools, req);
        const value = Object.values(who)[0]!;
        expect(evs.length === 0 || evs.some((e) => e.message.includes(value.split('/').pop()!))).toBe(true);
      }),
      { numRuns: 12 },
    );
  });
});

determinismSuite({ background: 'eks' }, { rate: 20 });
determinismSuite({ incident: 'eks-crashloop-storm' });
determinismSuite({ incident: 'eks-api-forbidden-burst' });
determinismSuite({ incident: 'eks-exec-secret-access' });
determinismSuite({ incident: 'eks-node-not-ready' });
