import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import { ANOMALOUS_COUNTRIES } from '../common/data/countries.ts';
import { ipInCountry } from '../common/pools.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { SDK_AGENTS } from './data.ts';
import { accessLine, bucketModel, hostId, objectUri, pickRequester, requestId, requesters, transferMs, type Requester } from './bucket-model.ts';
import { labelOf } from './incident-support.ts';

function volumePlan(rng: Rng, pools: EntityPools, req: IncidentRequest): { who: Requester; ip: string } {
  const er = rng.fork('entities');
  const who = pickRequester(er, requesters(pools), req.entities.principal, (r) => r.mix === 'human');
  // Exfiltration with stolen keys comes from elsewhere; `params.sameIp` models an insider on their usual address.
  const ip = req.entities.ip ?? (req.params?.sameIp === true ? er.pick(who.ips) : ipInCountry(er, er.pick(ANOMALOUS_COUNTRIES.filter((x) => x !== '-')), 'hosting').ip);
  return { who, ip };
}

function* unusualGetVolume(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
  const m = bucketModel(pools);
  const { who, ip } = volumePlan(rng, pools, req);
  const c = rng.fork('content');
  const label = labelOf(req);
  const ua = SDK_AGENTS.cli.replace('s3.cp', 's3.sync');
  // `aws s3 sync` walks the bucket in key order: every object once, the big exports included.
  const order = [...m.objects].sort((a, b) => (a.key < b.key ? -1 : 1));
  let i = c.int(0, order.length - 1);
  for (const t of arrivals(rng.fork('arrivals'), constantRate(Math.max(0.5, 25 * req.intensity)), req.window)) {
    const o = order[i++ % order.length]!;
    const tt = transferMs(c, o.size);
    yield accessLine(m, { time: t, ip, requester: who.arn, requestId: requestId(c), operation: 'REST.GET.OBJECT', key: o.encoded, uri: objectUri('GET', o.encoded, 'cli', 'GetObject'), status: 200, bytesSent: o.size, objectSize: o.size, totalTime: tt.total, turnAround: tt.turnAround, userAgent: ua, hostIdValue: hostId(c) }, label);
  }
}

/**
 * A known principal reading the whole bucket (`aws s3 sync`), far above anyone's normal volume, from a
 * foreign hosting address unless `params.sameIp`. describe(): principal, ip, bucket.
 */
export const s3UnusualGetVolume: IncidentGenerator = {
  kind: 's3-unusual-get-volume',
  sources: ['s3access'],
  generate: unusualGetVolume,
  describe(rng, pools, req): Entities {
    const p = volumePlan(rng, pools, req);
    return { principal: p.who.arn, ip: p.ip, bucket: pools.estate.buckets.data };
  },
};
