import type { EstateReaderClients } from '../../../core/aws/index.ts';
import type { ManagedTarget } from '../playbooks/types.ts';

/** Tags are read with the same seven clients as the estate readers. */
export type TagReaderClients = EstateReaderClients;

export interface TargetTagState {
  target: ManagedTarget;
  /** `missing`: the resource does not exist (the action will fail and be audited; nothing unmanaged is at risk). */
  state: 'managed' | 'unmanaged' | 'missing';
  tags: Record<string, string>;
  detail?: string;
}

type Tag = { Key?: string | undefined; Value?: string | undefined };
const fromList = (tags: Tag[] | undefined): Record<string, string> => Object.fromEntries((tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? '']));

/** Errors that mean "no such resource", across the services' naming habits (and moto's). */
const NOT_FOUND = /NotFound|NoSuch|Nonexistent|DoesNotExist|does not exist|not found|InvalidInstanceID|InvalidGroup|InvalidNetworkAclID|InvalidVpcID/i;
class Missing extends Error {}

/**
 * The SDK packages, each loaded on the first read of a target of its service: the dispatcher runs as a Lambda of
 * its own (a worker thread locally), whose cold start would otherwise load eight packages (EC2's alone costs about
 * 0.75 s of CPU) to read the tags of the one or two services a finding's playbook touches.
 */
const sdk = {
  ec2: () => import('@aws-sdk/client-ec2'),
  ecs: () => import('@aws-sdk/client-ecs'),
  eks: () => import('@aws-sdk/client-eks'),
  iam: () => import('@aws-sdk/client-iam'),
  lambda: () => import('@aws-sdk/client-lambda'),
  rds: () => import('@aws-sdk/client-rds'),
  s3: () => import('@aws-sdk/client-s3'),
  wafv2: () => import('@aws-sdk/client-wafv2'),
};

