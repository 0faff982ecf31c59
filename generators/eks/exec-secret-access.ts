import type { Rng, Entities } from '../../core/index.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest, TruthLabel } from '../types.ts';
import { execRequest } from './api-habits.ts';
import { auditEvent, execSession } from './audit-events.ts';
import { clusterModel, principalByName, type Principal } from './cluster-model.ts';
import { SECRETS } from './data.ts';
import { authenticatorEvents } from './lines.ts';

const ATTACKER_AGENT = 'kubectl/v1.28.4 (linux/amd64) kubernetes/bae2c62';

function attacker(rng: Rng, pools: EntityPools, req: IncidentRequest): { stolen: Principal; as: Principal; entities: Entities } {
  const model = clusterModel(pools);
  // A developer's credentials by default: someone who lists pods and reads logs, never execs or reads secrets.
  const stolen = principalByName(model, req.entities.principal ?? req.entities.accessKey, (p) => p.persona === 'developer');
  const r = rng.fork('attacker');
  const ip = req.entities.ip ?? (pools.internetNoise.length ? r.pick(pools.internetNoise) : `203.0.113.${r.int(2, 250)}`);
  const as: Principal = { ...stolen, sourceIps: [ip], userAgent: ATTACKER_AGENT };
  return { stolen, as, entities: { principal: stolen.username, ip, ...(stolen.iam ? { accessKey: stolen.iam.accessKeyId } : {}) } };
}

/**
 * Stolen cluster credentials at work: the IAM principal of someone who normally lists pods and reads logs
 * authenticates from an address it never used (the authenticator logs the STS identity), lists pods everywhere,
 * opens shells in pods (`pods/exec` create, 101, a stream that ends minutes later) and lists and reads secrets
 * across namespaces — all allowed, because the credentials are real. `params.rate` (requests/s, default
 * 0.15 + 0.25 × intensity). describe(): principal, accessKey (IAM Authenticator extra), ip.
 */
export const eksExecSecretAccess: IncidentGenerator = {
  kind: 'eks-exec-secret-access',
  sources: ['eks'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    return attacker(rng, pools, req).entities;
  },
  *generate(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
    const model = clusterModel(pools);
    const { as } = attacker(rng, pools, req);
    const label: TruthLabel = { incidentId: req.incidentId, kind: req.kind };
    const c = rng.fork('content');
    const rate = typeof req.params?.rate === 'number' ? req.params.rate : 0.15 + 0.25 * req.intensity;
    const out: GeneratedEvent[] = [];
    const push = (evs: Iterable<GeneratedEvent | undefined>) => {
      for (const e of evs) if (e) out.push(e);
    };
    const namespaces = Object.keys(SECRETS);
    const steps: ((t: number) => void)[] = [
      (t) => push([auditEvent(c, model, as, { verb: 'list', resource: 'namespaces', version: 'v1', query: 'limit=500' }, t, label)]),
      (t) => push([auditEvent(c, model, as, { verb: 'list', resource: 'pods', version: 'v1', query: 'limit=500' }, t, label)]),
      (t) => push([auditEvent(c, model, as, { verb: 'list', resource: 'secrets', version: 'v1', query: 'limit=500' }, t, label)]),
      (t) => push(execSession(c, model, as, execRequest(c, c.pick(model.pods), 'ResponseStarted'), t, label)),
      (t) => {
        const ns = c.pick(namespaces);
        push([auditEvent(c, model, as, { verb: 'list', resource: 'secrets', version: 'v1', namespace: ns, query: 'limit=500' }, t, label)]);
      },
      (t) => {
        const ns = c.pick(namespaces);
        push([auditEvent(c, model, as, { verb: 'get', resource: 'secrets', version: 'v1', namespace: ns, name: c.pick(SECRETS[ns]!) }, t, label)]);
      },
    ];
    let k = 0;
    let lastAuth = -Infinity;
    for (const t of arrivals(rng.fork('arrivals'), constantRate(rate), req.window)) {
      // The API server's token cache holds a review for two minutes: a new one shows in the authenticator's log.
      if (t - lastAuth > 120_000) {
        push(authenticatorEvents(c, model, as, Math.max(req.window.start, t - c.int(5, 40)), label));
        lastAuth = t;
      }
      // The first steps in order (look around, then grab), then any of them.
      steps[k < steps.length ? k : c.int(2, steps.length - 1)]!(t);
      k++;
    }
    out.sort((a, b) => a.time - b.time);
    for (const e of out) if (e.time >= req.window.start && e.time < req.window.end) yield e;
  },
};
