import { DescribeLogGroupsCommand, DescribeSubscriptionFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, DescribeNetworkAclsCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeClusterCommand as DescribeEksClusterCommand, DescribeNodegroupCommand } from '@aws-sdk/client-eks';
import { DescribeDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { GetRoleCommand, GetUserCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, DescribeDBParametersCommand } from '@aws-sdk/client-rds';
import { GetBucketNotificationConfigurationCommand, GetBucketTaggingCommand } from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { GetIPSetCommand, GetWebACLCommand } from '@aws-sdk/client-wafv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { defaultTopology, topologyInventory, type EstateIds, type InventoryItem, type ResourceKind } from '../core/topology/index.ts';
import { bootstrap, rawPrefixes, resetEmulatorAt } from '../emulator/index.ts';
import { bootstrapWithBuiltin } from '../harness/sut/index.ts';
import { createAwsClients, type AwsClients } from '../core/aws/index.ts';

const topology = defaultTopology();
let clients: AwsClients;
let ids: EstateIds;

beforeAll(async () => {
  const endpoint = emulatorEndpoint();
  await resetEmulatorAt(endpoint);
  clients = createAwsClients({ endpoint, region: topology.region });
  ids = await bootstrapWithBuiltin(clients, topology);
});
afterAll(() => clients?.destroy());

/** Reads one declared resource back through the AWS API and returns what proves it is there as declared. */
async function describeBack(item: InventoryItem): Promise<unknown> {
  const c = clients;
  const p = topology.pipeline;
  const e = topology.estate;
  const handlers: Record<ResourceKind, () => Promise<unknown>> = {
    's3-bucket': async () => {
      const tags = (await c.s3.send(new GetBucketTaggingCommand({ Bucket: item.name }))).TagSet ?? [];
      expect(tags).toContainEqual({ Key: 'firedrill:managed', Value: 'true' });
      return item.name;
    },
    'log-group': async () => {
      const g = (await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: item.name }))).logGroups?.find((x) => x.logGroupName === item.name);
      expect(g?.retentionInDays).toBe(p.logGroups.find((x) => x.name === item.name)!.retentionDays);
      return g?.arn;
    },
    'subscription-filter': async () => {
      const [group, filterName] = splitLast(item.name, ':');
      const f = (await c.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }))).subscriptionFilters?.find((x) => x.filterName === filterName);
      expect(f?.destinationArn).toMatch(new RegExp(`deliverystream/${p.cwlDeliveryStream}$`));
      return f?.destinationArn;
    },
    'firehose-stream': async () => {
      const d = (await c.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: item.name }))).DeliveryStreamDescription!;
      const s3 = d.Destinations?.[0]?.ExtendedS3DestinationDescription ?? d.Destinations?.[0]?.S3DestinationDescription;
      expect(s3?.BucketARN).toBe(`arn:aws:s3:::${p.rawBucket}`);
      expect(s3?.Prefix).toBe(item.name === p.wafDeliveryStream ? rawPrefixes(topology).waf : rawPrefixes(topology).cwl);
      return d.DeliveryStreamARN;
    },
    'sqs-queue': async () => {
      const url = Object.values(ids.queues).find((u) => u.endsWith(`/${item.name}`))!;
      const a = (await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
      if (item.name === p.rawEventsQueue || item.name === p.alertsQueue) {
        const dlq = item.name === p.rawEventsQueue ? p.rawEventsDlq : p.alertsDlq;
        expect(JSON.parse(a.RedrivePolicy!)).toMatchObject({ deadLetterTargetArn: expect.stringMatching(new RegExp(`:${dlq}$`)), maxReceiveCount: 5 });
      }
      return a.QueueArn;
    },
    's3-notification': async () => {
      const n = await c.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: p.rawBucket }));
      const q = n.QueueConfigurations?.find((x) => x.QueueArn?.endsWith(`:${p.rawEventsQueue}`));
      expect(q?.Events).toContain('s3:ObjectCreated:*');
      return q?.QueueArn;
    },
    'dynamodb-table': async () => (await c.dynamodb.send(new DescribeTableCommand({ TableName: item.name }))).Table?.TableArn,
    'sns-topic': async () => (await c.sns.send(new GetTopicAttributesCommand({ TopicArn: ids.alertsTopicArn }))).Attributes?.TopicArn,
    'sns-subscription': async () => {
      const subs = (await c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: ids.alertsTopicArn }))).Subscriptions ?? [];
      return subs.find((s) => s.Protocol === 'sqs' && s.Endpoint?.endsWith(`:${p.alertsQueue}`))?.SubscriptionArn;
    },
    'iam-role': async () => (await c.iam.send(new GetRoleCommand({ RoleName: item.name }))).Role?.Arn,
    vpc: async () => (await c.ec2.send(new DescribeVpcsCommand({ VpcIds: [ids.vpcId] }))).Vpcs?.[0]?.CidrBlock === e.vpcCidr && ids.vpcId,
    subnet: async () => {
      const decl = e.subnets.find((s) => `${topology.prefix}-${s.name}` === item.name)!;
      const s = (await c.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [ids.subnetIds[decl.name]!] }))).Subnets?.[0];
      expect(s?.CidrBlock).toBe(decl.cidr);
      expect(s?.VpcId).toBe(ids.vpcId);
      return s?.SubnetId;
    },
    'security-group': async () => {
      const g = (await c.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [ids.securityGroupId] }))).SecurityGroups?.[0];
      expect(g?.GroupName).toBe(item.name);
      expect(g?.IpPermissions?.map((x) => x.FromPort).sort()).toEqual([22, 443]);
      return g?.GroupId;
    },
    'network-acl': async () => {
      const a = (await c.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [ids.networkAclId] }))).NetworkAcls?.[0];
      expect(a?.Associations?.map((x) => x.SubnetId).sort()).toEqual(Object.values(ids.subnetIds).sort());
      return a?.NetworkAclId;
    },
    'ec2-instance': async () => {
      const known = ids.instances.find((i) => i.name === item.name)!;
      const i = (await c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [known.instanceId] }))).Reservations?.[0]?.Instances?.[0];
      expect(i?.NetworkInterfaces?.[0]?.NetworkInterfaceId).toBe(known.eniId);
      expect(i?.SubnetId).toBe(known.subnetId);
      expect(i?.Tags).toContainEqual({ Key: 'firedrill:managed', Value: 'true' });
      return i?.State?.Name === 'running' && i.InstanceId;
    },
    'ecs-cluster': async () => (await c.ecs.send(new DescribeClustersCommand({ clusters: [item.name] }))).clusters?.find((x) => x.status === 'ACTIVE')?.clusterArn,
    'ecs-task-definition': async () => (await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: item.name }))).taskDefinition?.taskDefinitionArn,
    'ecs-service': async () => {
      const s = (await c.ecs.send(new DescribeServicesCommand({ cluster: e.ecs.cluster, services: [item.name] }))).services?.[0];
      expect(s?.desiredCount).toBe(e.ecs.desiredCount);
      return s?.status === 'ACTIVE' && s.serviceArn;
    },
    'rds-parameter-group': async () => {
      const params = (await c.rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: item.name, Source: 'user' }))).Parameters ?? [];
      expect(params.find((x) => x.ParameterName === 'max_connections')?.ParameterValue).toBe(String(e.rds.maxConnections));
      return item.name;
    },
    'rds-instance': async () => {
      const d = (await c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: item.name }))).DBInstances?.[0];
      expect(d?.Engine).toBe('postgres');
      expect(d?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe(e.rds.parameterGroup);
      return d?.DBInstanceArn;
    },
    'wafv2-ip-set': async () => (await c.wafv2.send(new GetIPSetCommand({ Name: ids.waf.ipSetName, Id: ids.waf.ipSetId, Scope: 'REGIONAL' }))).IPSet?.ARN,
    'wafv2-web-acl': async () => {
      const acl = (await c.wafv2.send(new GetWebACLCommand({ Name: ids.waf.webAclName, Id: ids.waf.webAclId, Scope: 'REGIONAL' }))).WebACL;
      expect(acl?.Rules?.[0]?.Statement?.IPSetReferenceStatement?.ARN).toBe(ids.waf.ipSetArn);
      return acl?.ARN;
    },
    'lambda-function': async () => {
      const f = await c.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: item.name }));
      const decl = e.lambdas.find((l) => l.name === item.name)!;
      expect([f.Timeout, f.MemorySize]).toEqual([decl.timeoutSeconds, decl.memoryMb]);
      return f.FunctionArn;
    },
    'iam-user': async () => (await c.iam.send(new GetUserCommand({ UserName: item.name }))).User?.Arn,
    'iam-access-key': async () => {
      const keys = (await c.iam.send(new ListAccessKeysCommand({ UserName: item.name }))).AccessKeyMetadata ?? [];
      expect(keys[0]?.AccessKeyId).toBe(ids.iamUsers.find((u) => u.userName === item.name)?.accessKeyId);
      return keys[0]?.Status === 'Active' && keys[0].AccessKeyId;
    },
    'eks-cluster': async () => {
      const k = (await c.eks.send(new DescribeEksClusterCommand({ name: item.name }))).cluster;
      expect(k?.resourcesVpcConfig?.subnetIds?.sort()).toEqual(e.eks.subnets.map((s) => ids.subnetIds[s]!).sort());
      expect(k?.resourcesVpcConfig?.endpointPublicAccess).toBe(true);
      expect(k?.logging?.clusterLogging?.find((l) => l.enabled)?.types?.sort()).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
      expect(k?.tags).toMatchObject({ 'firedrill:managed': 'true' });
      expect(k?.arn).toBe(ids.eks.clusterArn);
      return k?.status === 'ACTIVE' && k.arn;
    },
    'eks-nodegroup': async () => {
      const [cluster, name] = item.name.split('/') as [string, string];
      const ng = (await c.eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name }))).nodegroup;
      expect(ng?.scalingConfig).toEqual(e.eks.scaling);
      expect(ng?.subnets).toEqual([ids.subnetIds[e.eks.nodeSubnet]]);
      expect(ng?.tags).toMatchObject({ 'firedrill:managed': 'true' });
      return ng?.status === 'ACTIVE' && ng.nodegroupArn;
    },
  };
  return handlers[item.kind]();
}