async function readTags(c: TagReaderClients, t: ManagedTarget): Promise<Record<string, string>> {
  switch (t.type) {
    case 'wafv2-ipset': {
      const { ListTagsForResourceCommand: WafListTags } = await sdk.wafv2();
      return fromList((await c.wafv2.send(new WafListTags({ ResourceARN: t.arn }))).TagInfoForResource?.TagList);
    }
    case 'ec2-network-acl': {
      const { DescribeNetworkAclsCommand } = await sdk.ec2();
      const acl = (await c.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [t.id] }))).NetworkAcls?.[0];
      if (!acl) throw new Missing(`network ACL ${t.id}`);
      return fromList(acl.Tags);
    }
    case 'ec2-security-group': {
      const { DescribeSecurityGroupsCommand } = await sdk.ec2();
      const sg = (await c.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [t.id] }))).SecurityGroups?.[0];
      if (!sg) throw new Missing(`security group ${t.id}`);
      return fromList(sg.Tags);
    }
    case 'ec2-instance': {
      const { DescribeInstancesCommand } = await sdk.ec2();
      const inst = (await c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [t.id] }))).Reservations?.[0]?.Instances?.[0];
      if (!inst) throw new Missing(`instance ${t.id}`);
      return fromList(inst.Tags);
    }
    case 'ec2-vpc': {
      const { DescribeVpcsCommand } = await sdk.ec2();
      const vpc = (await c.ec2.send(new DescribeVpcsCommand({ VpcIds: [t.id] }))).Vpcs?.[0];
      if (!vpc) throw new Missing(`VPC ${t.id}`);
      return fromList(vpc.Tags);
    }
    case 'rds-parameter-group': {
      const { DescribeDBParameterGroupsCommand, ListTagsForResourceCommand: RdsListTags } = await sdk.rds();
      const pg = (await c.rds.send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: t.name }))).DBParameterGroups?.[0];
      if (!pg?.DBParameterGroupArn) throw new Missing(`DB parameter group ${t.name}`);
      return fromList((await c.rds.send(new RdsListTags({ ResourceName: pg.DBParameterGroupArn }))).TagList);
    }
    case 'rds-instance': {
      const { DescribeDBInstancesCommand, ListTagsForResourceCommand: RdsListTags } = await sdk.rds();
      const db = (await c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: t.id }))).DBInstances?.[0];
      if (!db?.DBInstanceArn) throw new Missing(`DB instance ${t.id}`);
      return fromList((await c.rds.send(new RdsListTags({ ResourceName: db.DBInstanceArn }))).TagList);
    }
    case 'ecs-service': {
      const { ListTagsForResourceCommand: EcsListTags } = await sdk.ecs();
      const tags = (await c.ecs.send(new EcsListTags({ resourceArn: t.arn }))).tags;
      return Object.fromEntries((tags ?? []).filter((x) => x.key).map((x) => [x.key!, x.value ?? '']));
    }
    case 'iam-user': {
      const { ListUserTagsCommand } = await sdk.iam();
      return fromList((await c.iam.send(new ListUserTagsCommand({ UserName: t.userName }))).Tags);
    }
    case 'lambda-function': {
      const { GetFunctionCommand } = await sdk.lambda();
      return (await c.lambda.send(new GetFunctionCommand({ FunctionName: t.name }))).Tags ?? {};
    }
    case 's3-bucket': {
      const { GetBucketTaggingCommand } = await sdk.s3();
      try {
        return fromList((await c.s3.send(new GetBucketTaggingCommand({ Bucket: t.name }))).TagSet);
      } catch (err) {
        // A bucket without tags answers NoSuchTagSet: it exists, and it is not managed.
        if ((err as Error).name === 'NoSuchTagSet' || /NoSuchTagSet|tag set does not exist/i.test((err as Error).message)) return {};
        throw err;
      }
    }
    // EKS describes its resources with their tags (a map), so no second call is needed.
    case 'eks-cluster': {
      const { DescribeClusterCommand } = await sdk.eks();
      return (await c.eks.send(new DescribeClusterCommand({ name: t.name }))).cluster?.tags ?? {};
    }
    case 'eks-nodegroup': {
      const { DescribeNodegroupCommand } = await sdk.eks();
      return (await c.eks.send(new DescribeNodegroupCommand({ clusterName: t.cluster, nodegroupName: t.nodegroup }))).nodegroup?.tags ?? {};
    }
  }
}

/**
 * Reads each target's tags through the API. A resource the API says does not exist is `missing`; any other
 * error propagates (a transient failure must not be mistaken for "unmanaged" or "missing").
 */
export async function readManagedState(c: TagReaderClients, targets: ManagedTarget[], tag: { key: string; value: string }): Promise<TargetTagState[]> {
  return Promise.all(
    targets.map(async (target): Promise<TargetTagState> => {
      try {
        const tags = await readTags(c, target);
        return { target, state: tags[tag.key] === tag.value ? 'managed' : 'unmanaged', tags };
      } catch (err) {
        const e = err as Error & { Code?: string };
        if (err instanceof Missing || NOT_FOUND.test(`${e.name} ${e.Code ?? ''} ${e.message}`)) return { target, state: 'missing', tags: {}, detail: e.message };
        throw err;
      }
    }),
  );
}

/** Human-readable name of a target, for audit records and messages. */
export function describeTarget(t: ManagedTarget): string {
  switch (t.type) {
    case 'wafv2-ipset':
    case 'ecs-service':
      return `${t.type} ${t.arn}`;
    case 'rds-parameter-group':
    case 'lambda-function':
    case 's3-bucket':
    case 'eks-cluster':
      return `${t.type} ${t.name}`;
    case 'eks-nodegroup':
      return `${t.type} ${t.cluster}/${t.nodegroup}`;
    case 'iam-user':
      return `${t.type} ${t.userName}`;
    default:
      return `${t.type} ${t.id}`;
  }
}
