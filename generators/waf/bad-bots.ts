import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import type { EntityPools, IncidentGenerator, IncidentRequest } from '../types.ts';
import { hostingActors } from './hosting-actors.ts';
import { badBotUaOf, buildRecord, requestId, type Client } from './model.ts';
import { numParam, wafIncidentEvents } from './incident-stream.ts';

/** 30–80 hosting addresses running scrapers and HTTP libraries. */
function actors(rng: Rng, req: IncidentRequest): Client[] {
  return hostingActors(rng, req, ['CN', 'RU', 'VN', 'BR', 'NL', 'US', 'SG'], (r) => r.int(30, 80));
}

/**
 * Scrapers walking the catalogue product by product with non-browser user agents. Bot Control labels
 * them; most are BLOCKed (http_library / scraping_framework), some CHALLENGEd; a share arrives without a
 * known front door (`-`) and some try write methods (DELETE), the values seeds/003 calls anomalous.
 */
export const wafBadBots: IncidentGenerator = {
  kind: 'waf-bad-bots',
  sources: ['waf'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    const a = actors(rng, req)[0]!;
    return { ip: a.ip, country: a.country, webAcl: pools.estate.waf.webAclArn };
  },
  generate(rng, pools, req) {
    const clients = actors(rng, req);
    let productId = 1000;
    return wafIncidentEvents(rng, pools, req, 'waf-bad-bots', numParam(req, 'rate', 60), (ctx, r, t) => {
      const client = clients[Math.floor(r.next() * clients.length)]!;
      const door = ctx.doors[r.chance(0.75) ? 0 : 1]!;
      const o = ctx.outcomes;
      const ua = badBotUaOf(client.ip);
      const v = r.next();
      const outcome = v < 0.45 ? o.blockBotHttpLibrary : v < 0.7 ? o.blockBotScraping : v < 0.85 ? o.challengeBot : o.allow;
      productId = productId >= 4999 ? 1000 : productId + 1;
      const uri = door.name === 'ALB' ? `/products/${productId}` : `/prod/v1/products/${productId}`;
      const method = r.chance(0.05) ? 'DELETE' : r.chance(0.1) ? 'HEAD' : 'GET';
      const source = r.chance(0.15) ? { name: '-', id: '-' } : door;
      return buildRecord(ctx, t, source, client, ctx.headers(client, -1, door, ua, false), method, uri, '', outcome, requestId(r, door.name, t));
    });
  },
};
