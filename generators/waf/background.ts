import type { Rng } from '../../core/rng.ts';
import { serializeWaf, type WafRecord } from '../../formats/waf.ts';
import type { BackgroundGenerator, BackgroundRequest, EntityPools, GeneratedEvent } from '../types.ts';
import { ArrivalCursor } from '../common/rate/arrivals.ts';
import { fastRng } from '../common/fast-rng.ts';
import { GOOD_BOTS, NOISE_PATHS } from './data.ts';
import { badBotUaOf, buildRecord, requestId, routeArgs, routeUri, wafContext, type WafContext } from './model.ts';

/**
 * One normal request. The mix (per 1000): ~12 internet-noise probes (mostly BLOCKed by managed rules),
 * ~20 verified crawlers, the rest browsers and the mobile app of the pool's clients with their own
 * user agent, language and country; a few CHALLENGE/CAPTCHA/IP-reputation BLOCKs, COUNT matches on login
 * POSTs and oversize bodies. No DELETE, no unknown source, no sanctioned country: those are what
 * incidents look like (../shared/seeds/003).
 */
export function backgroundRecord(ctx: WafContext, r: Rng, t: number): WafRecord {
  const o = ctx.outcomes;
  const u = r.next();
  if (u < 0.012) {
    const noise = ctx.pools.internetNoise;
    const ip = noise[Math.floor(r.next() * noise.length)]!;
    const client = { ip, country: ctx.countryOf(ip) };
    const door = ctx.doors[0]!;
    const path = NOISE_PATHS[Math.floor(r.next() * NOISE_PATHS.length)]!;
    const v = r.next();
    const outcome = v < 0.25 ? o.blockBadInputs : v < 0.45 ? o.blockGenericLfi : v < 0.6 ? o.blockIpReputation : v < 0.7 ? o.blockRestrictedExt : o.allow;
    return buildRecord(ctx, t, door, client, ctx.headers(client, -1, door, badBotUaOf(ip), false), 'GET', path, '', outcome, requestId(r, door.name, t));
  }
  if (u < 0.032) {
    const bot = GOOD_BOTS[Math.floor(r.next() * GOOD_BOTS.length)]!;
    const ip = `${bot.prefix}.${1 + Math.floor(r.next() * 250)}`;
    const client = { ip, country: 'US' };
    const door = ctx.doors[0]!;
    const route = door.routes[2]!; // product pages are what crawlers fetch
    return buildRecord(ctx, t, door, client, ctx.headers(client, -1, door, bot.ua, false), 'GET', routeUri(r, route), '', o.goodBot[bot.name]!, requestId(r, door.name, t));
  }
  const ci = ctx.clientSampler.sample(r);
  const client = ctx.pools.clients[ci]!;
  const door = ctx.doors[ctx.doorSampler.sample(r)]!;
  const route = door.routes[door.routeSampler.sample(r)]!;
  const method = route.method;
  const post = method === 'POST' || method === 'PUT';
  const uri = routeUri(r, route);
  const v = r.next();
  let outcome = o.allow;
  if (v < 0.003) outcome = o.blockIpReputation;
  else if (v < 0.006) outcome = o.challengeBot;
  else if (post && uri.endsWith('/login')) outcome = v < 0.02 ? o.captchaLogin : o.allowCountLogin;
  else if (post && v < 0.06) outcome = o.allowCountSizeBody;
  return buildRecord(
    ctx, t, door, client, ctx.clientHeaders(ci, door, post), method, uri, routeArgs(r, route), outcome,
    requestId(r, door.name, t), door.name === 'APIGW' ? 'HTTP/1.1' : 'HTTP/2.0',
  );
}

/** Lines only, for the bench's fast path and the CLI's line output: no event objects. */
export function* wafBackgroundLines(rng: Rng, pools: EntityPools, req: BackgroundRequest): Generator<string, void, undefined> {
  const ctx = wafContext(pools);
  const r = fastRng(rng.fork('content'));
  const times = new ArrivalCursor(fastRng(rng.fork('arrivals')), req.rate, req.window);
  for (let t = times.next(); t >= 0; t = times.next()) yield serializeWaf(backgroundRecord(ctx, r, t));
}

/** Normal web ACL traffic; every record goes to the WAF Firehose stream. */
export const wafBackground: BackgroundGenerator = {
  source: 'waf',
  *generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Generator<GeneratedEvent, void, undefined> {
    const ctx = wafContext(pools);
    const r = fastRng(rng.fork('content'));
    const dest = ctx.dest;
    const times = new ArrivalCursor(fastRng(rng.fork('arrivals')), req.rate, req.window);
    for (let t = times.next(); t >= 0; t = times.next()) {
      yield { time: t, source: 'waf', dest, message: serializeWaf(backgroundRecord(ctx, r, t)) };
    }
  },
};
