import type { Finding } from '../../core/index.ts';
import type { EstateIds, Topology } from '../../core/topology/index.ts';
import type { EntityType, FindingKind } from '../../core/index.ts';
import type { JsonValue } from './asl/types.ts';
import type { PlaybookName } from './playbooks/index.ts';
import type { PlaybookInputs } from './playbooks/types.ts';

/**
 * Where one playbook input comes from. Data, so the whole mapping reads as a table and can be printed,
 * tested and changed without touching the dispatcher.
 */
export type InputSource =
  /** A finding entity, optionally reshaped: `cidr` turns an IP into `<ip>/32`; `iam-user-name` takes the user out of an ARN. */
  | { entity: EntityType; as?: 'cidr' | 'iam-user-name' }
  /** A dotted path into the ids bootstrap returned, e.g. `waf.ipSetId`. */
  | { estate: string }
  /** A dotted path into the topology declaration, optionally multiplied (e.g. twice the declared max_connections). */
  | { topology: string; times?: number; plus?: number; suffix?: string }
  | { value: JsonValue }
  /** Estate lookups that need a finding value: an instance by its hostname/private IP/ENI, a user by access key. */
  | { lookup: 'instance-of-host' | 'instance-of-eni' | 'iam-user-of-access-key' | 'nodegroup-of-cluster'; from: InputSource }
  /** The first source that resolves. */
  | { firstOf: InputSource[] };

export interface PlaybookRule {
  playbook: PlaybookName;
  /** The rule applies only when the finding's primary entity is of this type (root-cause findings name their root by it). */
  whenPrimary?: EntityType;
  inputs: Record<string, InputSource>;
}

/** Findings that are symptoms of a cascade: remediated through their root cause when one explains them. */
export const SYMPTOM_KINDS: readonly FindingKind[] = ['app-db-errors', 'ecs-task-restarts'];

const attackerToWaf: PlaybookRule = {
  playbook: 'waf-block-ips',
  inputs: {
    ipSetName: { estate: 'waf.ipSetName' },
    ipSetId: { estate: 'waf.ipSetId' },
    ipSetArn: { estate: 'waf.ipSetArn' },
    addresses: { entity: 'ip', as: 'cidr' },
  },
};
const attackerToNacl: PlaybookRule = {
  playbook: 'nacl-deny-ip',
  inputs: { networkAclId: { estate: 'networkAclId' }, cidr: { entity: 'ip', as: 'cidr' } },
};
const hostOf: InputSource = {
  firstOf: [{ entity: 'instance' }, { lookup: 'instance-of-host', from: { entity: 'host' } }, { lookup: 'instance-of-eni', from: { entity: 'eni' } }],
};
const fixDatabase: PlaybookRule = {
  playbook: 'rds-raise-max-connections',
  inputs: {
    parameterGroup: { estate: 'rds.parameterGroup' },
    dbInstanceId: { firstOf: [{ entity: 'database' }, { estate: 'rds.dbInstanceId' }] },
    maxConnections: { topology: 'estate.rds.maxConnections', times: 2 },
    // The app that depends on the database: restarted by the playbook once the database is fixed.
    cluster: { estate: 'ecs.clusterName' },
    service: { estate: 'ecs.serviceName' },
    serviceArn: { estate: 'ecs.serviceArn' },
  },
};

const deactivateKey: PlaybookRule = {
  playbook: 'iam-deactivate-access-key',
  inputs: {
    accessKeyId: { entity: 'accessKey' },
    userName: { firstOf: [{ lookup: 'iam-user-of-access-key', from: { entity: 'accessKey' } }, { entity: 'principal', as: 'iam-user-name' }] },
  },
};
/** The cluster a finding names, else the estate's. */
const eksCluster: InputSource = { firstOf: [{ entity: 'cluster' }, { estate: 'eks.clusterName' }] };

/**
 * Which playbook answers which finding kind. A kind that is absent (or whose rules do not resolve) is
 * notified and audited, never acted on. Rules are tried in order; the first whose inputs resolve wins.
 */
