import { ConfigError, type Rng, type Entities } from '../../core/index.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest, TruthLabel } from '../types.ts';
import { auditEvent, type AuditRequest } from './audit-events.ts';
import { clusterModel, type ClusterModel, type Principal } from './cluster-model.ts';
import { ENUMERATION, NAMESPACES, SECRETS } from './data.ts';

const TOOLS = ['kube-hunter/0.6.8', 'python-requests/2.31.0', 'kubectl/v1.28.4 (linux/amd64) kubernetes/bae2c62', 'Go-http-client/1.1'] as const;

interface Caller {
  principal: Principal;
  entities: Entities;
}

/** Who calls: anonymous from an internet address (default), or an authenticated principal the cluster knows. */
function caller(rng: Rng, pools: EntityPools, model: ClusterModel, req: IncidentRequest): Caller {
  const who = (req.params?.principal as string | undefined) ?? req.entities.principal ?? 'anonymous';
  const r = rng.fork('caller');
  const ip = req.entities.ip ?? (pools.internetNoise.length ? r.pick(pools.internetNoise) : `198.51.100.${r.int(2, 250)}`);
  const agent = r.pick(TOOLS);
  if (who === 'anonymous' || who === 'system:anonymous') {
    return { principal: { kind: 'app', username: 'system:anonymous', uid: '', groups: ['system:unauthenticated'], sourceIps: [ip], userAgent: agent, weight: 0, allowReason: '' }, entities: { ip, principal: 'system:anonymous' } };
  }
  const p = model.principals.find((x) => x.username === who || x.username.endsWith(`/${who}`) || x.username.endsWith(`:${who}`));
  if (!p) {
    throw new ConfigError('eks-api-forbidden-burst names a principal the cluster does not have', {
      expected: `anonymous or one of ${model.principals.filter((x) => x.kind !== 'node').map((x) => x.username).slice(0, 8).join(', ')} …`,
      seen: who,
    });
  }
  // A stolen token is used from wherever the thief is; a misbehaving workload calls from its own pods.
  const fromIp = p.kind === 'human' || p.kind === 'ci' ? ip : r.pick(p.sourceIps);
  return { principal: { ...p, sourceIps: [fromIp], userAgent: agent }, entities: { principal: p.username, ip: fromIp, ...(p.iam ? { accessKey: p.iam.accessKeyId } : {}) } };
}

/**
 * Someone walks the API refused at every step: an enumeration tool lists namespaces, pods, secrets,
 * config maps, service accounts, nodes, deployments and RBAC objects in every namespace, over and over,
 * each answered 403 Forbidden (audit level Request or Metadata as EKS' policy says, decision `forbid`).
 * `params.rate` (requests/s, default 4 × intensity); `params.principal` (or entities.principal): `anonymous`
 * (default; no credentials, from an internet address) or a principal of the cluster whose permissions do not
 * reach that far. describe(): ip and principal (+ accessKey for IAM principals).
 */
export const eksApiForbiddenBurst: IncidentGenerator = {
  kind: 'eks-api-forbidden-burst',
  sources: ['eks'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    return caller(rng, pools, clusterModel(pools), req).entities;
  },
  *generate(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
    const model = clusterModel(pools);
    const { principal } = caller(rng, pools, model, req);
    const label: TruthLabel = { incidentId: req.incidentId, kind: req.kind };
    const rate = typeof req.params?.rate === 'number' ? req.params.rate : Math.max(0.2, 4 * req.intensity);
    const c = rng.fork('content');
    let step = 0;
    for (const t of arrivals(rng.fork('arrivals'), constantRate(rate), req.window)) {
      const e = ENUMERATION[step % ENUMERATION.length]!;
      const ns = NAMESPACES[Math.floor(step / ENUMERATION.length) % NAMESPACES.length]!;
      step++;
      const r: AuditRequest = { verb: e.verb, resource: e.resource, group: e.group, version: e.version, code: 403, query: e.verb === 'list' ? 'limit=500' : undefined };
      if (e.namespaced) r.namespace = ns;
      if (e.verb === 'get') r.name = c.pick(SECRETS[ns] ?? ['default-token-bx9p4']);
      const ev = auditEvent(c, model, principal, r, t, label);
      if (ev) yield ev;
    }
  },
};
