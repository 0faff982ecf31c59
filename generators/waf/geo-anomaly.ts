import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import type { EntityPools, IncidentGenerator, IncidentRequest } from '../types.ts';
import { ANOMALOUS_COUNTRIES } from '../common/data/countries.ts';
import { ipInCountry } from '../common/pools.ts';
import { RULES } from './data.ts';
import { browserUaOf, buildRecord, requestId, routeArgs, routeUri } from './model.ts';
import { numParam, wafIncidentEvents } from './incident-stream.ts';

interface Actors {
  countries: string[];
  clients: { ip: string; country: string }[];
}

/** Requests from countries the baseline never saw (incl. `-`, unknown geolocation), from 20–50 addresses. */
function actors(rng: Rng, req: IncidentRequest): Actors {
  const r = rng.fork('actors');
  // The named (dominant) country is a real one: `-` (no geolocation) also shows up in normal traffic, so
  // it only ever rides along as the second source.
  const chosen = req.entities.country ? [req.entities.country] : [r.pick(ANOMALOUS_COUNTRIES.filter((c) => c !== '-')), r.pick(ANOMALOUS_COUNTRIES)];
  const n = r.int(20, 50);
  // The first country carries two thirds of the addresses, so the one describe() names is the one the
  // traffic is mostly from (a detector reports the dominant novel country).
  const clients = Array.from({ length: n }, (_v, i) => {
    const country = chosen[i % 3 === 2 ? chosen.length - 1 : 0]!;
    return { ip: ipInCountry(r, country).ip, country };
  });
  if (req.entities.ip) clients[0] = { ip: req.entities.ip, country: chosen[0]! };
  return { countries: [...new Set(chosen)], clients };
}

export const wafGeoAnomaly: IncidentGenerator = {
  kind: 'waf-geo-anomaly',
  sources: ['waf'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    const a = actors(rng, req);
    return { ip: a.clients[0]!.ip, country: a.countries[0]!, webAcl: pools.estate.waf.webAclArn };
  },
  generate(rng, pools, req) {
    const a = actors(rng, req);
    const blocked = new Set<string>(RULES.geoBlock.countries);
    return wafIncidentEvents(rng, pools, req, 'waf-geo-anomaly', numParam(req, 'rate', 30), (ctx, r, t) => {
      // One address (the one describe() names) is the busiest, as in real campaigns where one host leads; the
      // rest spread evenly. A detector that blocks the top offender then blocks the named address.
      const client = r.chance(0.25) ? a.clients[0]! : a.clients[Math.floor(r.next() * a.clients.length)]!;
      const door = ctx.doors[r.chance(0.7) ? 0 : 1]!;
      const route = door.routes[door.routeSampler.sample(r)]!;
      // Not only reads: these sessions also try to change things (DELETE is absent from the baseline).
      const method = r.chance(0.12) ? 'DELETE' : route.method;
      const post = method === 'POST' || method === 'PUT';
      const outcome = blocked.has(client.country) ? ctx.outcomes.blockGeo : r.chance(0.3) ? ctx.outcomes.blockIpReputation : ctx.outcomes.allow;
      return buildRecord(ctx, t, door, client, ctx.headers(client, -1, door, browserUaOf(client.ip), post), method, routeUri(r, route), routeArgs(r, route), outcome, requestId(r, door.name, t));
    });
  },
};
