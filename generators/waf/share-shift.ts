import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import type { EntityPools, IncidentGenerator, IncidentRequest } from '../types.ts';
import { browserUaOf, buildRecord, requestId, routeArgs, routeUri, type Client } from './model.ts';
import { numParam, strParam, wafIncidentEvents } from './incident-stream.ts';

/**
 * seeds/003's anomaly modes, as its mock-log script enforces them: for a while most requests on the web ACL carry
 * a value that ordinary traffic (almost) never has — `action` BLOCK, `httpSourceName` `-`, a country outside the
 * known set (the seed's XX, YY, ZZ, WW) or `httpMethod` DELETE. The requests come from the ordinary client pool at
 * a few requests each (no flood, no bot user agents, no injection payloads), so only the shift of one field's
 * distribution gives them away. `params.mode` picks the mode; `params.rate` (requests/s, default 40 — about 8 in
 * 10 of a minute's requests next to a 300/m background) sets how large the shift is.
 */
export const WAF_SHARE_SHIFT_MODES = ['block', 'unknown-source', 'unknown-country', 'delete'] as const;
const UNKNOWN_COUNTRIES = ['XX', 'YY', 'ZZ', 'WW'] as const;

function modeOf(req: IncidentRequest): (typeof WAF_SHARE_SHIFT_MODES)[number] {
  const mode = strParam(req, 'mode', 'block');
  if (!(WAF_SHARE_SHIFT_MODES as readonly string[]).includes(mode)) {
    throw new RangeError(`waf-share-shift param mode: expected one of ${WAF_SHARE_SHIFT_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  }
  return mode as (typeof WAF_SHARE_SHIFT_MODES)[number];
}

export const wafShareShift: IncidentGenerator = {
  kind: 'waf-share-shift',
  sources: ['waf'],
  describe(_rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    modeOf(req);
    return { webAcl: pools.estate.waf.webAclArn };
  },
  generate(rng, pools, req) {
    const mode = modeOf(req);
    const clients = pools.clients.length ? pools.clients : [{ ip: '198.51.100.7', country: 'US', asn: 64500 }];
    return wafIncidentEvents(rng, pools, req, 'waf-share-shift', numParam(req, 'rate', 40), (ctx, r, t) => {
      const pc = clients[Math.floor(r.next() * clients.length)]!;
      const client: Client = mode === 'unknown-country' ? { ip: pc.ip, country: UNKNOWN_COUNTRIES[Math.floor(r.next() * UNKNOWN_COUNTRIES.length)]! } : { ip: pc.ip, country: pc.country };
      const door = ctx.doors[Math.floor(r.next() * ctx.doors.length)]!;
      const gets = door.routes.filter((x) => x.method === 'GET');
      const route = gets.length ? gets[Math.floor(r.next() * gets.length)]! : door.routes[0]!;
      const method = mode === 'delete' ? 'DELETE' : 'GET';
      const outcome = mode === 'block' ? ctx.outcomes.blockIpReputation : ctx.outcomes.allow;
      const source = mode === 'unknown-source' ? { name: '-', id: '-' } : door;
      return buildRecord(ctx, t, source, client, ctx.headers(client, -1, door, browserUaOf(client.ip), false), method, routeUri(r, route), routeArgs(r, route), outcome, requestId(r, door.name, t));
    });
  },
};
