import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import { ANOMALOUS_COUNTRIES, NOISE_COUNTRIES } from '../common/data/countries.ts';
import { BAD_BOT_USER_AGENTS } from '../common/data/user-agents.ts';
import { ipInCountry } from '../common/pools.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { GUESSED_KEYS } from './data.ts';
import { accessLine, bucketModel, encodeKey, hostId, pickRequester, requestId, requesters } from './bucket-model.ts';
import { labelOf } from './incident-support.ts';

function forbiddenPlan(rng: Rng, pools: EntityPools, req: IncidentRequest): { requester: string | null; ip: string; userAgent: string } {
  const er = rng.fork('entities');
  const list = requesters(pools);
  const named = req.entities.principal ? pickRequester(er, list, req.entities.principal, () => true) : undefined;
  let ip = req.entities.ip;
  if (!ip) {
    const countries = [...NOISE_COUNTRIES.map((x) => x.country), ...ANOMALOUS_COUNTRIES.filter((x) => x !== '-')];
    ip = ipInCountry(er, er.pick(countries)).ip;
  }
  return { requester: named ? named.arn : null, ip, userAgent: er.pick(BAD_BOT_USER_AGENTS) };
}

function* forbiddenBurst(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
  const m = bucketModel(pools);
  const p = forbiddenPlan(rng, pools, req);
  const c = rng.fork('content');
  const label = labelOf(req);
  const anonymous = p.requester === null;
  for (const t of arrivals(rng.fork('arrivals'), constantRate(Math.max(0.2, 8 * req.intensity)), req.window)) {
    const roll = c.next();
    // Guesses at secrets, plus real-looking keys from the bucket's layout (someone has seen a URL).
    const key = roll < 0.6 ? encodeKey(c.pick(GUESSED_KEYS)) : m.objects[c.int(0, m.objects.length - 1)]!.encoded;
    const list = roll > 0.93;
    yield accessLine(m, {
      time: t,
      ip: p.ip,
      requester: p.requester,
      requestId: requestId(c),
      operation: list ? 'REST.GET.BUCKET' : roll > 0.85 ? 'REST.HEAD.OBJECT' : 'REST.GET.OBJECT',
      key: list ? null : key,
      uri: list ? 'GET /?list-type=2&encoding-type=url HTTP/1.1' : `${roll > 0.85 ? 'HEAD' : 'GET'} /${key} HTTP/1.1`,
      status: 403,
      errorCode: 'AccessDenied',
      bytesSent: roll > 0.85 && !list ? null : 243,
      objectSize: null,
      totalTime: c.int(2, 12),
      turnAround: null,
      userAgent: p.userAgent,
      anonymous,
      hostIdValue: hostId(c),
    }, label);
  }
}

/**
 * One address (anonymous unless the scenario names a principal) probing the bucket: GET/HEAD/LIST
 * answered 403 AccessDenied, guessed secret names among real keys. describe(): ip, bucket[, principal].
 */
export const s3ForbiddenBurst: IncidentGenerator = {
  kind: 's3-403-burst',
  sources: ['s3access'],
  generate: forbiddenBurst,
  describe(rng, pools, req): Entities {
    const p = forbiddenPlan(rng, pools, req);
    const e: Entities = { ip: p.ip, bucket: pools.estate.buckets.data };
    if (p.requester) e.principal = p.requester;
    return e;
  },
};
