import { createRng } from '../rng.ts';
import type { Topology } from './types.ts';

/**
 * The node group's nodes as Kubernetes names them. An EKS node is named after its private DNS name
 * (`ip-10-0-11-120.ec2.internal` in us-east-1, `ip-….<region>.compute.internal` elsewhere). Neither an emulator
 * nor a synthetic estate launches instances for a node group, so the addresses are drawn (seeded by the cluster
 * name) from the node subnet; on AWS they would be read from the node group's instances.
 */
export function eksNodes(topology: Topology, subnetCidr: string, count = topology.estate.eks.scaling.desiredSize): { name: string; privateIp: string }[] {
  const rng = createRng(`eks-nodes/${topology.estate.eks.cluster}`);
  const [a, b, c] = subnetCidr.split('/')[0]!.split('.');
  const domain = topology.region === 'us-east-1' ? 'ec2.internal' : `${topology.region}.compute.internal`;
  const used = new Set<number>();
  const out: { name: string; privateIp: string }[] = [];
  while (out.length < count) {
    // Above .100: the lower addresses of the subnet belong to the estate's instances and the database.
    const d = rng.int(100, 250);
    if (used.has(d)) continue;
    used.add(d);
    const privateIp = `${a}.${b}.${c}.${d}`;
    out.push({ name: `ip-${privateIp.replaceAll('.', '-')}.${domain}`, privateIp });
  }
  return out;
}
