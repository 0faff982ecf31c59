import type { Rng } from '../../core/index.ts';
import { arrivals } from '../common/rate/index.ts';
import { AliasSampler } from '../common/sampler.ts';
import type { BackgroundGenerator, BackgroundRequest, EntityPools, GeneratedEvent } from '../types.ts';
import { SDK_AGENTS } from './data.ts';
import { accessLine, bucketModel, hostId, objectUri, requestId, requesters, transferMs, type BucketModel, type Requester, type S3Object } from './bucket-model.ts';

type Op = 'GET' | 'PUT' | 'HEAD' | 'LIST' | 'DELETE';
const OPS: readonly Op[] = ['GET', 'PUT', 'HEAD', 'LIST', 'DELETE'];
/** Operation mix per kind of requester (GET, PUT, HEAD, LIST, DELETE). */
const MIX: Record<Requester['mix'], readonly number[]> = {
  etl: [60, 25, 5, 9, 1],
  deploy: [5, 70, 15, 10, 0],
  human: [50, 5, 10, 34, 1],
  thumbnailer: [50, 48, 2, 0, 0],
};

function pickObject(rng: Rng, m: BucketModel, r: Requester, put: boolean): S3Object {
  if (r.mix === 'thumbnailer') {
    // Reads an upload, writes its thumbnail: stay inside those prefixes.
    for (let i = 0; i < 8; i++) {
      const o = m.objects[m.popularity.sample(rng)]!;
      if (o.key.startsWith(put ? 'thumbnails/' : 'uploads/')) return o;
    }
  }
  return m.objects[m.popularity.sample(rng)]!;
}

/** One everyday request of a requester, with the status mix a healthy bucket shows. */
export function normalRequest(rng: Rng, m: BucketModel, r: Requester, op: Op, t: number): GeneratedEvent {
  const ip = rng.pick(r.ips);
  const ua = SDK_AGENTS[r.agent];
  const rid = requestId(rng);
  const hid = hostId(rng);
  if (op === 'LIST') {
    const prefix = rng.pick(['uploads/', 'thumbnails/', 'exports/orders/', 'reports/daily/']);
    const bytes = rng.int(900, 60_000);
    const tt = transferMs(rng, bytes);
    return accessLine(m, { time: t, ip, requester: r.arn, requestId: rid, operation: 'REST.GET.BUCKET', key: null, uri: `GET /?list-type=2&prefix=${encodeURIComponent(prefix)}&encoding-type=url HTTP/1.1`, status: 200, bytesSent: bytes, objectSize: null, totalTime: tt.total, turnAround: tt.turnAround, userAgent: ua, hostIdValue: hid });
  }
  const o = pickObject(rng, m, r, op === 'PUT');
  const roll = rng.next();
  switch (op) {
    case 'GET': {
      if (roll < 0.005) {
        return accessLine(m, { time: t, ip, requester: r.arn, requestId: rid, operation: 'REST.GET.OBJECT', key: o.encoded, uri: objectUri('GET', o.encoded, r.agent, 'GetObject'), status: 404, errorCode: 'NoSuchKey', bytesSent: 309, objectSize: null, totalTime: rng.int(6, 25), turnAround: rng.int(5, 20), userAgent: ua, hostIdValue: hid });
      }
      if (roll < 0.04 && o.key.startsWith('thumbnails/')) {
        return accessLine(m, { time: t, ip, requester: r.arn, requestId: rid, operation: 'REST.GET.OBJECT', key: o.encoded, uri: objectUri('GET', o.encoded, r.agent, 'GetObject'), status: 304, bytesSent: null, objectSize: o.size, totalTime: rng.int(5, 20), turnAround: rng.int(4, 15), userAgent: ua, hostIdValue: hid });
      }
      const tt = transferMs(rng, o.size);
      return accessLine(m, { time: t, ip, requester: r.arn, requestId: rid, operation: 'REST.GET.OBJECT', key: o.encoded, uri: objectUri('GET', o.encoded, r.agent, 'GetObject'), status: 200, bytesSent: o.size, objectSize: o.size, totalTime: tt.total, turnAround: tt.turnAround, userAgent: ua, hostIdValue: hid });
    }
    case 'PUT': {
      const size = Math.max(128, Math.round(o.size * (0.6 + 0.8 * rng.next())));
      const tt = transferMs(rng, size);
      return accessLine(m, { time: t, ip, requester: r.arn, requestId: rid, operation: 'REST.PUT.OBJECT', key: o.encoded, uri: objectUri('PUT', o.encoded, r.agent, 'PutObject'), status: 200, bytesSent: null, objectSize: size, totalTime: tt.total, turnAround: tt.turnAround, userAgent: ua, hostIdValue: hid });
    }
    case 'HEAD':
      return accessLine(m, { time: t, ip, requester: r.arn, requestId: rid, operation: 'REST.HEAD.OBJECT', key: o.encoded, uri: objectUri('HEAD', o.encoded, r.agent, 'HeadObject'), status: roll < 0.03 ? 404 : 200, errorCode: roll < 0.03 ? 'NoSuchKey' : null, bytesSent: null, objectSize: roll < 0.03 ? null : o.size, totalTime: rng.int(4, 20), turnAround: rng.int(3, 15), userAgent: ua, hostIdValue: hid });
    case 'DELETE':
      return accessLine(m, { time: t, ip, requester: r.arn, requestId: rid, operation: 'REST.DELETE.OBJECT', key: o.encoded, uri: objectUri('DELETE', o.encoded, r.agent, 'DeleteObject'), status: 204, bytesSent: null, objectSize: null, totalTime: rng.int(8, 40), turnAround: rng.int(6, 30), userAgent: ua, hostIdValue: hid });
  }
}

/**
 * S3 server access log of the data bucket: the ETL user reading exports and writing results, CI uploading,
 * developers listing and fetching through the CLI, the thumbnailer Lambda reading uploads and writing
 * thumbnails. Zipf object popularity, a few 404s and 304s. `req.rate` is requests per second. Lines go to
 * the access-log bucket under `<data-bucket>/`, as S3 log delivery writes them.
 */
export const s3accessBackground: BackgroundGenerator = {
  source: 's3access',
  *generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Generator<GeneratedEvent> {
    const m = bucketModel(pools);
    const list = requesters(pools).filter((r) => r.weight > 0);
    if (list.length === 0) return;
    const who = new AliasSampler(list.map((r) => r.weight));
    const mixes = Object.fromEntries(Object.entries(MIX).map(([k, w]) => [k, new AliasSampler(w)])) as Record<Requester['mix'], AliasSampler>;
    const c = rng.fork('content');
    for (const t of arrivals(rng.fork('arrivals'), req.rate, req.window)) {
      const r = list[who.sample(c)]!;
      yield normalRequest(c, m, r, OPS[mixes[r.mix].sample(c)]!, t);
    }
  },
};
