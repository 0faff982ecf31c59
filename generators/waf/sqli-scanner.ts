import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import type { EntityPools, IncidentGenerator, IncidentRequest } from '../types.ts';
import { SCANNER_USER_AGENTS } from '../common/data/user-agents.ts';
import { ipInCountry } from '../common/pools.ts';
import { SQLI_ARGS, SQLI_MATCHED, XSS_ARGS, XSS_MATCHED } from './data.ts';
import { buildRecord, requestId, routeUri, type Client } from './model.ts';
import { numParam, wafIncidentEvents } from './incident-stream.ts';

/** One to three hosting addresses walking every route with SQLi and XSS payloads. */
function actors(rng: Rng, req: IncidentRequest): Client[] {
  const r = rng.fork('actors');
  const country = r.pick(['NL', 'DE', 'RU', 'SG', 'US']);
  const out = Array.from({ length: r.int(1, 3) }, () => ({ ip: ipInCountry(r, country, 'hosting').ip, country }));
  if (req.entities.ip) out[0] = { ip: req.entities.ip, country };
  return out;
}

const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'];

export const wafSqliScanner: IncidentGenerator = {
  kind: 'waf-sqli-scanner',
  sources: ['waf'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    const a = actors(rng, req)[0]!;
    return { ip: a.ip, country: a.country, webAcl: pools.estate.waf.webAclArn };
  },
  generate(rng, pools, req) {
    const clients = actors(rng, req);
    const ua = SCANNER_USER_AGENTS[0]!;
    return wafIncidentEvents(rng, pools, req, 'waf-sqli-scanner', numParam(req, 'rate', 15), (ctx, r, t) => {
      const client = clients[Math.floor(r.next() * clients.length)]!;
      const door = ctx.doors[r.chance(0.8) ? 0 : 1]!;
      const route = door.routes[Math.floor(r.next() * door.routes.length)]!;
      const method = METHODS[Math.floor(r.next() * METHODS.length)]!;
      const o = ctx.outcomes;
      const v = r.next();
      let args: string, outcome;
      if (v < 0.6) {
        const i = Math.floor(r.next() * SQLI_ARGS.length);
        args = SQLI_ARGS[i]!;
        outcome = o.blockSqli(SQLI_MATCHED[i % SQLI_MATCHED.length]!);
      } else if (v < 0.85) {
        const i = Math.floor(r.next() * XSS_ARGS.length);
        args = XSS_ARGS[i]!;
        outcome = o.blockXss(XSS_MATCHED[i % XSS_MATCHED.length]!);
      } else {
        // Reconnaissance requests without a payload get through.
        args = 'id=1';
        outcome = o.allow;
      }
      // Probes sent straight at the origin's address show no known front door, as in AWS's own SQLi example.
      const source = r.chance(0.2) ? { name: '-', id: '-' } : door;
      return buildRecord(ctx, t, source, client, ctx.headers(client, -1, door, ua, method !== 'GET'), method, routeUri(r, route), args, outcome, requestId(r, door.name, t));
    });
  },
};
