import { CreateLogGroupCommand, DescribeLogGroupsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  ReplaceNetworkAclAssociationCommand,
  RunInstancesCommand,
  type Filter,
  type Instance,
} from '@aws-sdk/client-ec2';
import { CreateClusterCommand, CreateServiceCommand, DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateClusterCommand as CreateEksClusterCommand, CreateNodegroupCommand, DescribeClusterCommand as DescribeEksClusterCommand, DescribeNodegroupCommand, waitUntilClusterActive, waitUntilNodegroupActive } from '@aws-sdk/client-eks';
import { AttachRolePolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand, GetRolePolicyCommand, GetUserCommand, ListAccessKeysCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateDBInstanceCommand, CreateDBParameterGroupCommand, DescribeDBInstancesCommand, DescribeDBParameterGroupsCommand, ModifyDBParameterGroupCommand } from '@aws-sdk/client-rds';
import { CreateBucketCommand, HeadBucketCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateIPSetCommand, CreateWebACLCommand, ListIPSetsCommand, ListWebACLsCommand } from '@aws-sdk/client-wafv2';
import { errorMessage, lacks, type AwsService, type TargetCapabilities } from '../core/index.ts';
import { eksNodes, syntheticEstate, type EstateIds, type Topology } from '../core/topology/index.ts';
import { explainAwsError, type AwsClients } from '../core/aws/index.ts';
import { BootstrapError } from './errors.ts';
import { tinyZip } from './tiny-zip.ts';

export { rawPrefixes, OPTIONAL_ESTATE_SERVICES } from './estate-names.ts';

/** The estate's functions are configuration only; this is the code they carry. */
const ESTATE_LAMBDA_CODE = "exports.handler = async (event) => ({ ok: true, records: (event && event.Records || []).length });\n";

export interface BootstrapOptions {
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /**
   * What the target has (default: everything). Estate resources of a service it lacks (ECS, RDS, WAFv2, EKS on the free
   * LocalStack; Lambda) are not created: their identifiers are declared ones, shaped as AWS's, so the logs that
   * name them are the same, and what would need the resources is reported as unsupported, never run.
   */
  capabilities?: TargetCapabilities;
}


/**
 * Creates the topology's estate (its network, instances, services, users, roles, log groups and the access-log and
 * data buckets) and returns the identifiers the emulator (or AWS) assigned. The pipeline's plumbing (queues, topic,
 * tables, Firehose streams, notifications, subscription filters) is not here: it belongs to the system under test
 * and comes from its SUT file (pipeline/firedrill.sut.yaml for the builtin), so a SUT gets only what it declares.
 * The plumbing's identifiers in EstateIds are its names (buckets, tables, streams) and empty strings (queue URLs,
 * topic ARN) until the SUT's preparation fills them in. Idempotent: every resource is looked up first and created only when missing,
 * so a second run sends no create/put call at all. Sub-resources a remediation changes on purpose (security
 * group rules, NACL entries, IP set addresses, parameter values, access key status) are set only when their
 * parent is created: bootstrap never undoes a drill's remediation; reset the emulator for a clean estate.
 */
export async function bootstrap(clients: AwsClients, topology: Topology, opts: BootstrapOptions = {}): Promise<EstateIds> {
  const b = new Bootstrapper(clients, topology, opts.log ?? (() => {}), opts.capabilities);
  return b.run();
}

type Step<T> = () => Promise<T>;

class Bootstrapper {
  accountId = '';
  private readonly tags: { Key: string; Value: string }[];

  constructor(
    private readonly c: AwsClients,
    private readonly t: Topology,
    private readonly log: (line: string) => void,
    private readonly capabilities: TargetCapabilities | undefined,
  ) {
    this.tags = Object.entries(t.tags).map(([Key, Value]) => ({ Key, Value }));
  }

