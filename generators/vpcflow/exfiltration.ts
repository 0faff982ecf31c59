import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import type { EntityPools, IncidentGenerator, IncidentRequest } from '../types.ts';
import { ipInCountry } from '../common/pools.ts';
import { EXFIL_COUNTRIES, PROTO, TCP_FLAGS } from './data.ts';
import { ephemeral, vpcContext } from './model.ts';
import { numParam, targetEni, vpcIncidentEvents } from './incident-stream.ts';

function destination(rng: Rng, req: IncidentRequest, known: Set<string>): { ip: string; port: number } {
  const r = rng.fork('actors');
  const port = r.pick([443, 443, 8443, 22]);
  if (req.entities.ip) return { ip: req.entities.ip, port };
  for (;;) {
    const ip = ipInCountry(r, r.pick(EXFIL_COUNTRIES), 'hosting').ip;
    if (!known.has(ip)) return { ip, port };
  }
}

/**
 * A host uploads hundreds of megabytes to an address it has never talked to: a few parallel connections,
 * each window's record carrying 20–400 MB outbound and only ACKs back. Baseline egress goes to the host's
 * own few services with medians of kilobytes.
 */
export const vpcExfiltration: IncidentGenerator = {
  kind: 'vpc-exfiltration',
  sources: ['vpcflow'],
  describe(rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    const ctx = vpcContext(pools);
    const eni = targetEni(ctx, req, ctx.webEnis[ctx.webEnis.length - 1]!);
    const known = new Set([...pools.externalServices.map((s) => s.ip), ...pools.internetNoise]);
    return { ip: destination(rng, req, known).ip, eni: eni.eniId, instance: eni.instanceId };
  },
  generate(rng, pools, req) {
    const ctx = vpcContext(pools);
    const eni = targetEni(ctx, req, ctx.webEnis[ctx.webEnis.length - 1]!);
    const known = new Set([...pools.externalServices.map((s) => s.ip), ...pools.internetNoise]);
    const dst = destination(rng, req, known);
    let ack: { sport: number; start: number; end: number; bytes: number } | undefined;
    return vpcIncidentEvents(rng, pools, req, 'vpc-exfiltration', numParam(req, 'rate', 0.5), (_ctx, w, r, s) => {
      if (ack) {
        const a = ack;
        ack = undefined;
        const packets = Math.max(1, Math.round(a.bytes / 1448 / 2));
        return { eni, line: w.line(eni, dst.ip, eni.ip, dst.port, a.sport, PROTO.TCP, packets, packets * 52, a.start, a.end, true, TCP_FLAGS.SYNACK_FIN, true) };
      }
      const sport = ephemeral(r);
      const end = w.endOf(s, -1);
      const bytes = Math.round(r.logNormal(Math.log(80e6), 0.7));
      ack = { sport, start: s, end, bytes };
      return { eni, line: w.line(eni, eni.ip, dst.ip, sport, dst.port, PROTO.TCP, Math.ceil(bytes / 1448), bytes, s, end, true, TCP_FLAGS.SYN, false) };
    });
  },
};
