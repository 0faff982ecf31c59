import type { EstateIds } from '../../core/topology/index.ts';
import {
  accessKeyStatuses,
  bucketPolicyStatements,
  bucketVersioning,
  ecsDeployments,
  eksEndpointAccess,
  nodegroupScaling,
  instanceState,
  ipSetAddresses,
  naclEntries,
  reservedConcurrency,
  sgIngressRules,
  userParameters,
  type EstateReaderClients,
} from './estate-readers.ts';

/** Everything a playbook can change, as plain sorted data: equal snapshots mean an unchanged estate. */
export interface EstateSnapshot {
  wafIpSet: string[];
  networkAcl: Awaited<ReturnType<typeof naclEntries>>;
  securityGroupIngress: string[];
  rdsUserParameters: Record<string, string>;
  ecsDeployments: Awaited<ReturnType<typeof ecsDeployments>>;
  accessKeys: Record<string, Record<string, string>>;
  reservedConcurrency: Record<string, number | null>;
  dataBucket: { versioning: string; policy: unknown[] };
  instances: Record<string, Awaited<ReturnType<typeof instanceState>>>;
  eks: { endpoint: Awaited<ReturnType<typeof eksEndpointAccess>>; nodegroup: Awaited<ReturnType<typeof nodegroupScaling>> };
}

/** Reads the whole remediable estate, e.g. before and after a dry-run to prove nothing changed. */
export async function estateSnapshot(c: EstateReaderClients, estate: EstateIds): Promise<EstateSnapshot> {
  const [wafIpSet, networkAcl, securityGroupIngress, rdsUserParameters, deployments, keys, conc, versioning, policy, insts, endpoint, nodegroup] = await Promise.all([
    ipSetAddresses(c, estate.waf.ipSetName, estate.waf.ipSetId),
    naclEntries(c, estate.networkAclId),
    sgIngressRules(c, estate.securityGroupId),
    userParameters(c, estate.rds.parameterGroup),
    ecsDeployments(c, estate.ecs.clusterName, estate.ecs.serviceName),
    Promise.all(estate.iamUsers.map(async (u) => [u.userName, await accessKeyStatuses(c, u.userName)] as const)),
    Promise.all(estate.lambdas.map(async (l) => [l.name, await reservedConcurrency(c, l.name)] as const)),
    bucketVersioning(c, estate.buckets.data),
    bucketPolicyStatements(c, estate.buckets.data),
    Promise.all(estate.instances.map(async (i) => [i.instanceId, await instanceState(c, i.instanceId)] as const)),
    eksEndpointAccess(c, estate.eks.clusterName),
    nodegroupScaling(c, estate.eks.clusterName, estate.eks.nodegroupName),
  ]);
  return {
    wafIpSet,
    networkAcl,
    securityGroupIngress,
    rdsUserParameters,
    ecsDeployments: deployments,
    accessKeys: Object.fromEntries(keys),
    reservedConcurrency: Object.fromEntries(conc),
    dataBucket: { versioning, policy },
    instances: Object.fromEntries(insts),
    eks: { endpoint, nodegroup },
  };
}
