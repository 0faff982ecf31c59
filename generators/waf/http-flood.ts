import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import type { EntityPools, IncidentGenerator, IncidentRequest } from '../types.ts';
import { hostingActors } from './hosting-actors.ts';
import { RULES } from './data.ts';
import { buildRecord, badBotUaOf, requestId, type Client } from './model.ts';
import { numParam, wafIncidentEvents } from './incident-stream.ts';

/** A handful of hosting addresses. */
function actors(rng: Rng, req: IncidentRequest): Client[] {
  return hostingActors(rng, req, ['US', 'NL', 'DE', 'CN', 'RU', 'VN', 'BR'], (r) => Math.round(numParam(req, 'sources', r.int(5, 15))));
}

/**
 * An HTTP flood from a small address set at a huge rate. The rate-based rule counts each address over its
 * evaluation window and, once the limit is passed (AWS acts within ~30 s; modelled as at once), BLOCKs
 * with terminatingRuleType RATE_BASED and a rateBasedRuleList entry.
 */
export const wafHttpFlood: IncidentGenerator = {
  kind: 'waf-http-flood',
  sources: ['waf'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    const a = actors(rng, req)[0]!;
    return { ip: a.ip, country: a.country, webAcl: pools.estate.waf.webAclArn };
  },
  generate(rng, pools, req) {
    const clients = actors(rng, req);
    const windowMs = RULES.rateLimit.windowSec * 1000;
    const counts = new Map<string, { windowStart: number; n: number }>();
    const paths = ['/', '/products', '/search', '/cart'];
    return wafIncidentEvents(rng, pools, req, 'waf-http-flood', numParam(req, 'rate', 2000), (ctx, r, t) => {
      const client = clients[Math.floor(r.next() * clients.length)]!;
      const door = ctx.doors[0]!;
      let c = counts.get(client.ip);
      if (!c || t - c.windowStart >= windowMs) counts.set(client.ip, (c = { windowStart: t, n: 0 }));
      c.n++;
      const outcome = c.n > RULES.rateLimit.limit ? ctx.outcomes.blockRate : ctx.outcomes.allow;
      const path = paths[Math.floor(r.next() * paths.length)]!;
      return buildRecord(ctx, t, door, client, ctx.headers(client, -1, door, badBotUaOf(client.ip), false), 'GET', path, path === '/search' ? `q=${r.int(1, 99999)}` : '', outcome, requestId(r, door.name, t));
    });
  },
};
