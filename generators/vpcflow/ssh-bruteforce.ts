import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import type { EntityPools, IncidentGenerator, IncidentRequest } from '../types.ts';
import { ipInCountry } from '../common/pools.ts';
import { PROTO, TCP_FLAGS } from './data.ts';
import { ephemeral, vpcContext } from './model.ts';
import { numParam, targetEni, vpcIncidentEvents } from './incident-stream.ts';

function attackers(rng: Rng, req: IncidentRequest): string[] {
  const r = rng.fork('actors');
  const out = Array.from({ length: r.int(1, 3) }, () => ipInCountry(r, r.pick(['CN', 'RU', 'VN', 'BR', 'NL']), 'hosting').ip);
  if (req.entities.ip) out[0] = req.entities.ip;
  return out;
}

/**
 * Hundreds of complete SSH connections a minute from one to three addresses to port 22 (the bastion by
 * default): each a short ACCEPTed flow of 12–30 packets (key exchange + a failed password), logged in both
 * directions. The same attack shows in the host's auth.log (ec2-ssh-bruteforce).
 */
export const vpcSshBruteforce: IncidentGenerator = {
  kind: 'vpc-ssh-bruteforce',
  sources: ['vpcflow'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    const ctx = vpcContext(pools);
    const eni = targetEni(ctx, req, ctx.bastion);
    return { ip: attackers(rng, req)[0]!, eni: eni.eniId, instance: eni.instanceId };
  },
  generate(rng, pools, req) {
    const ctx = vpcContext(pools);
    const eni = targetEni(ctx, req, ctx.bastion);
    const srcs = attackers(rng, req);
    let reply: { src: string; sport: number; start: number; end: number } | undefined;
    return vpcIncidentEvents(rng, pools, req, 'vpc-ssh-bruteforce', numParam(req, 'rate', 8), (_ctx, w, r, s) => {
      if (reply) {
        const p = reply;
        reply = undefined;
        const packets = 10 + Math.floor(r.next() * 12);
        return { eni, line: w.line(eni, eni.ip, p.src, 22, p.sport, PROTO.TCP, packets, packets * 110 + Math.floor(r.next() * 900), p.start, p.end, true, TCP_FLAGS.SYNACK_FIN, false) };
      }
      const src = srcs[Math.floor(r.next() * srcs.length)]!;
      const sport = ephemeral(r);
      const end = w.endOf(s, 1 + Math.floor(r.next() * 4));
      reply = { src, sport, start: s, end };
      const packets = 12 + Math.floor(r.next() * 18);
      return { eni, line: w.line(eni, src, eni.ip, sport, 22, PROTO.TCP, packets, packets * 95 + Math.floor(r.next() * 1200), s, end, true, TCP_FLAGS.SYN_FIN, true) };
    });
  },
};
