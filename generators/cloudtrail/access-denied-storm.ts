import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { ENUMERATION_CALLS } from './data.ts';
import { userIdentity, type TrailUser } from './principals.ts';
import { buildRecord, trailDestination, trailEvent } from './record-builder.ts';
import { paramContext, requestParameters } from './request-params.ts';
import { labelOf, resolveUser } from './incident-support.ts';

function deniedPlan(rng: Rng, pools: EntityPools, req: IncidentRequest): { user: TrailUser; ip: string } {
  const er = rng.fork('entities');
  // Automation with a broken policy (or a script someone ran with the wrong profile): a machine user by default.
  const user = resolveUser(er, pools, req, (u) => !u.human);
  return { user, ip: req.entities.ip ?? er.pick(user.profile.homeIps) };
}

function* accessDeniedStorm(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
  const p = deniedPlan(rng, pools, req);
  const c = rng.fork('content');
  const pc = paramContext(pools);
  const dest = trailDestination(pools);
  const label = labelOf(req);
  const identity = userIdentity(p.user, pools.estate.accountId);
  for (const t of arrivals(rng.fork('arrivals'), constantRate(Math.max(0.1, 3 * req.intensity)), req.window)) {
    const call = c.pick(ENUMERATION_CALLS);
    yield trailEvent(dest, t, buildRecord(c, pools, {
      time: t,
      identity,
      eventSource: call.eventSource,
      eventName: call.eventName,
      sourceIPAddress: p.ip,
      userAgent: p.user.profile.userAgent,
      requestParameters: requestParameters(pc, c, call.eventName, t),
      error: 'denied',
    }), label);
  }
}

/**
 * One principal hammering APIs it may not call: every record carries the service's own AccessDenied
 * shape. describe(): principal, accessKey, ip.
 */
export const cloudtrailAccessDeniedStorm: IncidentGenerator = {
  kind: 'cloudtrail-access-denied-storm',
  sources: ['cloudtrail'],
  generate: accessDeniedStorm,
  describe(rng, pools, req): Entities {
    const p = deniedPlan(rng, pools, req);
    return { principal: p.user.arn, accessKey: p.user.accessKeyId, ip: p.ip };
  },
};
