import { errorMessage } from '../../core/index.ts';
import type { RemediationOutcome } from '../../core/index.ts';
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
  type PolicyStatement,
} from './estate-readers.ts';
import type { OutcomeExpectation } from '../../core/index.ts';

/** One outcome, as expected and as read back from the estate through the AWS API. */
export interface OutcomeCheck {
  outcome: RemediationOutcome;
  expectation: OutcomeExpectation;
  expected: string;
  observed: string;
  ok: boolean;
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const principals = (p: unknown): string[] => {
  if (typeof p === 'string') return [p];
  if (p && typeof p === 'object') return Object.values(p as Record<string, string | string[]>).flatMap((v) => asList(v));
  return [];
};
const deniesDelete = (s: PolicyStatement, principal: string) =>
  s.Effect === 'Deny' && asList(s.Action).some((a) => a === 's3:DeleteObject' || a === 's3:Delete*' || a === 's3:*') && principals(s.Principal).some((p) => p === principal || p === '*');

async function check(c: EstateReaderClients, e: OutcomeExpectation): Promise<Omit<OutcomeCheck, 'outcome' | 'expectation'>> {
  switch (e.outcome) {
    case 'waf-ip-blocked': {
      const addrs = await ipSetAddresses(c, e.ipSetName, e.ipSetId, e.scope);
      return { expected: `${e.cidr} in IP set ${e.ipSetName}`, observed: `addresses [${addrs.join(', ')}]`, ok: addrs.includes(e.cidr) };
    }
    case 'nacl-deny-entry': {
      const entries = await naclEntries(c, e.networkAclId);
      const deny = entries.find((x) => !x.egress && x.action === 'deny' && x.cidr === e.cidr);
      const allowBefore = deny && entries.some((x) => !x.egress && x.action === 'allow' && x.ruleNumber < deny.ruleNumber && (x.cidr === '0.0.0.0/0' || x.cidr === e.cidr));
      return {
        expected: `an inbound deny for ${e.cidr} in ${e.networkAclId}, ahead of any allow`,
        observed: deny ? `deny rule #${deny.ruleNumber}${allowBefore ? ' (but an allow rule comes first)' : ''}` : `inbound entries ${entries.filter((x) => !x.egress).map((x) => `#${x.ruleNumber} ${x.action} ${x.cidr}`).join(', ')}`,
        ok: Boolean(deny) && !allowBefore,
      };
    }
    case 'sg-ingress-revoked': {
      const rules = await sgIngressRules(c, e.groupId);
      const open = rules.filter((r) => {
        const [proto, range, cidr] = r.split(':');
        const [from, to] = (range ?? '').split('-').map(Number);
        return (proto === 'tcp' || proto === '-1') && cidr === e.cidr && (proto === '-1' || (from! <= e.port && e.port <= to!));
      });
      return { expected: `no ingress to port ${e.port} from ${e.cidr} in ${e.groupId}`, observed: open.length ? `still open: ${open.join(', ')}` : `ingress [${rules.join(', ')}]`, ok: open.length === 0 };
    }
    case 'rds-parameter-raised': {
      const params = await userParameters(c, e.parameterGroup);
      const v = params[e.parameter];
      return { expected: `${e.parameter} ≥ ${e.atLeast} in ${e.parameterGroup}`, observed: v === undefined ? `${e.parameter} not set` : `${e.parameter} = ${v}`, ok: v !== undefined && Number(v) >= e.atLeast };
    }
    case 'ecs-service-redeployed': {
      const d = await ecsDeployments(c, e.cluster, e.service);
      const ok = e.notDeploymentId !== undefined ? d.primaryId !== undefined && d.primaryId !== e.notDeploymentId : d.ids.length > 1;
      return {
        expected: e.notDeploymentId ? `a primary deployment other than ${e.notDeploymentId}` : 'a new deployment beside the original',
        observed: `primary ${d.primaryId ?? 'none'}; deployments [${d.ids.join(', ')}]`,
        ok,
      };
    }
    case 'access-key-inactive': {
      const keys = await accessKeyStatuses(c, e.userName);
      return { expected: `${e.accessKeyId} Inactive`, observed: `${e.accessKeyId} ${keys[e.accessKeyId] ?? 'not found'}`, ok: keys[e.accessKeyId] === 'Inactive' };
    }
    case 'lambda-concurrency-throttled': {
      const r = await reservedConcurrency(c, e.functionName);
      return { expected: `reserved concurrency ≤ ${e.atMost}`, observed: r === null ? 'no reserved concurrency' : `reserved concurrency ${r}`, ok: r !== null && r <= e.atMost };
    }
    case 's3-versioning-enabled': {
      const v = await bucketVersioning(c, e.bucket);
      return { expected: 'versioning Enabled', observed: `versioning ${v}`, ok: v === 'Enabled' };
    }
    case 's3-delete-denied': {
      const st = await bucketPolicyStatements(c, e.bucket);
      const hit = st.find((s) => deniesDelete(s, e.principal));
      return { expected: `a Deny of s3:DeleteObject for ${e.principal}`, observed: hit ? `statement ${hit.Sid ?? '(no Sid)'}` : `${st.length} statement(s), none denies it`, ok: Boolean(hit) };
    }
    case 'ec2-instance-stopped': {
      const s = await instanceState(c, e.instanceId);
      return { expected: 'stopping or stopped', observed: s.state, ok: s.state === 'stopped' || s.state === 'stopping' };
    }
    case 'ec2-instance-isolated': {
      const s = await instanceState(c, e.instanceId);
      return {
        expected: `only security group ${e.quarantineGroupName}`,
        observed: `groups [${s.groupNames.join(', ')}]`,
        ok: s.groupNames.length === 1 && s.groupNames[0] === e.quarantineGroupName,
      };
    }
    case 'eks-endpoint-private': {
      const a = await eksEndpointAccess(c, e.cluster);
      return { expected: `the endpoint of ${e.cluster} without public access`, observed: `public ${String(a.publicAccess)}, private ${String(a.privateAccess)}`, ok: a.publicAccess === false };
    }
    case 'eks-nodegroup-scaled': {
      const s = await nodegroupScaling(c, e.cluster, e.nodegroup);
      return { expected: `desired size ≥ ${e.atLeast} in ${e.cluster}/${e.nodegroup}`, observed: `min ${String(s.minSize)}, desired ${String(s.desiredSize)}, max ${String(s.maxSize)}`, ok: s.desiredSize !== undefined && s.desiredSize >= e.atLeast };
    }
  }
}

/**
 * Reads the estate back through the AWS API and compares it with each expected outcome. A read that fails
 * (missing resource, no permission) is a failed check with the error as what was observed — never a pass.
 */
export async function verifyOutcomes(c: EstateReaderClients, expectations: OutcomeExpectation[]): Promise<OutcomeCheck[]> {
  return Promise.all(
    expectations.map(async (e) => {
      try {
        return { outcome: e.outcome, expectation: e, ...(await check(c, e)) };
      } catch (err) {
        return { outcome: e.outcome, expectation: e, expected: e.outcome, observed: `read failed: ${errorMessage(err)}`, ok: false };
      }
    }),
  );
}
