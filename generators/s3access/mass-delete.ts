import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { SDK_AGENTS } from './data.ts';
import { accessLine, bucketModel, hostId, objectUri, pickRequester, requestId, requesters, transferMs, type Requester } from './bucket-model.ts';
import { labelOf } from './incident-support.ts';

function deletePlan(rng: Rng, pools: EntityPools, req: IncidentRequest): { who: Requester; ip: string } {
  const er = rng.fork('entities');
  // A person's credentials (stolen, or `aws s3 rm --recursive` run against the wrong bucket).
  const who = pickRequester(er, requesters(pools), req.entities.principal, (r) => r.mix === 'human');
  return { who, ip: req.entities.ip ?? er.pick(who.ips) };
}

function* massDelete(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
  const m = bucketModel(pools);
  const { who, ip } = deletePlan(rng, pools, req);
  const c = rng.fork('content');
  const label = labelOf(req);
  const ua = SDK_AGENTS.cli.replace('s3.cp', 's3.rm');
  const batch = Math.max(20, Math.round(200 * req.intensity));
  let next = c.int(0, m.objects.length - 1);
  const obj = () => m.objects[next++ % m.objects.length]!;
  for (const t of arrivals(rng.fork('arrivals'), constantRate(Math.max(0.05, 0.5 * req.intensity)), req.window)) {
    if (c.chance(0.7)) {
      // DeleteObjects: a listing page, one multi-object-delete request, then one BATCH line per key with its request id.
      const list = requestId(c);
      const lt = transferMs(c, 40_000);
      yield accessLine(m, { time: t, ip, requester: who.arn, requestId: list, operation: 'REST.GET.BUCKET', key: null, uri: 'GET /?list-type=2&prefix=&encoding-type=url HTTP/1.1', status: 200, bytesSent: c.int(30_000, 90_000), objectSize: null, totalTime: lt.total, turnAround: lt.turnAround, userAgent: ua, hostIdValue: hostId(c) }, label);
      const rid = requestId(c);
      const hid = hostId(c);
      const t2 = t + lt.total + c.int(5, 40);
      const n = c.int(Math.ceil(batch / 2), batch);
      yield accessLine(m, { time: t2, ip, requester: who.arn, requestId: rid, operation: 'REST.POST.MULTI_OBJECT_DELETE', key: null, uri: 'POST /?delete HTTP/1.1', status: 200, bytesSent: 90 + n * 75, objectSize: null, totalTime: 40 + n, turnAround: 30 + n, userAgent: ua, hostIdValue: hid }, label);
      for (let i = 0; i < n; i++) {
        const o = obj();
        yield accessLine(m, { time: t2, ip, requester: who.arn, requestId: rid, operation: 'BATCH.DELETE.OBJECT', key: o.encoded, uri: 'POST /?delete HTTP/1.1', status: 204, bytesSent: null, objectSize: o.size, totalTime: 40 + n, turnAround: 30 + n, userAgent: ua, hostIdValue: hid }, label);
      }
    } else {
      const n = c.int(5, 30);
      for (let i = 0; i < n; i++) {
        const o = obj();
        yield accessLine(m, { time: t + i * c.int(20, 60), ip, requester: who.arn, requestId: requestId(c), operation: 'REST.DELETE.OBJECT', key: o.encoded, uri: objectUri('DELETE', o.encoded, 'cli', 'DeleteObject'), status: 204, bytesSent: null, objectSize: null, totalTime: c.int(8, 40), turnAround: c.int(6, 30), userAgent: ua, hostIdValue: hostId(c) }, label);
      }
    }
  }
}

/**
 * One principal deleting objects en masse: listing pages, multi-object deletes (one
 * REST.POST.MULTI_OBJECT_DELETE plus a BATCH.DELETE.OBJECT line per key) and single REST.DELETE.OBJECT
 * runs. describe(): principal, ip, bucket.
 */
export const s3MassDelete: IncidentGenerator = {
  kind: 's3-mass-delete',
  sources: ['s3access'],
  generate: (rng, pools, req) => sortedByTime(massDelete(rng, pools, req), req.window.end),
  describe(rng, pools, req): Entities {
    const p = deletePlan(rng, pools, req);
    return { principal: p.who.arn, ip: p.ip, bucket: pools.estate.buckets.data };
  },
};

/** Single deletes run a little past the next batch's start: a short look-ahead buffer restores time order. */
function* sortedByTime(events: Iterable<GeneratedEvent>, end: number): Generator<GeneratedEvent> {
  const buf: GeneratedEvent[] = [];
  for (const e of events) {
    buf.push(e);
    if (buf.length >= 256) {
      buf.sort((a, b) => a.time - b.time);
      const cut = buf[buf.length - 1]!.time - 5_000;
      let i = 0;
      while (i < buf.length && buf[i]!.time <= cut) {
        const e = buf[i++]!;
        if (e.time < end) yield e;
      }
      buf.splice(0, i);
    }
  }
  buf.sort((a, b) => a.time - b.time);
  for (const e of buf) if (e.time < end) yield e;
}
