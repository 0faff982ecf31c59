import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.ts';
import { defaultTopology, syntheticEstate } from '../../core/topology/index.ts';
import { FINDING_KINDS, REMEDIATION_OUTCOMES, type Entities, type EntityType, type FindingKind } from '../../core/vocabulary.ts';
import { lookupPlaybook, PLAYBOOK_TABLE, resolveSource } from './playbook-table.ts';
import { PLAYBOOK_NAMES, playbookSpec } from './playbooks/index.ts';

const topology = defaultTopology();
const estate = syntheticEstate(topology);
const ctx = { estate, topology };

function f(kind: FindingKind, entities: Entities, primary: EntityType, extra: Partial<Finding> = {}): Finding {
  return { findingId: `t-${kind}`, kind, entities, primary, firstSeen: 0, lastSeen: 1, detectedAt: 1, score: 1, severity: 'high', method: 'test', summary: '', evidence: { sampleLines: [], features: {} }, ...extra };
}

/** A finding of each mapped kind with the entities its detector puts on it. */
const SAMPLES: Partial<Record<FindingKind, Finding>> = {
  'waf-credential-stuffing': f('waf-credential-stuffing', { ip: '203.0.113.7' }, 'ip'),
  'vpc-port-scan': f('vpc-port-scan', { ip: '198.51.100.1', eni: estate.instances[0]!.eniId }, 'ip'),
  'vpc-exfiltration': f('vpc-exfiltration', { eni: estate.instances[1]!.eniId }, 'eni'),
  'ec2-ssh-bruteforce': f('ec2-ssh-bruteforce', { host: 'ip-10-0-1-10', ip: '198.51.100.2' }, 'host'),
  'ec2-oom': f('ec2-oom', { host: estate.instances[0]!.name }, 'host'),
  'cloudtrail-compromised-key': f('cloudtrail-compromised-key', { accessKey: estate.iamUsers[0]!.accessKeyId, principal: estate.iamUsers[0]!.arn }, 'accessKey'),
  'lambda-timeout-storm': f('lambda-timeout-storm', { function: estate.lambdas[0]!.name }, 'function'),
  's3-mass-delete': f('s3-mass-delete', { bucket: estate.buckets.data, principal: 'arn:aws:iam::123456789012:user/mallory' }, 'bucket'),
  'rds-connection-exhaustion': f('rds-connection-exhaustion', { database: estate.rds.dbInstanceId }, 'database'),
  'root-cause': f('root-cause', { database: estate.rds.dbInstanceId, service: 'checkout' }, 'database'),
  'ecs-task-restarts': f('ecs-task-restarts', { service: 'checkout' }, 'service'),
  'eks-api-forbidden-burst': f('eks-api-forbidden-burst', { cluster: estate.eks.clusterName, ip: '198.51.100.9', principal: 'system:anonymous' }, 'ip'),
  'eks-node-not-ready': f('eks-node-not-ready', { cluster: estate.eks.clusterName, node: estate.eks.nodes[0]!.name }, 'node'),
  'eks-exec-secret-access': f('eks-exec-secret-access', { cluster: estate.eks.clusterName, accessKey: estate.iamUsers[1]!.accessKeyId, principal: estate.iamUsers[1]!.arn, ip: '198.51.100.10' }, 'accessKey'),
};