  /** Wraps a step so a failure says which resource it was about. */
  private async step<T>(what: string, fn: Step<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof BootstrapError) throw err;
      const seen = `${(err as Error)?.name ?? 'Error'}: ${errorMessage(err)}`;
      // On real AWS the likely causes are the account's, and so are the fixes: credentials, region, permissions.
      const onAws = !this.c.target.endpoint;
      const aws = onAws ? explainAwsError(err, what) : undefined;
      if (aws) throw new BootstrapError(`bootstrap could not create or read ${what}: ${aws.summary}`, { expected: aws.expected, seen, fix: aws.fix, cause: err });
      throw new BootstrapError(`bootstrap could not create or read ${what}`, {
        expected: `${what} to exist or be created`,
        seen,
        fix: onAws
          ? `check the account and region (${this.t.region}) of your credentials; \`firedrill plan --target aws\` lists what firedrill creates, \`firedrill down\` removes what an earlier run left`
          : 'check the endpoint (`npx firedrill doctor`); on an emulator, reset it and run again',
        cause: err,
      });
    }
  }

  /** Creates with `create`, or, on a target without `service`, says so and returns declared identifiers. */
  private async unlessLacking<T>(service: AwsService, what: string, create: () => Promise<T>, declared: () => T): Promise<T> {
    const reason = lacks(this.capabilities, service);
    if (!reason) return create();
    this.log(`skipped ${what}: ${service} ${reason}`);
    return declared();
  }

  private declaredIds: EstateIds | undefined;
  /** AWS-shaped identifiers for resources not created (synthetic ids, this account's number). */
  private declared(): EstateIds {
    this.declaredIds ??= JSON.parse(JSON.stringify(syntheticEstate(this.t)).replaceAll(':123456789012:', `:${this.accountId}:`)) as EstateIds;
    return this.declaredIds;
  }

  private arn(service: string, resource: string, region: string = this.t.region): string {
    return `arn:aws:${service}:${region}:${this.accountId}:${resource}`;
  }

  async run(): Promise<EstateIds> {
    const t = this.t;
    const p = t.pipeline;
    this.accountId = await this.step('the account id (sts:GetCallerIdentity)', async () => (await this.c.sts.send(new GetCallerIdentityCommand({}))).Account!);

    // The pipeline and the estate are independent until the Lambda functions need their role: build both at
    // once (moto loads its EC2 image catalogue lazily, seconds on first use, which then overlaps the rest).
    const rolesP = this.roles();
    const bucketNames = { raw: p.rawBucket, curated: p.curatedBucket, accessLogs: p.accessLogBucket, state: p.stateBucket, data: t.estate.dataBucket };
    const pipeline = async () => {
      const roles = await rolesP;
      // The estate's own: the data bucket, the bucket S3 server access logging writes to, and the log groups AWS
      // services write to (no subscription: what reads them is the system under test's business).
      await Promise.all([this.bucket(bucketNames.accessLogs), this.bucket(bucketNames.data)]);
      await this.logGroups();
      const none = { rawEvents: '', rawEventsDlq: '', alerts: '', alertsDlq: '' };
      return { roles, queues: none, alertsTopicArn: '' };
    };
    const estate = async () => {
      const network = await this.network();
      const [instances, ecs, rds, waf] = await Promise.all([
        this.instances(network),
        this.unlessLacking('ecs', `ECS cluster ${t.estate.ecs.cluster} and service ${t.estate.ecs.service}`, () => this.ecs(network), () => this.declared().ecs),
        this.unlessLacking('rds', `RDS instance ${t.estate.rds.dbInstanceId} and parameter group ${t.estate.rds.parameterGroup}`, () => this.rds(), () => this.declared().rds),
        this.unlessLacking('wafv2', `WAFv2 web ACL ${t.estate.waf.webAcl} and IP set ${t.estate.waf.ipSet}`, () => this.waf(), () => this.declared().waf),
      ]);
      const roles = await rolesP;
      const lambdas = await this.unlessLacking(
        'lambda',
        `Lambda functions ${t.estate.lambdas.map((l) => l.name).join(', ')}`,
        () => Promise.all(t.estate.lambdas.map((l) => this.lambda(l, roles.lambda!))),
        () => this.declared().lambdas,
      );
      const [iamUsers, eks] = await Promise.all([
        Promise.all(t.estate.iamUsers.map((u) => this.user(u))),
        this.unlessLacking('eks', `EKS cluster ${t.estate.eks.cluster} and node group ${t.estate.eks.nodegroup}`, () => this.eks(network), () => this.declared().eks),
      ]);
      return { network, instances, ecs, rds, waf, lambdas, iamUsers, eks };
    };
    const [{ roles, queues, alertsTopicArn }, { network, instances, ecs, rds, waf, lambdas, iamUsers, eks }] = await Promise.all([pipeline(), estate()]);

    return {
      accountId: this.accountId,
      region: t.region,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds,
      securityGroupId: network.securityGroupId,
      networkAclId: network.networkAclId,
      instances,
      ecs,
      rds,
      waf,
      lambdas,
      iamUsers,
      eks,
      buckets: bucketNames,
      queues: { rawEvents: queues.rawEvents, rawEventsDlq: queues.rawEventsDlq, alerts: queues.alerts, alertsDlq: queues.alertsDlq },
      alertsTopicArn,
      findingsTable: p.findingsTable,
      auditTable: p.auditTable,
      deliveryStreams: { cwl: p.cwlDeliveryStream, waf: p.wafDeliveryStream },
      roles,
    };
  }

  // ── IAM roles ────────────────────────────────────────────────────────────────────────────────────
  private async roles(): Promise<Record<string, string>> {
    const p = this.t.pipeline;
    const raw = `arn:aws:s3:::${p.rawBucket}`;
    const specs: Record<keyof typeof p.roles, { service: string; policy: object }> = {
      firehose: {
        service: 'firehose.amazonaws.com',
        policy: { Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:ListBucket'], Resource: [raw, `${raw}/*`] },
      },
      cwlToFirehose: {
        service: 'logs.amazonaws.com',
        policy: { Effect: 'Allow', Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'], Resource: this.arn('firehose', `deliverystream/${p.cwlDeliveryStream}`) },
      },
      stepFunctions: {
        service: 'states.amazonaws.com',
        policy: {
          Effect: 'Allow',
          Action: [
            'ecs:UpdateService', 'ecs:DescribeServices', 'ec2:StopInstances', 'ec2:ModifyInstanceAttribute', 'ec2:CreateNetworkAclEntry', 'ec2:RevokeSecurityGroupIngress',
            'ec2:Describe*', 'wafv2:GetIPSet', 'wafv2:UpdateIPSet', 'rds:ModifyDBParameterGroup', 'rds:RebootDBInstance', 'iam:UpdateAccessKey',
            'lambda:PutFunctionConcurrency', 's3:PutBucketVersioning', 's3:PutBucketPolicy', 'dynamodb:PutItem',
            'eks:DescribeCluster', 'eks:UpdateClusterConfig', 'eks:DescribeNodegroup', 'eks:UpdateNodegroupConfig',
          ],
          Resource: '*',
        },
      },
      lambda: {
        service: 'lambda.amazonaws.com',
        policy: {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 's3:GetObject', 's3:PutObject', 's3:ListBucket', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'dynamodb:*', 'sns:Publish', 'states:StartExecution'],
          Resource: '*',
        },
      },
    };
    const out: Record<string, string> = {};
    await Promise.all(
      (Object.keys(specs) as (keyof typeof specs)[]).map(async (key) => {
        const name = p.roles[key];
        const spec = specs[key];
        out[key] = await this.step(`IAM role ${name}`, async () => {
          let arn = await this.c.iam.send(new GetRoleCommand({ RoleName: name })).then((r) => r.Role!.Arn!, ifMissing(['NoSuchEntity', 'NoSuchEntityException']));
          if (!arn) {
            const assume = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: spec.service }, Action: 'sts:AssumeRole' }] };
            arn = (await this.c.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(assume), Tags: this.tags }))).Role!.Arn!;
          }
          const policyName = `${name}-policy`;
          const has = await this.c.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })).then(() => true, ifMissing(['NoSuchEntity', 'NoSuchEntityException']));
          if (!has) {
            await this.c.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [spec.policy] }) }));
          }
          return arn;
        });
      }),
    );
    // Stable key order whatever order the calls finished in.
    return Object.fromEntries(Object.keys(specs).map((k) => [k, out[k]!]));
  }

  // ── S3 ─────────────────────────────────────────────────────────────────────────────────────────────
  private async bucket(name: string): Promise<void> {
    await this.step(`S3 bucket ${name}`, async () => {
      const exists = await this.c.s3.send(new HeadBucketCommand({ Bucket: name })).then(() => true, ifMissing(['NotFound', 'NoSuchBucket']));
      if (exists) return;
      // us-east-1 is the one region that rejects an explicit LocationConstraint.
      const config = this.t.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: this.t.region as never } };
      await this.c.s3.send(new CreateBucketCommand({ Bucket: name, ...config }));
      await this.c.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: this.tags } }));
      this.log(`created bucket ${name}`);
    });
  }

  /** The topology's log groups (their subscriptions are the system under test's). */
  private async logGroups(): Promise<void> {
    const p = this.t.pipeline;
    await Promise.all(
      p.logGroups.map((g) =>
        this.step(`log group ${g.name}`, async () => {
          const found = (await this.c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: g.name }))).logGroups?.find((x) => x.logGroupName === g.name);
          if (!found) {
            await this.c.logs.send(new CreateLogGroupCommand({ logGroupName: g.name, tags: this.t.tags }));
            this.log(`created log group ${g.name}`);
          }
          if (found?.retentionInDays !== g.retentionDays) {
            await this.c.logs.send(new PutRetentionPolicyCommand({ logGroupName: g.name, retentionInDays: g.retentionDays }));
          }
        }),
      ),
    );
  }

  // ── EC2 network ─────────────────────────────────────────────────────────────────────────────────────
  private tagSpec(resourceType: string, name: string) {
    return [{ ResourceType: resourceType as never, Tags: [...this.tags, { Key: 'Name', Value: name }] }];
  }

  private async network() {
    const t = this.t;
    const e = t.estate;
    const byName = (name: string): Filter[] => [
      { Name: 'tag:Name', Values: [name] },
      { Name: 'tag:firedrill:prefix', Values: [t.prefix] },
    ];
    const vpcName = `${t.prefix}-vpc`;
    const vpcId = await this.step(`VPC ${vpcName}`, async () => {
      const found = (await this.c.ec2.send(new DescribeVpcsCommand({ Filters: byName(vpcName) }))).Vpcs?.[0]?.VpcId;
      if (found) return found;
      return (await this.c.ec2.send(new CreateVpcCommand({ CidrBlock: e.vpcCidr, TagSpecifications: this.tagSpec('vpc', vpcName) }))).Vpc!.VpcId!;
    });
    const inVpc: Filter = { Name: 'vpc-id', Values: [vpcId] };
    const subnetIds: Record<string, string> = {};
    for (const s of e.subnets) {
      const name = `${t.prefix}-${s.name}`;
      subnetIds[s.name] = await this.step(`subnet ${name}`, async () => {
        const found = (await this.c.ec2.send(new DescribeSubnetsCommand({ Filters: [inVpc, ...byName(name)] }))).Subnets?.[0]?.SubnetId;
        if (found) return found;
        return (await this.c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: s.cidr, AvailabilityZone: s.az, TagSpecifications: this.tagSpec('subnet', name) }))).Subnet!.SubnetId!;
      });
    }
    const securityGroupId = await this.step(`security group ${e.securityGroup}`, async () => {
      const found = (await this.c.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [inVpc, { Name: 'group-name', Values: [e.securityGroup] }] }))).SecurityGroups?.[0]?.GroupId;
      if (found) return found;
      const id = (await this.c.ec2.send(new CreateSecurityGroupCommand({ GroupName: e.securityGroup, Description: `${t.prefix} web tier`, VpcId: vpcId, TagSpecifications: this.tagSpec('security-group', e.securityGroup) }))).GroupId!;
      // HTTPS from anywhere, and SSH from anywhere: the exposure a drill's remediation revokes.
      await this.c.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: id,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }] },
            { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }] },
          ],
        }),
      );
      return id;
    });
    const naclName = `${t.prefix}-nacl`;
    const networkAclId = await this.step(`network ACL ${naclName}`, async () => {
      let id = (await this.c.ec2.send(new DescribeNetworkAclsCommand({ Filters: [inVpc, ...byName(naclName)] }))).NetworkAcls?.[0]?.NetworkAclId;
      if (!id) {
        id = (await this.c.ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId, TagSpecifications: this.tagSpec('network-acl', naclName) }))).NetworkAcl!.NetworkAclId!;
        for (const Egress of [false, true]) {
          await this.c.ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress, CidrBlock: '0.0.0.0/0' }));
        }
      }
      // Every subnet uses this ACL; a subnet still on the VPC's default ACL is moved over.
      const acls = (await this.c.ec2.send(new DescribeNetworkAclsCommand({ Filters: [inVpc] }))).NetworkAcls ?? [];
      for (const subnetId of Object.values(subnetIds)) {
        const assoc = acls.flatMap((a) => (a.Associations ?? []).map((x) => ({ ...x, acl: a.NetworkAclId }))).find((x) => x.SubnetId === subnetId);
        if (assoc && assoc.acl !== id) {
          await this.c.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc.NetworkAclAssociationId!, NetworkAclId: id }));
        }
      }
      return id;
    });
    return { vpcId, subnetIds, securityGroupId, networkAclId };
  }

  private async imageId(): Promise<string> {
    const describe = async (filters: { Name: string; Values: string[] }[]) =>
      (await this.c.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'architecture', Values: ['x86_64'] }, ...filters] }))).Images ?? [];
    // Amazon Linux first (what a web tier runs), asked for by name: the unfiltered list is thousands of images
    // (seconds of XML on moto, far more on AWS). Any x86_64 image will do when none is named so.
    let images = await describe([{ Name: 'name', Values: ['al2023-ami-*', 'amzn2-ami-*'] }]);
    if (images.length === 0) images = await describe([]);
    const pick = images.find((i) => /al2023|amzn2/i.test(i.Name ?? '')) ?? images.find((i) => (i.Platform ?? '') !== 'Windows') ?? images[0];
    if (!pick?.ImageId) throw new Error('DescribeImages(owner amazon, x86_64) returned no image');
    return pick.ImageId;
  }

  private async instances(network: { vpcId: string; subnetIds: Record<string, string>; securityGroupId: string }): Promise<EstateIds['instances']> {
    const out: EstateIds['instances'] = [];
    let image: string | undefined;
    for (const decl of this.t.estate.webInstances) {
      const subnetId = network.subnetIds[decl.subnet];
      if (!subnetId) throw new BootstrapError(`instance ${decl.name} names an unknown subnet`, { expected: Object.keys(network.subnetIds).join(', '), seen: decl.subnet, fix: 'fix the topology declaration' });
      const inst: Instance = await this.step(`EC2 instance ${decl.name}`, async () => {
        const found = (
          await this.c.ec2.send(
            new DescribeInstancesCommand({
              Filters: [
                { Name: 'vpc-id', Values: [network.vpcId] },
                { Name: 'tag:Name', Values: [decl.name] },
                { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
              ],
            }),
          )
        ).Reservations?.flatMap((r) => r.Instances ?? [])[0];
        if (found) return found;
        image ??= await this.imageId();
        const run = await this.c.ec2.send(
          new RunInstancesCommand({ ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnetId, SecurityGroupIds: [network.securityGroupId], TagSpecifications: this.tagSpec('instance', decl.name) }),
        );
        this.log(`launched instance ${decl.name}`);
        return run.Instances![0]!;
      });
      const eni = inst.NetworkInterfaces?.[0];
      out.push({ name: decl.name, instanceId: inst.InstanceId!, eniId: eni?.NetworkInterfaceId ?? '', privateIp: inst.PrivateIpAddress ?? eni?.PrivateIpAddress ?? '', subnetId });
    }
    return out;
  }

  // ── ECS ─────────────────────────────────────────────────────────────────────────────────────────────
  private async ecs(network: { subnetIds: Record<string, string>; securityGroupId: string }): Promise<EstateIds['ecs']> {
    const t = this.t;
    const d = t.estate.ecs;
    const ecsTags = Object.entries(t.tags).map(([key, value]) => ({ key, value }));
    const clusterArn = await this.step(`ECS cluster ${d.cluster}`, async () => {
      const found = (await this.c.ecs.send(new DescribeClustersCommand({ clusters: [d.cluster] }))).clusters?.find((c) => c.status === 'ACTIVE');
      if (found) return found.clusterArn!;
      return (await this.c.ecs.send(new CreateClusterCommand({ clusterName: d.cluster, settings: [{ name: 'containerInsights', value: 'enabled' }], tags: ecsTags }))).cluster!.clusterArn!;
    });
    const taskDefinitionArn = await this.step(`ECS task definition ${d.taskFamily}`, async () => {
      const found = await this.c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: d.taskFamily })).then((r) => r.taskDefinition?.taskDefinitionArn, ifMissing(['ClientException', 'ResourceNotFoundException']));
      if (found) return found;
      return (
        await this.c.ecs.send(
          new RegisterTaskDefinitionCommand({
            family: d.taskFamily,
            requiresCompatibilities: ['FARGATE'],
            networkMode: 'awsvpc',
            cpu: '256',
            memory: '512',
            containerDefinitions: [
              {
                name: d.containerName,
                image: 'public.ecr.aws/docker/library/python:3.12-slim',
                essential: true,
                portMappings: [{ containerPort: 8000 }],
                logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${t.estate.app}`, 'awslogs-region': t.region, 'awslogs-stream-prefix': 'ecs' } },
              },
            ],
            tags: ecsTags,
          }),
        )
      ).taskDefinition!.taskDefinitionArn!;
    });
    const serviceArn = await this.step(`ECS service ${d.service}`, async () => {
      const found = (await this.c.ecs.send(new DescribeServicesCommand({ cluster: d.cluster, services: [d.service] }))).services?.find((s) => s.status === 'ACTIVE');
      if (found) return found.serviceArn!;
      const firstSubnet = network.subnetIds[t.estate.subnets[0]!.name]!;
      return (
        await this.c.ecs.send(
          new CreateServiceCommand({
            cluster: d.cluster,
            serviceName: d.service,
            taskDefinition: taskDefinitionArn,
            desiredCount: d.desiredCount,
            launchType: 'FARGATE',
            networkConfiguration: { awsvpcConfiguration: { subnets: [firstSubnet], securityGroups: [network.securityGroupId] } },
            tags: ecsTags,
          }),
        )
      ).service!.serviceArn!;
    });
    return { clusterArn, serviceArn, serviceName: d.service, clusterName: d.cluster, taskDefinitionArn };
  }

  // ── RDS ─────────────────────────────────────────────────────────────────────────────────────────────
  private async rds(): Promise<EstateIds['rds']> {
    const d = this.t.estate.rds;
    await this.step(`RDS parameter group ${d.parameterGroup}`, async () => {
      // moto answers an empty list (not DBParameterGroupNotFound) for an unknown name: check the list.
      const exists = await this.c.rds
        .send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: d.parameterGroup }))
        .then((r) => (r.DBParameterGroups ?? []).some((g) => g.DBParameterGroupName === d.parameterGroup), ifMissing(['DBParameterGroupNotFound', 'DBParameterGroupNotFoundFault']));
      if (exists) return;
      await this.c.rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: d.parameterGroup, DBParameterGroupFamily: d.parameterGroupFamily, Description: `${this.t.prefix} postgres parameters`, Tags: this.tags }));
      await this.c.rds.send(
        new ModifyDBParameterGroupCommand({ DBParameterGroupName: d.parameterGroup, Parameters: [{ ParameterName: 'max_connections', ParameterValue: String(d.maxConnections), ApplyMethod: 'pending-reboot' }] }),
      );
    });
    const endpoint = await this.step(`RDS instance ${d.dbInstanceId}`, async () => {
      const found = await this.c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: d.dbInstanceId })).then((r) => r.DBInstances?.[0], ifMissing(['DBInstanceNotFound', 'DBInstanceNotFoundFault']));
      if (found) return found.Endpoint?.Address ?? '';
      const created = await this.c.rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: d.dbInstanceId,
          Engine: 'postgres',
          EngineVersion: d.engineVersion,
          DBInstanceClass: 'db.t4g.micro',
          AllocatedStorage: 20,
          DBName: d.dbName,
          MasterUsername: 'firedrill',
          // The master password lives in Secrets Manager, as on AWS; nobody connects to the emulated database.
          ManageMasterUserPassword: true,
          DBParameterGroupName: d.parameterGroup,
          EnableCloudwatchLogsExports: ['postgresql'],
          Tags: this.tags,
        }),
      );
      this.log(`created database ${d.dbInstanceId}`);
      return created.DBInstance?.Endpoint?.Address ?? '';
    });
    return { dbInstanceId: d.dbInstanceId, endpoint, parameterGroup: d.parameterGroup, dbName: d.dbName };
  }

  // ── WAFv2 ───────────────────────────────────────────────────────────────────────────────────────────
  private async waf(): Promise<EstateIds['waf']> {
    const d = this.t.estate.waf;
    const ipSet = await this.step(`WAFv2 IP set ${d.ipSet}`, async () => {
      const found = (await this.c.wafv2.send(new ListIPSetsCommand({ Scope: 'REGIONAL' }))).IPSets?.find((s) => s.Name === d.ipSet);
      if (found) return { id: found.Id!, arn: found.ARN! };
      const s = (await this.c.wafv2.send(new CreateIPSetCommand({ Name: d.ipSet, Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: [], Description: 'addresses remediation blocks', Tags: this.tags }))).Summary!;
      return { id: s.Id!, arn: s.ARN! };
    });
    const acl = await this.step(`WAFv2 web ACL ${d.webAcl}`, async () => {
      const found = (await this.c.wafv2.send(new ListWebACLsCommand({ Scope: 'REGIONAL' }))).WebACLs?.find((s) => s.Name === d.webAcl);
      if (found) return { id: found.Id!, arn: found.ARN! };
      const metric = (name: string) => ({ CloudWatchMetricsEnabled: true, MetricName: name.replace(/[^A-Za-z0-9]/g, ''), SampledRequestsEnabled: true });
      const s = (
        await this.c.wafv2.send(
          new CreateWebACLCommand({
            Name: d.webAcl,
            Scope: 'REGIONAL',
            DefaultAction: { Allow: {} },
            VisibilityConfig: metric(d.webAcl),
            Rules: [{ Name: 'block-ip-set', Priority: 0, Action: { Block: {} }, Statement: { IPSetReferenceStatement: { ARN: ipSet.arn } }, VisibilityConfig: metric('block-ip-set') }],
            Tags: this.tags,
          }),
        )
      ).Summary!;
      return { id: s.Id!, arn: s.ARN! };
    });
    return { webAclArn: acl.arn, webAclId: acl.id, webAclName: d.webAcl, ipSetArn: ipSet.arn, ipSetId: ipSet.id, ipSetName: d.ipSet };
  }

  // ── Lambda + IAM users ─────────────────────────────────────────────────────────────────────────────
  private async lambda(decl: { name: string; timeoutSeconds: number; memoryMb: number }, roleArn: string): Promise<{ name: string; arn: string }> {
    return this.step(`Lambda function ${decl.name}`, async () => {
      const found = await this.c.lambda.send(new GetFunctionCommand({ FunctionName: decl.name })).then((r) => r.Configuration!.FunctionArn!, ifMissing(['ResourceNotFoundException']));
      if (found) return { name: decl.name, arn: found };
      const created = await this.c.lambda.send(
        new CreateFunctionCommand({
          FunctionName: decl.name,
          Runtime: 'nodejs20.x',
          Role: roleArn,
          Handler: 'index.handler',
          Code: { ZipFile: tinyZip('index.js', ESTATE_LAMBDA_CODE) },
          Timeout: decl.timeoutSeconds,
          MemorySize: decl.memoryMb,
          Tags: this.t.tags,
        }),
      );
      this.log(`created function ${decl.name}`);
      return { name: decl.name, arn: created.FunctionArn! };
    });
  }

  private async user(userName: string): Promise<EstateIds['iamUsers'][number]> {
    return this.step(`IAM user ${userName}`, async () => {
      let user = await this.c.iam.send(new GetUserCommand({ UserName: userName })).then((r) => r.User, ifMissing(['NoSuchEntity', 'NoSuchEntityException']));
      if (!user) user = (await this.c.iam.send(new CreateUserCommand({ UserName: userName, Tags: this.tags }))).User!;
      const keys = (await this.c.iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? [];
      // The secret is not kept: drills only need the key id, which is what CloudTrail shows.
      const accessKeyId = keys[0]?.AccessKeyId ?? (await this.c.iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!.AccessKeyId!;
      return { userName, userId: user.UserId!, arn: user.Arn!, accessKeyId };
    });
  }

  // ── EKS ─────────────────────────────────────────────────────────────────────────────────────────────
  /** An IAM role a service assumes, with AWS managed policies attached (EKS wants its own). */
  private async serviceRole(name: string, service: string, managedPolicies: string[]): Promise<string> {
    return this.step(`IAM role ${name}`, async () => {
      const found = await this.c.iam.send(new GetRoleCommand({ RoleName: name })).then((r) => r.Role!.Arn!, ifMissing(['NoSuchEntity', 'NoSuchEntityException']));
      if (found) return found;
      const assume = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] };
      const arn = (await this.c.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(assume), Tags: this.tags }))).Role!.Arn!;
      for (const policy of managedPolicies) {
        const attached = await this.c.iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: `arn:aws:iam::aws:policy/${policy}` })).then(() => true, ifMissing(['NoSuchEntity', 'NoSuchEntityException']));
        // moto holds AWS managed policies only when configured to load them (a slow, large catalogue); its EKS
        // never checks a role's policies, so the role is enough there. On AWS a missing policy is an error.
        if (!attached && !this.c.target.endpoint) throw new Error(`AWS managed policy ${policy} is not attachable`);
        if (!attached) this.log(`  (${policy} is not available on this endpoint: role ${name} has no policy attached)`);
      }
      return arn;
    });
  }

  /**
   * The cluster (every control-plane log type on, the endpoint public as EKS creates it by default) and its
   * managed node group. On AWS both take minutes to become ACTIVE; the waiters poll DescribeCluster/DescribeNodegroup.
   */
  private async eks(network: { subnetIds: Record<string, string>; securityGroupId: string }): Promise<EstateIds['eks']> {
    const t = this.t;
    const d = t.estate.eks;
    const tags = t.tags;
    const [clusterRole, nodeRole] = await Promise.all([
      this.serviceRole(d.clusterRole, 'eks.amazonaws.com', ['AmazonEKSClusterPolicy']),
      this.serviceRole(d.nodeRole, 'ec2.amazonaws.com', ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly']),
    ]);
    const cluster = await this.step(`EKS cluster ${d.cluster}`, async () => {
      let c = await this.c.eks.send(new DescribeEksClusterCommand({ name: d.cluster })).then((r) => r.cluster, ifMissing(['ResourceNotFoundException']));
      if (!c) {
        c = (await this.c.eks.send(new CreateEksClusterCommand({
          name: d.cluster,
          version: d.version,
          roleArn: clusterRole,
          resourcesVpcConfig: {
            subnetIds: d.subnets.map((s) => network.subnetIds[s]!),
            securityGroupIds: [network.securityGroupId],
            endpointPublicAccess: true,
            endpointPrivateAccess: false,
            publicAccessCidrs: ['0.0.0.0/0'],
          },
          logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] },
          tags,
        }))).cluster!;
      }
      if (c.status !== 'ACTIVE') await waitUntilClusterActive({ client: this.c.eks, maxWaitTime: 1800, minDelay: 15 }, { name: d.cluster });
      return c;
    });
    const nodegroup = await this.step(`EKS node group ${d.nodegroup}`, async () => {
      let ng = await this.c.eks.send(new DescribeNodegroupCommand({ clusterName: d.cluster, nodegroupName: d.nodegroup })).then((r) => r.nodegroup, ifMissing(['ResourceNotFoundException']));
      if (!ng) {
        ng = (await this.c.eks.send(new CreateNodegroupCommand({
          clusterName: d.cluster,
          nodegroupName: d.nodegroup,
          scalingConfig: { ...d.scaling },
          subnets: [network.subnetIds[d.nodeSubnet]!],
          instanceTypes: [d.instanceType],
          amiType: 'AL2023_x86_64_STANDARD',
          nodeRole,
          tags,
        }))).nodegroup!;
      }
      if (ng.status !== 'ACTIVE') await waitUntilNodegroupActive({ client: this.c.eks, maxWaitTime: 1800, minDelay: 15 }, { clusterName: d.cluster, nodegroupName: d.nodegroup });
      return ng;
    });
    const subnet = t.estate.subnets.find((s) => s.name === d.nodeSubnet)!;
    return {
      clusterName: d.cluster,
      clusterArn: cluster.arn!,
      endpoint: cluster.endpoint ?? '',
      version: cluster.version ?? d.version,
      nodegroupName: d.nodegroup,
      nodegroupArn: nodegroup.nodegroupArn!,
      nodes: eksNodes(t, subnet.cidr, nodegroup.scalingConfig?.desiredSize ?? d.scaling.desiredSize),
      roleArns: { cluster: clusterRole, node: nodeRole },
    };
  }
}

/** For `.then(found, ifMissing([...]))`: a "does not exist" error becomes undefined, anything else is rethrown. */
function ifMissing(names: string[]): (err: unknown) => undefined {
  return (err: unknown) => {
    const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    if (names.includes(e?.name ?? '') || names.includes(e?.Code ?? '')) return undefined;
    throw err;
  };
}
