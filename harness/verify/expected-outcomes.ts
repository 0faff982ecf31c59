import type { EstateIds, Topology } from '../../core/topology/index.ts';
import { ConfigError } from '../../core/index.ts';
import type { OutcomeExpectation } from '../../core/index.ts';
import type { PlannedIncident, ResolvedRemediation } from '../../scenarios/index.ts';

export interface BeforeDrill {
  /** ECS deployment id before the drill, so "redeployed" means a new one appeared. */
  ecsDeploymentId?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);
const cidrOf = (ip: string) => (ip.includes('/') ? ip : `${ip}/32`);

/**
 * Turns a scenario's expected remediation into what is read back from the estate. Everything comes from
 * the scenario's truth (incident entities) and the bootstrapped estate — never from what the detector
 * found — so a remediation aimed at the wrong target does not verify.
 */
export function expectedOutcome(r: ResolvedRemediation, incident: PlannedIncident | undefined, estate: EstateIds, topology: Topology, before: BeforeDrill): OutcomeExpectation {
  const p = r.params;
  const e = incident?.entities ?? {};
  const need = (what: string, v: string | undefined): string => {
    if (!v) {
      throw new ConfigError(`remediation expectation ${r.outcome} of incident ${r.incidentId} has no ${what}`, {
        expected: `the incident's entities or the expectation's params to name a ${what}`,
        seen: JSON.stringify({ entities: e, params: p }),
        fix: `add params: { ${what}: … } to the expectation, or an entity to the incident`,
      });
    }
    return v;
  };
  switch (r.outcome) {
    case 'waf-ip-blocked':
      return { outcome: r.outcome, ipSetName: estate.waf.ipSetName, ipSetId: estate.waf.ipSetId, scope: 'REGIONAL', cidr: cidrOf(need('ip', str(p.ip) ?? e.ip)) };
    case 'nacl-deny-entry':
      return { outcome: r.outcome, networkAclId: estate.networkAclId, cidr: cidrOf(need('ip', str(p.cidr) ?? str(p.ip) ?? e.ip)) };
    case 'sg-ingress-revoked':
      return { outcome: r.outcome, groupId: estate.securityGroupId, port: Number(p.port ?? 22), cidr: str(p.cidr) ?? '0.0.0.0/0' };
    case 'rds-parameter-raised':
      return { outcome: r.outcome, parameterGroup: estate.rds.parameterGroup, parameter: str(p.parameter) ?? 'max_connections', atLeast: Number(p.atLeast ?? topology.estate.rds.maxConnections + 1) };
    case 'ecs-service-redeployed':
      return { outcome: r.outcome, cluster: estate.ecs.clusterName, service: estate.ecs.serviceName, ...(before.ecsDeploymentId ? { notDeploymentId: before.ecsDeploymentId } : {}) };
    case 'access-key-inactive': {
      const key = need('accessKey', str(p.accessKeyId) ?? e.accessKey);
      const user = estate.iamUsers.find((u) => u.accessKeyId === key);
      return { outcome: r.outcome, userName: need('userName', str(p.userName) ?? user?.userName), accessKeyId: key };
    }
    case 'lambda-concurrency-throttled': {
      const fn = need('function', str(p.function) ?? e.function);
      return { outcome: r.outcome, functionName: fn.split(':').pop()!.replace(/^\/aws\/lambda\//, ''), atMost: Number(p.atMost ?? 1) };
    }
    case 's3-versioning-enabled':
      return { outcome: r.outcome, bucket: need('bucket', str(p.bucket) ?? e.bucket) };
    case 's3-delete-denied':
      return { outcome: r.outcome, bucket: need('bucket', str(p.bucket) ?? e.bucket), principal: need('principal', str(p.principal) ?? e.principal) };
    case 'ec2-instance-stopped':
      return { outcome: r.outcome, instanceId: need('instance', str(p.instanceId) ?? e.instance) };
    case 'ec2-instance-isolated':
      return { outcome: r.outcome, instanceId: need('instance', str(p.instanceId) ?? e.instance), quarantineGroupName: str(p.quarantineGroupName) ?? `${topology.prefix}-quarantine` };
    case 'eks-endpoint-private':
      return { outcome: r.outcome, cluster: str(p.cluster) ?? estate.eks.clusterName };
    case 'eks-nodegroup-scaled':
      // One node more than the estate declares, unless the expectation says how many.
      return { outcome: r.outcome, cluster: str(p.cluster) ?? estate.eks.clusterName, nodegroup: str(p.nodegroup) ?? estate.eks.nodegroupName, atLeast: Number(p.atLeast ?? topology.estate.eks.scaling.desiredSize + 1) };
  }
}

/** Outcomes as one-line text for reports: what was expected, in the estate's own terms. */
export function describeExpectation(o: OutcomeExpectation): string {
  const { outcome: _outcome, ...rest } = o;
  return Object.entries(rest).map(([k, v]) => `${k}=${String(v)}`).join(' ');
}