describe('the playbook table', () => {
  it('names only playbooks that exist and inputs each playbook declares', () => {
    for (const [kind, rules] of Object.entries(PLAYBOOK_TABLE)) {
      for (const rule of rules!) {
        expect(PLAYBOOK_NAMES, kind).toContain(rule.playbook);
        for (const name of playbookSpec(rule.playbook).inputs) expect(Object.keys(rule.inputs), `${kind} → ${rule.playbook} lacks ${name}`).toContain(name);
      }
    }
    for (const kind of Object.keys(PLAYBOOK_TABLE)) expect(FINDING_KINDS).toContain(kind);
  });

  it.each(Object.keys(SAMPLES))('%s resolves to a plan whose parameters build', (kind) => {
    const finding = SAMPLES[kind as FindingKind]!;
    const plan = lookupPlaybook(finding, ctx);
    expect(plan.kind, JSON.stringify(plan)).toBe('planned');
    if (plan.kind !== 'planned') return;
    const spec = playbookSpec(plan.playbook);
    const params = spec.fromInputs(plan.inputs, { incidentId: finding.findingId, tags: topology.tags });
    expect(spec.targets(params).length).toBeGreaterThan(0);
    expect(spec.resourceKeys(params).length).toBeGreaterThan(0);
    expect(spec.outcomes(params).length).toBeGreaterThan(0);
  });

  it('every remediation outcome of the vocabulary is promised by some mapped finding', () => {
    const promised = new Set<string>();
    for (const finding of Object.values(SAMPLES)) {
      const plan = lookupPlaybook(finding!, ctx);
      if (plan.kind !== 'planned') continue;
      const spec = playbookSpec(plan.playbook);
      for (const o of spec.outcomes(spec.fromInputs(plan.inputs, { incidentId: 'x', tags: {} }))) promised.add(o.outcome);
    }
    expect([...promised].sort()).toEqual([...REMEDIATION_OUTCOMES].sort());
  });

  it('resolves hosts, ENIs and access keys through the estate', () => {
    const i = estate.instances[0]!;
    expect(resolveSource({ lookup: 'instance-of-host', from: { value: `ip-${i.privateIp.replaceAll('.', '-')}` } }, SAMPLES['ec2-oom']!, ctx)).toBe(i.instanceId);
    expect(resolveSource({ lookup: 'instance-of-eni', from: { value: i.eniId } }, SAMPLES['ec2-oom']!, ctx)).toBe(i.instanceId);
    expect(resolveSource({ lookup: 'iam-user-of-access-key', from: { value: estate.iamUsers[2]!.accessKeyId } }, SAMPLES['ec2-oom']!, ctx)).toBe(estate.iamUsers[2]!.userName);
    expect(resolveSource({ entity: 'ip', as: 'cidr' }, f('vpc-ddos', { ip: '2001:db8::1' }, 'ip'), ctx)).toBe('2001:db8::1/128');
    expect(resolveSource({ entity: 'principal', as: 'iam-user-name' }, f('cloudtrail-compromised-key', { principal: 'arn:aws:iam::1:user/ops/eve' }, 'principal'), ctx)).toBe('eve');
  });

  it('answers EKS findings only where the AWS API can act', () => {
    const plan = (x: Finding) => lookupPlaybook(x, ctx);
    expect(plan(SAMPLES['eks-api-forbidden-burst']!)).toMatchObject({ kind: 'planned', playbook: 'eks-restrict-endpoint', inputs: { cluster: estate.eks.clusterName } });
    // Refused requests of a principal inside the cluster do not come through the public endpoint.
    expect(plan(f('eks-api-forbidden-burst', { cluster: estate.eks.clusterName, principal: 'system:serviceaccount:shop:cart', ip: '10.0.11.40' }, 'principal')).kind).toBe('no-playbook');
    expect(plan(SAMPLES['eks-node-not-ready']!)).toMatchObject({ kind: 'planned', playbook: 'eks-scale-nodegroup', inputs: { nodegroup: estate.eks.nodegroupName, addNodes: 1, atLeast: topology.estate.eks.scaling.desiredSize + 1 } });
    // A cluster the estate does not know has no node group to scale.
    expect(plan(f('eks-node-not-ready', { cluster: 'someone-elses', node: 'n' }, 'node')).kind).toBe('no-playbook');
    expect(plan(SAMPLES['eks-exec-secret-access']!)).toMatchObject({ kind: 'planned', playbook: 'iam-deactivate-access-key', inputs: { userName: estate.iamUsers[1]!.userName } });
    expect(plan(f('eks-crashloop-storm', { cluster: estate.eks.clusterName, workload: 'shop/cart' }, 'workload'))).toEqual({ kind: 'no-playbook', reason: 'no playbook answers eks-crashloop-storm' });
  });

  it('says why when nothing applies: unmapped kinds, missing entities, a root cause of another kind', () => {
    expect(lookupPlaybook(f('cloudtrail-root-usage', {}, 'principal'), ctx)).toEqual({ kind: 'no-playbook', reason: 'no playbook answers cloudtrail-root-usage' });
    const noIp = lookupPlaybook(f('waf-http-flood', { webAcl: 'x' }, 'webAcl'), ctx);
    expect(noIp.kind === 'no-playbook' && noIp.reason).toMatch(/unresolved addresses/);
    const rootOfLambda = lookupPlaybook(f('root-cause', { function: 'fn' }, 'function'), ctx);
    expect(rootOfLambda.kind === 'no-playbook' && rootOfLambda.reason).toMatch(/primary entity is function/);
  });
});