function splitLast(s: string, sep: string): [string, string] {
  const i = s.lastIndexOf(sep);
  return [s.slice(0, i), s.slice(i + 1)];
}

describe('bootstrap on a fresh emulator', () => {
  it.each(topologyInventory(topology).map((item) => [`${item.kind} ${item.name}`, item] as const))('creates %s', async (_label, item) => {
    expect(await describeBack(item)).toBeTruthy();
  });

  it('returns the real identifiers in the EstateIds shape', () => {
    expect(ids.accountId).toMatch(/^\d{12}$/);
    expect(ids.instances).toHaveLength(topology.estate.webInstances.length);
    for (const i of ids.instances) {
      expect(i.instanceId).toMatch(/^i-[0-9a-f]+$/);
      expect(i.eniId).toMatch(/^eni-[0-9a-f]+$/);
      expect(i.privateIp).toMatch(/^10\.0\.\d+\.\d+$/);
    }
    expect(ids.queues.rawEvents).toContain(topology.pipeline.rawEventsQueue);
    expect(Object.keys(ids.roles).sort()).toEqual(Object.keys(topology.pipeline.roles).sort());
    // Node names as EKS gives them, from addresses of the node subnet.
    expect(ids.eks.nodes).toHaveLength(topology.estate.eks.scaling.desiredSize);
    for (const n of ids.eks.nodes) expect(n.name).toBe(`ip-${n.privateIp.replaceAll('.', '-')}.ec2.internal`);
  });

  it('changes nothing when run a second time: same ids, and only read calls sent', async () => {
    const mark = clients.ledger.mark();
    const again = await bootstrapWithBuiltin(clients, topology);
    expect(again).toEqual(ids);
    const calls = clients.ledger.since(mark);
    expect(calls.length).toBeGreaterThan(0);
    const writes = calls.filter((c) => !/^(Get|Describe|List|Head)/.test(c.command));
    expect(writes.map((c) => `${c.service}:${c.command}`)).toEqual([]);
  });
});

