import { DescribeInstancesCommand, DescribeNetworkAclsCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, DescribeNodegroupCommand } from '@aws-sdk/client-eks';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { DescribeDBParametersCommand } from '@aws-sdk/client-rds';
import { GetBucketPolicyCommand, GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import { GetIPSetCommand } from '@aws-sdk/client-wafv2';
import type { EstateReaderClients } from '../../core/aws/index.ts';

export type { EstateReaderClients };
// Its own module: a drill reads the ECS deployments before it delivers, and loads the other readers only to verify.
export { ecsDeployments, type EcsDeployments } from './ecs-deployments.ts';

/**
 * Small readers of the estate through the AWS API, shared by verify() and estateSnapshot(): each returns plain,
 * sorted data, so two reads of an unchanged estate are deeply equal.
 */

export async function ipSetAddresses(c: EstateReaderClients, name: string, id: string, scope: 'REGIONAL' | 'CLOUDFRONT' = 'REGIONAL'): Promise<string[]> {
  return [...((await c.wafv2.send(new GetIPSetCommand({ Name: name, Id: id, Scope: scope }))).IPSet?.Addresses ?? [])].sort();
}

export interface NaclEntry {
  ruleNumber: number;
  action: string;
  egress: boolean;
  cidr: string;
  protocol: string;
}
export async function naclEntries(c: EstateReaderClients, networkAclId: string): Promise<NaclEntry[]> {
  const acl = (await c.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [networkAclId] }))).NetworkAcls?.[0];
  return (acl?.Entries ?? [])
    .map((e) => ({ ruleNumber: e.RuleNumber ?? 0, action: e.RuleAction ?? '', egress: e.Egress ?? false, cidr: e.CidrBlock ?? e.Ipv6CidrBlock ?? '', protocol: e.Protocol ?? '' }))
    .sort((a, b) => Number(a.egress) - Number(b.egress) || a.ruleNumber - b.ruleNumber);
}

/** Ingress rules flattened to `proto:from-to:cidr`. */
export async function sgIngressRules(c: EstateReaderClients, groupId: string): Promise<string[]> {
  const sg = (await c.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.[0];
  return (sg?.IpPermissions ?? []).flatMap((p) => (p.IpRanges ?? []).map((r) => `${p.IpProtocol}:${p.FromPort ?? '*'}-${p.ToPort ?? '*'}:${r.CidrIp}`)).sort();
}

/** Parameters set on the group (Source user), name → value. */
export async function userParameters(c: EstateReaderClients, parameterGroup: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let marker: string | undefined;
  do {
    const r = await c.rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: parameterGroup, Source: 'user', Marker: marker }));
    for (const p of r.Parameters ?? []) if (p.ParameterName && p.ParameterValue !== undefined) out[p.ParameterName] = p.ParameterValue;
    marker = r.Marker;
  } while (marker);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

export async function accessKeyStatuses(c: EstateReaderClients, userName: string): Promise<Record<string, string>> {
  const keys = (await c.iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? [];
  return Object.fromEntries(keys.map((k) => [k.AccessKeyId ?? '', k.Status ?? '']).sort(([a], [b]) => a!.localeCompare(b!)));
}

/** Reserved concurrency, or null when none is set (the function shares the account's pool). */
export async function reservedConcurrency(c: EstateReaderClients, functionName: string): Promise<number | null> {
  return (await c.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }))).ReservedConcurrentExecutions ?? null;
}

export async function bucketVersioning(c: EstateReaderClients, bucket: string): Promise<string> {
  return (await c.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status ?? 'Unversioned';
}

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
}
/** The bucket policy's statements, or [] when the bucket has no policy. */
export async function bucketPolicyStatements(c: EstateReaderClients, bucket: string): Promise<PolicyStatement[]> {
  try {
    const text = (await c.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '{}';
    const doc = JSON.parse(text) as { Statement?: PolicyStatement | PolicyStatement[] };
    return Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  } catch (err) {
    if ((err as Error).name === 'NoSuchBucketPolicy' || /policy does not exist/i.test((err as Error).message)) return [];
    throw err;
  }
}

export interface InstanceState {
  state: string;
  groupIds: string[];
  groupNames: string[];
}
export async function instanceState(c: EstateReaderClients, instanceId: string): Promise<InstanceState> {
  const i = (await c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]?.Instances?.[0];
  return {
    state: i?.State?.Name ?? 'unknown',
    groupIds: (i?.SecurityGroups ?? []).map((g) => g.GroupId ?? '').sort(),
    groupNames: (i?.SecurityGroups ?? []).map((g) => g.GroupName ?? '').sort(),
  };
}

export interface EksEndpointAccess {
  publicAccess: boolean | undefined;
  privateAccess: boolean | undefined;
  publicAccessCidrs: string[];
}
/** The cluster endpoint's access settings (DescribeCluster resourcesVpcConfig). */
export async function eksEndpointAccess(c: EstateReaderClients, cluster: string): Promise<EksEndpointAccess> {
  const v = (await c.eks.send(new DescribeClusterCommand({ name: cluster }))).cluster?.resourcesVpcConfig;
  return { publicAccess: v?.endpointPublicAccess, privateAccess: v?.endpointPrivateAccess, publicAccessCidrs: [...(v?.publicAccessCidrs ?? [])].sort() };
}

export interface NodegroupScaling {
  minSize: number | undefined;
  desiredSize: number | undefined;
  maxSize: number | undefined;
}
/** The node group's scaling configuration (DescribeNodegroup scalingConfig). */
export async function nodegroupScaling(c: EstateReaderClients, cluster: string, nodegroup: string): Promise<NodegroupScaling> {
  const s = (await c.eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: nodegroup }))).nodegroup?.scalingConfig;
  return { minSize: s?.minSize, desiredSize: s?.desiredSize, maxSize: s?.maxSize };
}
