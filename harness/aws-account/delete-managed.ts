import { DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteInternetGatewayCommand,
  DeleteNetworkAclCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand,
  ReplaceNetworkAclAssociationCommand,
  DetachInternetGatewayCommand,
  TerminateInstancesCommand,
  waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2';
import { DeleteClusterCommand, DeleteServiceCommand, DeregisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DeleteDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import {
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  paginateListAccessKeys,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  paginateListUserPolicies,
} from '@aws-sdk/client-iam';
import { DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import { DeleteDBInstanceCommand, DeleteDBParameterGroupCommand, waitUntilDBInstanceDeleted } from '@aws-sdk/client-rds';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { DeleteStateMachineCommand } from '@aws-sdk/client-sfn';
import { DeleteTopicCommand } from '@aws-sdk/client-sns';
import { DeleteQueueCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { DeleteIPSetCommand, DeleteLoggingConfigurationCommand, DeleteWebACLCommand, GetIPSetCommand, GetWebACLCommand } from '@aws-sdk/client-wafv2';
import { errorMessage } from '../../core/index.ts';
import type { AwsClients } from '../../core/aws/index.ts';
import { MANAGED_TYPES, type ManagedResource, type ManagedType } from './find-managed.ts';

export interface DeleteOutcome {
  resource: ManagedResource;
  deleted: boolean;
  error?: string;
}

/** `arn:aws:wafv2:<region>:<account>:regional/ipset/<name>/<id>` → name and id. */
const wafNameId = (arn: string) => {
  const parts = arn.split('/');
  return { Name: parts[parts.length - 2]!, Id: parts[parts.length - 1]!, Scope: 'REGIONAL' as const };
};

/** Empties a bucket, versions and delete markers included (a remediated bucket has versioning on), then deletes it. */
async function deleteBucket(c: AwsClients, bucket: string): Promise<void> {
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  // ListObjectVersions has no paginator in the SDK: its two markers are followed here.
  for (;;) {
    const page = await c.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    if (objects.length) await c.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  await c.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

async function deleteRole(c: AwsClients, name: string): Promise<void> {
  for await (const p of paginateListRolePolicies({ client: c.iam }, { RoleName: name })) for (const policy of p.PolicyNames ?? []) await c.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policy }));
  for await (const p of paginateListAttachedRolePolicies({ client: c.iam }, { RoleName: name })) for (const a of p.AttachedPolicies ?? []) await c.iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: a.PolicyArn! }));
  for await (const p of paginateListInstanceProfilesForRole({ client: c.iam }, { RoleName: name })) for (const ip of p.InstanceProfiles ?? []) await c.iam.send(new RemoveRoleFromInstanceProfileCommand({ RoleName: name, InstanceProfileName: ip.InstanceProfileName! }));
  await c.iam.send(new DeleteRoleCommand({ RoleName: name }));
}

async function deleteUser(c: AwsClients, name: string): Promise<void> {
  for await (const p of paginateListAccessKeys({ client: c.iam }, { UserName: name })) for (const k of p.AccessKeyMetadata ?? []) await c.iam.send(new DeleteAccessKeyCommand({ UserName: name, AccessKeyId: k.AccessKeyId! }));
  for await (const p of paginateListUserPolicies({ client: c.iam }, { UserName: name })) for (const policy of p.PolicyNames ?? []) await c.iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: policy }));
  for await (const p of paginateListAttachedUserPolicies({ client: c.iam }, { UserName: name })) for (const a of p.AttachedPolicies ?? []) await c.iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn: a.PolicyArn! }));
  await c.iam.send(new DeleteUserCommand({ UserName: name }));
}

