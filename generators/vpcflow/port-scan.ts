import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import type { EntityPools, IncidentGenerator, IncidentRequest } from '../types.ts';
import { ipInCountry } from '../common/pools.ts';
import { PROTO, SCAN_EXTRA_PORTS, TCP_FLAGS } from './data.ts';
import { vpcContext } from './model.ts';
import { numParam, targetEni, vpcIncidentEvents } from './incident-stream.ts';

function attacker(rng: Rng, req: IncidentRequest): string {
  const r = rng.fork('actors');
  return req.entities.ip ?? ipInCountry(r, r.pick(['CN', 'RU', 'NL', 'VN', 'US']), 'hosting').ip;
}

/**
 * One address sweeps ports 1–1024 and a list of service ports on one interface: one or two SYN packets
 * per port, REJECTed except where the security group is open (80/443 on web hosts, 22 on the bastion).
 * Baseline noise touches ~20 ports from 300 addresses; this is one address touching hundreds of ports.
 */
export const vpcPortScan: IncidentGenerator = {
  kind: 'vpc-port-scan',
  sources: ['vpcflow'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    const ctx = vpcContext(pools);
    const eni = targetEni(ctx, req, ctx.webEnis[0]!);
    return { ip: attacker(rng, req), eni: eni.eniId, instance: eni.instanceId };
  },
  generate(rng, pools, req) {
    const ctx = vpcContext(pools);
    const eni = targetEni(ctx, req, ctx.webEnis[0]!);
    const src = attacker(rng, req);
    const ports = [...Array.from({ length: 1024 }, (_v, i) => i + 1), ...SCAN_EXTRA_PORTS];
    const open = new Set(eni.role === 'bastion' ? [22] : [80, 443]);
    let i = 0;
    return vpcIncidentEvents(rng, pools, req, 'vpc-port-scan', numParam(req, 'rate', 100), (_ctx, w, r, s) => {
      const port = ports[i++ % ports.length]!;
      const packets = r.chance(0.2) ? 2 : 1;
      const ok = open.has(port);
      return { eni, line: w.line(eni, src, eni.ip, 40000 + Math.floor(r.next() * 20000), port, PROTO.TCP, packets, packets * 44, s, s, ok, TCP_FLAGS.SYN, true) };
    });
  },
};
