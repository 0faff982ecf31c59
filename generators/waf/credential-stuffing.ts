import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import type { EntityPools, IncidentGenerator, IncidentRequest } from '../types.ts';
import { ASNS } from '../common/data/asns.ts';
import { ipInAsn } from '../common/pools.ts';
import { browserUaOf, buildRecord, requestId, type Client } from './model.ts';
import { numParam, strParam, wafIncidentEvents } from './incident-stream.ts';

/**
 * POSTs to the login path from hundreds of addresses (a residential-proxy botnet, mostly in normal
 * countries so geography gives nothing away), each trying a few times: the signal is the login volume and
 * the number of distinct addresses per minute, not any single value.
 */
function actors(rng: Rng, req: IncidentRequest): Client[] {
  const r = rng.fork('actors');
  const eyeballs = ASNS.filter((a) => a.kind === 'eyeball' && a.country !== '-');
  const n = Math.round(numParam(req, 'sources', 600));
  const out = Array.from({ length: n }, () => {
    const asn = r.pick(eyeballs);
    return { ip: ipInAsn(r, asn), country: asn.country };
  });
  if (req.entities.ip) out[0] = { ip: req.entities.ip, country: out[0]!.country };
  return out;
}

export const wafCredentialStuffing: IncidentGenerator = {
  kind: 'waf-credential-stuffing',
  sources: ['waf'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    return { ip: actors(rng, req)[0]!.ip, webAcl: pools.estate.waf.webAclArn };
  },
  generate(rng, pools, req) {
    const clients = actors(rng, req);
    const loginPath = strParam(req, 'loginPath', '/login');
    return wafIncidentEvents(rng, pools, req, 'waf-credential-stuffing', numParam(req, 'rate', 40), (ctx, r, t) => {
      const client = clients[Math.floor(r.next() * clients.length)]!;
      const door = ctx.doors[0]!;
      const o = ctx.outcomes;
      const v = r.next();
      const outcome = v < 0.1 ? o.captchaLogin : v < 0.15 ? o.challengeBot : o.allowCountLogin;
      return buildRecord(ctx, t, door, client, ctx.headers(client, -1, door, browserUaOf(client.ip), true), 'POST', loginPath, '', outcome, requestId(r, door.name, t), 'HTTP/1.1');
    });
  },
};
