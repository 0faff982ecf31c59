/** Helpers the incident generators of this source share. */
import type { Rng } from '../../core/index.ts';
import type { EntityPools, IncidentRequest, TruthLabel } from '../types.ts';
import { ec2Hosts, pickHost, type Ec2Host } from './host-model.ts';

export function labelOf(req: IncidentRequest): TruthLabel {
  return { incidentId: req.incidentId, kind: req.kind };
}

/** Hosts are rebuilt from the same fork in describe() and generate(), so both name the same instance. */
export function hostsOf(rng: Rng, pools: EntityPools): Ec2Host[] {
  return ec2Hosts(rng.fork('hosts'), pools);
}

/** A web host unless the scenario names one: disks fill and memory runs out where the application runs. */
export function webHost(hosts: Ec2Host[], wanted: string | undefined): Ec2Host {
  return wanted ? pickHost(hosts, wanted) : (hosts.find((h) => !h.bastion) ?? pickHost(hosts, undefined));
}
