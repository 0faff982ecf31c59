import type { Rng } from '../../core/index.ts';
import type { WafHeader, WafRecord } from '../../formats/index.ts';
import { GOOD_BOTS, NOISE_PATHS } from './data.ts';
import { badBotUaOf, buildRecord, requestId, routeArgs, type FrontDoor, type Outcome, type WafContext } from './model.ts';

/**
 * The choices behind one background request, as scalars in one reusable object: what a record is made of
 * before any text exists. The record's JSON (`toRecord` + serializeWaf, or WafRecordWriter's spliced
 * bytes) follows from it; the request id is drawn last, by whoever writes the record, because it is the
 * last draw of the original record builder and the bytes writer draws it straight into its buffer.
 */
export class WafDraw {
  t = 0;
  door!: FrontDoor;
  ip = '';
  country = '';
  headers!: WafHeader[];
  /** Slot of a pool client's header list (client × door × post), or -1 for anyone else. */
  slot = -1;
  method = '';
  /** The URI is uriPrefix, or uriPrefix + uriId + uriSuffix when uriId >= 0 (routes with an id). */
  uriPrefix = '';
  uriId = -1;
  uriSuffix = '';
  args = '';
  outcome!: Outcome;
  httpVersion = '';

  uri(): string {
    return this.uriId < 0 ? this.uriPrefix : `${this.uriPrefix}${this.uriId}${this.uriSuffix}`;
  }

  /** The record, drawing its request id from `r`: exactly what backgroundRecord returned before the split. */
  toRecord(ctx: WafContext, r: Rng): WafRecord {
    return buildRecord(
      ctx, this.t, this.door, { ip: this.ip, country: this.country }, this.headers, this.method, this.uri(), this.args, this.outcome,
      requestId(r, this.door.name, this.t), this.httpVersion,
    );
  }
}

/**
 * One normal request. The mix (per 1000): ~12 internet-noise probes (mostly BLOCKed by managed rules),
 * ~20 verified crawlers, the rest browsers and the mobile app of the pool's clients with their own
 * user agent, language and country; a few CHALLENGE/CAPTCHA/IP-reputation BLOCKs, COUNT matches on login
 * POSTs and oversize bodies. No DELETE, no unknown source, no sanctioned country: those are what
 * incidents look like (../shared/seeds/003). Draws in the same order as the record builder it replaced.
 */
export function drawBackground(ctx: WafContext, r: Rng, t: number, d: WafDraw): void {
  const o = ctx.outcomes;
  d.t = t;
  const u = r.next();
  if (u < 0.012) {
    const noise = ctx.pools.internetNoise;
    const ip = noise[Math.floor(r.next() * noise.length)]!;
    const country = ctx.countryOf(ip);
    const door = ctx.doors[0]!;
    const path = NOISE_PATHS[Math.floor(r.next() * NOISE_PATHS.length)]!;
    const v = r.next();
    d.door = door;
    d.ip = ip;
    d.country = country;
    d.headers = ctx.headers({ ip, country }, -1, door, badBotUaOf(ip), false);
    d.slot = -1;
    d.method = 'GET';
    d.uriPrefix = path;
    d.uriId = -1;
    d.uriSuffix = '';
    d.args = '';
    d.outcome = v < 0.25 ? o.blockBadInputs : v < 0.45 ? o.blockGenericLfi : v < 0.6 ? o.blockIpReputation : v < 0.7 ? o.blockRestrictedExt : o.allow;
    d.httpVersion = 'HTTP/1.1';
    return;
  }
  if (u < 0.032) {
    const bot = GOOD_BOTS[Math.floor(r.next() * GOOD_BOTS.length)]!;
    const ip = `${bot.prefix}.${1 + Math.floor(r.next() * 250)}`;
    const door = ctx.doors[0]!;
    const route = door.routes[2]!; // product pages are what crawlers fetch
    d.door = door;
    d.ip = ip;
    d.country = 'US';
    d.slot = -1;
    d.method = 'GET';
    d.uriPrefix = route.prefix;
    d.uriId = route.idMax < 0 ? -1 : route.idMin + Math.floor(r.next() * (route.idMax - route.idMin + 1));
    d.uriSuffix = route.suffix;
    d.headers = ctx.headers({ ip, country: 'US' }, -1, door, bot.ua, false);
    d.args = '';
    d.outcome = o.goodBot[bot.name]!;
    d.httpVersion = 'HTTP/1.1';
    return;
  }
  const ci = ctx.clientSampler.sample(r);
  const client = ctx.pools.clients[ci]!;
  const door = ctx.doors[ctx.doorSampler.sample(r)]!;
  const route = door.routes[door.routeSampler.sample(r)]!;
  const method = route.method;
  const post = method === 'POST' || method === 'PUT';
  d.uriPrefix = route.prefix;
  d.uriId = route.idMax < 0 ? -1 : route.idMin + Math.floor(r.next() * (route.idMax - route.idMin + 1));
  d.uriSuffix = route.suffix;
  const v = r.next();
  let outcome = o.allow;
  if (v < 0.003) outcome = o.blockIpReputation;
  else if (v < 0.006) outcome = o.challengeBot;
  else if (post && d.uri().endsWith('/login')) outcome = v < 0.02 ? o.captchaLogin : o.allowCountLogin;
  else if (post && v < 0.06) outcome = o.allowCountSizeBody;
  d.door = door;
  d.ip = client.ip;
  d.country = client.country;
  d.slot = ci * 6 + door.index * 2 + (post ? 1 : 0);
  d.headers = ctx.clientHeaders(ci, door, post);
  d.method = method;
  d.args = routeArgs(r, route);
  d.outcome = outcome;
  d.httpVersion = door.name === 'APIGW' ? 'HTTP/1.1' : 'HTTP/2.0';
}