describe('bootstrap on a target that lacks estate services (as the free LocalStack lacks ECS, RDS, WAFv2 and EKS)', () => {
  it('sends them no call, says so, and returns declared AWS-shaped identifiers for what it left out', async () => {
    const lacking = defaultTopology({ prefix: 'fd-lacking' });
    const missing = (['ecs', 'rds', 'wafv2', 'lambda', 'eks'] as const).map((service) => ({ service, reason: 'not on this target' }));
    const notes: string[] = [];
    const mark = clients.ledger.mark();
    const declared = await bootstrap(clients, lacking, { capabilities: { target: 'test', missing }, log: (l) => notes.push(l) });
    const services = new Set(clients.ledger.since(mark).map((c) => c.service));
    expect([...services].filter((s) => ['ecs', 'rds', 'wafv2', 'lambda', 'eks'].includes(s))).toEqual([]);
    expect(services).toContain('ec2');
    expect(notes.filter((n) => n.startsWith('skipped '))).toEqual([
      `skipped ECS cluster ${lacking.estate.ecs.cluster} and service ${lacking.estate.ecs.service}: ecs not on this target`,
      `skipped RDS instance ${lacking.estate.rds.dbInstanceId} and parameter group ${lacking.estate.rds.parameterGroup}: rds not on this target`,
      `skipped WAFv2 web ACL ${lacking.estate.waf.webAcl} and IP set ${lacking.estate.waf.ipSet}: wafv2 not on this target`,
      `skipped Lambda functions ${lacking.estate.lambdas.map((l) => l.name).join(', ')}: lambda not on this target`,
      `skipped EKS cluster ${lacking.estate.eks.cluster} and node group ${lacking.estate.eks.nodegroup}: eks not on this target`,
    ]);
    // The identifiers the logs name keep AWS's shape and this account's number.
    expect(declared.ecs.clusterArn).toBe(`arn:aws:ecs:${lacking.region}:${declared.accountId}:cluster/${lacking.estate.ecs.cluster}`);
    expect(declared.waf.webAclArn).toMatch(new RegExp(`^arn:aws:wafv2:${lacking.region}:${declared.accountId}:regional/webacl/${lacking.estate.waf.webAcl}/[0-9a-f-]{36}$`));
    expect(declared.rds.endpoint).toMatch(new RegExp(`^${lacking.estate.rds.dbInstanceId}\\.c[0-9a-f]+\\.${lacking.region}\\.rds\\.amazonaws\\.com$`));
    expect(declared.instances.every((i) => /^i-[0-9a-f]+$/.test(i.instanceId))).toBe(true);
    expect(declared.eks.clusterArn).toBe(`arn:aws:eks:${lacking.region}:${declared.accountId}:cluster/${lacking.estate.eks.cluster}`);
    expect(declared.eks.nodes).toHaveLength(lacking.estate.eks.scaling.desiredSize);
  });
});
