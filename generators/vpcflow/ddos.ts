import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import type { EntityPools, IncidentGenerator, IncidentRequest } from '../types.ts';
import { ASNS } from '../common/data/asns.ts';
import { ipInAsn } from '../common/pools.ts';
import { PROTO, TCP_FLAGS } from './data.ts';
import { ephemeral, vpcContext } from './model.ts';
import { numParam, targetEni, vpcIncidentEvents } from './incident-stream.ts';

function sources(rng: Rng, req: IncidentRequest): string[] {
  const r = rng.fork('actors');
  const n = Math.round(numParam(req, 'sources', 5000));
  const out = Array.from({ length: n }, () => ipInAsn(r, r.pick(ASNS)));
  if (req.entities.ip) out[0] = req.entities.ip;
  return out;
}

/**
 * Fan-in: thousands of addresses, each a few tiny flows, at the web interfaces' 80/443 (SYN floods that
 * the security group lets through) plus UDP reflection to random high ports that it REJECTs.
 */
export const vpcDdos: IncidentGenerator = {
  kind: 'vpc-ddos',
  sources: ['vpcflow'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    const ctx = vpcContext(pools);
    const eni = targetEni(ctx, req, ctx.webEnis[0]!);
    return { ip: sources(rng, req)[0]!, eni: eni.eniId, instance: eni.instanceId };
  },
  generate(rng, pools, req) {
    const ctx = vpcContext(pools);
    const first = targetEni(ctx, req, ctx.webEnis[0]!);
    const targets = req.entities.eni || req.entities.instance ? [first] : ctx.webEnis;
    const srcs = sources(rng, req);
    return vpcIncidentEvents(rng, pools, req, 'vpc-ddos', numParam(req, 'rate', 3000), (_ctx, w, r, s) => {
      const eni = targets[Math.floor(r.next() * targets.length)]!;
      const src = srcs[Math.floor(r.next() * srcs.length)]!;
      if (r.next() < 0.2) {
        // Reflected UDP (DNS/NTP/memcached responses) at random ports: no listener, REJECT.
        const sport = [53, 123, 11211, 1900][Math.floor(r.next() * 4)]!;
        const packets = 1 + Math.floor(r.next() * 3);
        return { eni, line: w.line(eni, src, eni.ip, sport, ephemeral(r), PROTO.UDP, packets, packets * (400 + Math.floor(r.next() * 1000)), s, s, false, 0, true) };
      }
      const packets = 1 + Math.floor(r.next() * 6);
      return { eni, line: w.line(eni, src, eni.ip, ephemeral(r), r.next() < 0.7 ? 443 : 80, PROTO.TCP, packets, packets * 60, s, w.endOf(s, Math.floor(r.next() * 2)), true, TCP_FLAGS.SYN, true) };
    });
  },
};
