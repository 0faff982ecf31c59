import type { Rng } from '../../core/rng.ts';
import type { Entities } from '../../core/vocabulary.ts';
import { ANOMALOUS_COUNTRIES, NOISE_COUNTRIES } from '../common/data/countries.ts';
import { BAD_BOT_USER_AGENTS } from '../common/data/user-agents.ts';
import { ipInCountry } from '../common/pools.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest, TruthLabel } from '../types.ts';
import { GUESSED_KEYS, SDK_AGENTS } from './data.ts';
import { accessLine, bucketModel, encodeKey, hostId, objectUri, pickRequester, requestId, requesters, transferMs, type Requester } from './bucket-model.ts';

function labelOf(req: IncidentRequest): TruthLabel {
  return { incidentId: req.incidentId, kind: req.kind };
}

// ── Mass delete ──────────────────────────────────────────────────────────────────────────────────────

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

// ── 403 burst ────────────────────────────────────────────────────────────────────────────────────────

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

// ── Unusual GET volume ───────────────────────────────────────────────────────────────────────────────

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

export const s3UnusualGetVolume: IncidentGenerator = {
  kind: 's3-unusual-get-volume',
  sources: ['s3access'],
  generate: unusualGetVolume,
  describe(rng, pools, req): Entities {
    const p = volumePlan(rng, pools, req);
    return { principal: p.who.arn, ip: p.ip, bucket: pools.estate.buckets.data };
  },
};