export const PLAYBOOK_TABLE: Partial<Record<FindingKind, PlaybookRule[]>> = {
  'waf-geo-anomaly': [attackerToWaf],
  'waf-credential-stuffing': [attackerToWaf],
  'waf-sqli-scanner': [attackerToWaf],
  'waf-http-flood': [attackerToWaf],
  'waf-bad-bots': [attackerToWaf],
  // Network-level attackers are denied at the subnet edge (the NACL), whichever host they probe.
  'vpc-port-scan': [attackerToNacl],
  'vpc-ssh-bruteforce': [attackerToNacl],
  'vpc-ddos': [attackerToNacl],
  // Data leaving a host: the host is compromised — isolate it, keep it running for forensics.
  'vpc-exfiltration': [
    {
      playbook: 'ec2-isolate-instance',
      inputs: { instanceId: hostOf, vpcId: { estate: 'vpcId' }, quarantineGroupName: { topology: 'prefix', suffix: '-quarantine' } },
    },
  ],
  // Brute force seen in the host's own auth log: close the door it came through (SSH open to the world).
  'ec2-ssh-bruteforce': [
    { playbook: 'sg-revoke-ingress', inputs: { groupId: { estate: 'securityGroupId' }, port: { value: 22 }, cidr: { value: '0.0.0.0/0' } } },
  ],
  // A failing host is taken out of service.
  'ec2-oom': [{ playbook: 'ec2-stop-instance', inputs: { instanceId: hostOf } }],
  'ec2-disk-full': [{ playbook: 'ec2-stop-instance', inputs: { instanceId: hostOf } }],
  'cloudtrail-compromised-key': [deactivateKey],
  // The same leaked key seen inside the cluster: the IAM Authenticator names it in the audit log's user extras.
  'eks-exec-secret-access': [deactivateKey],
  // Anonymous requests from the internet reach the API through the public endpoint: close it (the nodes and
  // anything in the VPC keep the private one). A refused principal inside the cluster is not this: no playbook.
  'eks-api-forbidden-burst': [{ playbook: 'eks-restrict-endpoint', whenPrimary: 'ip', inputs: { cluster: eksCluster } }],
  // Lost capacity: one more node per NotReady node, checked against the declared size.
  'eks-node-not-ready': [
    {
      playbook: 'eks-scale-nodegroup',
      inputs: {
        cluster: eksCluster,
        nodegroup: { lookup: 'nodegroup-of-cluster', from: eksCluster },
        addNodes: { value: 1 },
        atLeast: { topology: 'estate.eks.scaling.desiredSize', plus: 1 },
      },
    },
  ],
  // eks-crashloop-storm: no AWS API rolls a Kubernetes workload back; notified and audited only.
  'lambda-timeout-storm': [{ playbook: 'lambda-throttle', inputs: { functionName: { entity: 'function' }, reservedConcurrency: { value: 0 } } }],
  's3-mass-delete': [{ playbook: 's3-protect-bucket', inputs: { bucket: { entity: 'bucket' }, principal: { entity: 'principal' } } }],
  'rds-connection-exhaustion': [fixDatabase],
  'root-cause': [{ ...fixDatabase, whenPrimary: 'database' }],
  // A symptom: acted on only when no root cause explains it (see safety/cascade.ts), and then rate-limited.
  'ecs-task-restarts': [
    { playbook: 'ecs-redeploy-service', inputs: { cluster: { estate: 'ecs.clusterName' }, service: { entity: 'service' }, serviceArn: { estate: 'ecs.serviceArn' } } },
  ],
};

export interface ResolveContext {
  estate: EstateIds;
  topology: Topology;
}

function pathGet(root: unknown, path: string): JsonValue | undefined {
  let cur: unknown = root;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined ? undefined : (cur as JsonValue);
}

/** One input's value for a finding, or undefined when the source does not resolve. */
export function resolveSource(src: InputSource, finding: Finding, ctx: ResolveContext): JsonValue | undefined {
  if ('entity' in src) {
    const v = finding.entities[src.entity];
    if (v === undefined || v === '' || v === '-') return undefined;
    if (src.as === 'cidr') return v.includes('/') ? v : v.includes(':') ? `${v}/128` : `${v}/32`;
    if (src.as === 'iam-user-name') {
      const m = /:user\/(?:.*\/)?([^/]+)$/.exec(v);
      return m ? m[1] : v.startsWith('arn:') ? undefined : v;
    }
    return v;
  }
  if ('estate' in src) return pathGet(ctx.estate, src.estate);
  if ('topology' in src) {
    const v = pathGet(ctx.topology, src.topology);
    if (typeof v === 'number' && (src.times !== undefined || src.plus !== undefined)) return v * (src.times ?? 1) + (src.plus ?? 0);
    if (typeof v === 'string' && src.suffix !== undefined) return `${v}${src.suffix}`;
    return v;
  }
  if ('value' in src) return src.value;
  if ('firstOf' in src) {
    for (const s of src.firstOf) {
      const v = resolveSource(s, finding, ctx);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  const key = resolveSource(src.from, finding, ctx);
  if (typeof key !== 'string') return undefined;
  switch (src.lookup) {
    case 'instance-of-host': {
      // EC2 hostnames are `ip-10-0-1-10` (or the Name tag in our logs): match either.
      const ip = /^ip-(\d+)-(\d+)-(\d+)-(\d+)/.exec(key)?.slice(1, 5).join('.');
      return ctx.estate.instances.find((i) => i.name === key || i.privateIp === key || (ip !== undefined && i.privateIp === ip))?.instanceId;
    }
    case 'instance-of-eni':
      return ctx.estate.instances.find((i) => i.eniId === key)?.instanceId;
    case 'iam-user-of-access-key':
      return ctx.estate.iamUsers.find((u) => u.accessKeyId === key)?.userName;
    case 'nodegroup-of-cluster':
      return ctx.estate.eks.clusterName === key ? ctx.estate.eks.nodegroupName : undefined;
  }
}

export type PlanLookup =
  | { kind: 'planned'; playbook: PlaybookName; inputs: PlaybookInputs }
  | { kind: 'no-playbook'; reason: string };

/** The table lookup for one finding: the first rule that applies and whose inputs all resolve. */
export function lookupPlaybook(finding: Finding, ctx: ResolveContext, table: Partial<Record<FindingKind, PlaybookRule[]>> = PLAYBOOK_TABLE): PlanLookup {
  const rules = table[finding.kind];
  if (!rules || rules.length === 0) return { kind: 'no-playbook', reason: `no playbook answers ${finding.kind}` };
  const misses: string[] = [];
  for (const rule of rules) {
    if (rule.whenPrimary && rule.whenPrimary !== finding.primary) {
      misses.push(`${rule.playbook}: primary entity is ${finding.primary}, not ${rule.whenPrimary}`);
      continue;
    }
    const inputs: PlaybookInputs = {};
    const unresolved: string[] = [];
    for (const [name, src] of Object.entries(rule.inputs)) {
      const v = resolveSource(src, finding, ctx);
      if (v === undefined) unresolved.push(name);
      else inputs[name] = v;
    }
    if (unresolved.length === 0) return { kind: 'planned', playbook: rule.playbook, inputs };
    misses.push(`${rule.playbook}: unresolved ${unresolved.join(', ')}`);
  }
  return { kind: 'no-playbook', reason: `no rule for ${finding.kind} applies (${misses.join('; ')})` };
}
