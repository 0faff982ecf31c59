import type { Rng } from '../../core/index.ts';
import { arrivals } from '../common/rate/index.ts';
import { AliasSampler } from '../common/sampler.ts';
import { EventQueue } from '../lambda/index.ts';
import type { BackgroundGenerator, BackgroundRequest, EntityPools, GeneratedEvent } from '../types.ts';
import { activePrincipals, habitualRequest } from './api-habits.ts';
import { auditEvent, execSession, type AuditRequest } from './audit-events.ts';
import { clusterModel, type ClusterModel, type Principal } from './cluster-model.ts';
import { APISERVER_LINES, ENUMERATION, SCANNER_AGENTS, SCANNER_PATHS } from './data.ts';
import { authenticatorEvents, containerEvent, fillLine, klogEvent } from './lines.ts';
import { containerRestart, podChurn, type ChurnState } from './pod-lifecycle.ts';

/**
 * EKS background: a healthy cluster. Per arrival (`req.rate` is events per second across the source) one of:
 * a container line of a workload's pod (by the workload's share), an audit event of a principal's habit (by the
 * principal's share of API traffic: kubelets' lease renewals dominate, as in any cluster), a token review in
 * the authenticator's log, an API server klog line, or an internet scanner's anonymous request to the public
 * endpoint (refused, 403). On their own clocks: pod churn (the storefront's autoscaler adds or removes a pod,
 * about every `churnEveryMinutes`, default 6), and a rare container restart after a failed liveness probe
 * (`restartEveryMinutes`, default 20). Options: `churnEveryMinutes`, `restartEveryMinutes` (0 turns either off).
 */
const MIX = ['container', 'audit', 'authenticator', 'api', 'scanner'] as const;
const MIX_WEIGHTS = [0.5, 0.45, 0.02, 0.02, 0.01];

function num(options: Record<string, unknown> | undefined, key: string, dflt: number): number {
  const v = options?.[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : dflt;
}

/** Poisson times on the drill's own clock (independent of the traffic rate). */
function* everyAbout(rng: Rng, meanMinutes: number, window: { start: number; end: number }): Generator<number> {
  if (meanMinutes <= 0) return;
  for (let t = window.start + rng.exponential(meanMinutes * 60_000); t < window.end; t += rng.exponential(meanMinutes * 60_000)) yield Math.floor(t);
}

export function scannerEvents(c: Rng, model: ClusterModel, ip: string, t: number, agent: string): GeneratedEvent[] {
  const anon: Principal = { kind: 'app', username: 'system:anonymous', uid: '', groups: ['system:unauthenticated'], sourceIps: [ip], userAgent: agent, weight: 0, allowReason: '' };
  const path = c.pick(SCANNER_PATHS);
  let r: AuditRequest;
  const e = ENUMERATION.find((x) => path === `/api/v1/${x.resource}`);
  if (e) r = { verb: e.verb, resource: e.resource, version: 'v1', code: 403 };
  else r = { verb: 'get', path, code: 403 };
  const ev = auditEvent(c, model, anon, r, t);
  return ev ? [ev] : [];
}

export const eksBackground: BackgroundGenerator = {
  source: 'eks',
  *generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Generator<GeneratedEvent> {
    const model = clusterModel(pools);
    const c = rng.fork('content');
    const q = new EventQueue();
    const callers = activePrincipals(model);
    const pickCaller = new AliasSampler(callers.map((p) => p.weight));
    const iam = model.principals.filter((p) => p.iam);
    const pickIam = new AliasSampler(iam.map((p) => (p.kind === 'node' ? 1 : 0.6)));
    const pickWorkload = new AliasSampler(model.workloads.map((w) => w.weight));
    const pickMix = new AliasSampler(MIX_WEIGHTS);
    const churnTimes = everyAbout(rng.fork('churn'), num(req.options, 'churnEveryMinutes', 6), req.window);
    const restartTimes = everyAbout(rng.fork('restarts'), num(req.options, 'restartEveryMinutes', 20), req.window);
    const cr = rng.fork('lifecycle');
    const churn: ChurnState = { extra: [] };
    let nextChurn = churnTimes.next();
    let nextRestart = restartTimes.next();
    const push = (evs: Iterable<GeneratedEvent | undefined>) => {
      for (const e of evs) if (e && e.time < req.window.end) q.push(e);
    };
    for (const t of arrivals(rng.fork('arrivals'), req.rate, req.window)) {
      // Lifecycle events at or before t go in first: everything they write is later than what was released.
      while (!nextChurn.done && nextChurn.value <= t) {
        push(podChurn(cr, model, churn, nextChurn.value));
        nextChurn = churnTimes.next();
      }
      while (!nextRestart.done && nextRestart.value <= t) {
        push(containerRestart(cr, model, nextRestart.value));
        nextRestart = restartTimes.next();
      }
      yield* q.releaseUntil(t);
      switch (MIX[pickMix.sample(c)]!) {
        case 'container': {
          const w = model.workloads[pickWorkload.sample(c)]!;
          const pods = model.pods.filter((p) => p.workload === w);
          if (pods.length === 0) break;
          const pod = c.pick(pods);
          const line = c.weighted(w.lines, w.lines.map((l) => l.w));
          push([containerEvent(c, model, pod, t, fillLine(c, line.t, t, w.style, { ip: `${model.podPrefix}.${c.int(2, 250)}` }), line.stderr === true)]);
          break;
        }
        case 'audit': {
          const p = callers[pickCaller.sample(c)]!;
          const r = habitualRequest(c, model, p, t);
          if (!r) break;
          if (r.subresource === 'exec' && r.stage === 'ResponseStarted') push(execSession(c, model, p, r, t));
          else push([auditEvent(c, model, p, r, t)]);
          break;
        }
        case 'authenticator':
          push(authenticatorEvents(c, model, iam[pickIam.sample(c)]!, t));
          break;
        case 'api': {
          const l = c.weighted(APISERVER_LINES, APISERVER_LINES.map((x) => x.w));
          const node = c.pick(model.nodes);
          push([klogEvent(c, model, 'api', t, l.severity, l.file, fillLine(c, l.t, t, 'iso', { node: node.name, nodeip: node.ip }))]);
          break;
        }
        case 'scanner':
          push(scannerEvents(c, model, c.pick(pools.internetNoise), t, c.pick(SCANNER_AGENTS)));
          break;
      }
    }
    yield* q.drain(req.window.end);
  },
};