/** One delete per type; a type's deletes run after those of every type it depends on (MANAGED_TYPES' order). */
function deleter(c: AwsClients, waitSeconds: number): Record<Exclude<ManagedType, 'unknown'>, (r: ManagedResource) => Promise<unknown>> {
  return {
    'state-machine': (r) => c.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: r.arn })),
    'ecs-service': async (r) => {
      const [, cluster, service] = r.arn.split('/');
      await c.ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
      await c.ecs.send(new DeleteServiceCommand({ cluster, service, force: true }));
    },
    'ecs-task-definition': (r) => c.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: r.arn })),
    'ecs-cluster': (r) => c.ecs.send(new DeleteClusterCommand({ cluster: r.arn })),
    'lambda-function': (r) => c.lambda.send(new DeleteFunctionCommand({ FunctionName: r.id })),
    'wafv2-web-acl': async (r) => {
      await c.wafv2.send(new DeleteLoggingConfigurationCommand({ ResourceArn: r.arn })).catch(() => undefined);
      const lock = (await c.wafv2.send(new GetWebACLCommand(wafNameId(r.arn)))).LockToken;
      await c.wafv2.send(new DeleteWebACLCommand({ ...wafNameId(r.arn), LockToken: lock }));
    },
    'wafv2-ip-set': async (r) => {
      const lock = (await c.wafv2.send(new GetIPSetCommand(wafNameId(r.arn)))).LockToken;
      await c.wafv2.send(new DeleteIPSetCommand({ ...wafNameId(r.arn), LockToken: lock }));
    },
    'firehose-stream': (r) => c.firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: r.id })),
    'log-group': (r) => c.logs.send(new DeleteLogGroupCommand({ logGroupName: r.id })),
    'rds-instance': async (r) => {
      await c.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: r.id, SkipFinalSnapshot: true, DeleteAutomatedBackups: true }));
      // Its parameter group cannot go while the instance exists (minutes on AWS).
      await waitUntilDBInstanceDeleted({ client: c.rds, maxWaitTime: waitSeconds, minDelay: 1, maxDelay: 30 }, { DBInstanceIdentifier: r.id });
    },
    'rds-parameter-group': (r) => c.rds.send(new DeleteDBParameterGroupCommand({ DBParameterGroupName: r.id })),
    'ec2-instance': async (r) => {
      await c.ec2.send(new TerminateInstancesCommand({ InstanceIds: [r.id] }));
      await waitUntilInstanceTerminated({ client: c.ec2, maxWaitTime: waitSeconds, minDelay: 1, maxDelay: 15 }, { InstanceIds: [r.id] });
    },
    'security-group': (r) => c.ec2.send(new DeleteSecurityGroupCommand({ GroupId: r.id })),
    subnet: (r) => c.ec2.send(new DeleteSubnetCommand({ SubnetId: r.id })),
    'network-acl': async (r) => {
      // Its subnets go back to the VPC's default ACL first: an associated ACL cannot be deleted.
      const acl = (await c.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [r.id] }))).NetworkAcls?.[0];
      if (acl?.Associations?.length) {
        const fallback = (await c.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [acl.VpcId!] }, { Name: 'default', Values: ['true'] }] }))).NetworkAcls?.[0]?.NetworkAclId;
        for (const a of acl.Associations) if (fallback && a.NetworkAclAssociationId) await c.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: a.NetworkAclAssociationId, NetworkAclId: fallback }));
      }
      await c.ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: r.id }));
    },
    'route-table': (r) => c.ec2.send(new DeleteRouteTableCommand({ RouteTableId: r.id })),
    'internet-gateway': async (r) => {
      const igw = (await c.ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [r.id] }))).InternetGateways?.[0];
      for (const a of igw?.Attachments ?? []) await c.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: r.id, VpcId: a.VpcId! }));
      await c.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: r.id }));
    },
    vpc: (r) => c.ec2.send(new DeleteVpcCommand({ VpcId: r.id })),
    'sns-topic': (r) => c.sns.send(new DeleteTopicCommand({ TopicArn: r.arn })),
    'sqs-queue': async (r) => c.sqs.send(new DeleteQueueCommand({ QueueUrl: (await c.sqs.send(new GetQueueUrlCommand({ QueueName: r.id, QueueOwnerAWSAccountId: r.arn.split(':')[4] }))).QueueUrl! })),
    'dynamodb-table': (r) => c.dynamodb.send(new DeleteTableCommand({ TableName: r.id })),
    's3-bucket': (r) => deleteBucket(c, r.id),
    'iam-user': (r) => deleteUser(c, r.id),
    'iam-role': (r) => deleteRole(c, r.id),
  };
}

/**
 * Deletes what findManaged found, type by type in dependency order (executions' state machines and services first,
 * the VPC after what lives in it, buckets emptied first, IAM last), the resources of one type in parallel. A failure
 * is recorded and the rest goes on; `unknown` types are never touched.
 */
export async function deleteManaged(clients: AwsClients, resources: readonly ManagedResource[], opts: { waitSeconds?: number; onDeleted?: (o: DeleteOutcome) => void } = {}): Promise<DeleteOutcome[]> {
  const del = deleter(clients, opts.waitSeconds ?? 1800);
  const outcomes: DeleteOutcome[] = [];
  for (const type of MANAGED_TYPES) {
    if (type === 'unknown') continue;
    const batch = resources.filter((r) => r.type === type);
    const done = await Promise.all(
      batch.map(async (resource): Promise<DeleteOutcome> => {
        try {
          await del[type](resource);
          return { resource, deleted: true };
        } catch (err) {
          return { resource, deleted: false, error: `${(err as Error)?.name ?? 'Error'}: ${errorMessage(err).split('\n')[0]}` };
        }
      }),
    );
    for (const o of done) opts.onDeleted?.(o);
    outcomes.push(...done);
  }
  return outcomes;
}
