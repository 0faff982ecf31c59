import { fileURLToPath } from 'node:url';
import { AssetType, Fn, TerraformAsset, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification/index.js';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { CloudwatchLogSubscriptionFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter/index.js';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream/index.js';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { NetworkAcl } from '@cdktf/provider-aws/lib/network-acl/index.js';
import { Instance } from '@cdktf/provider-aws/lib/instance/index.js';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami/index.js';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster/index.js';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition/index.js';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service/index.js';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group/index.js';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js';
import { Wafv2IpSet } from '@cdktf/provider-aws/lib/wafv2-ip-set/index.js';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl/index.js';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user/index.js';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key/index.js';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster/index.js';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object/index.js';
import { eksNodes, type EstateIds, type Topology } from '../core/topology/index.ts';
import { ESTATE_IDS_KEY } from '../pipeline/store/index.ts';
import type { HandlerName } from '../pipeline/handlers/index.ts';
import type { HandlerBundle } from './bundle-handlers.ts';
import { schedulerPolicy, type PolicyScope } from './least-privilege.ts';
import { renderLoadTask } from './load-task.ts';
import { renderPipelineCompute } from './pipeline-compute.ts';

const assume = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
const safeId = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * The topology rendered as Terraform (terraform-cdk): the same declaration the emulator bootstrap creates with SDK
 * calls, for a real account, plus what runs the reference pipeline there (the handlers as Lambdas from their
 * esbuild bundles, their triggers and schedule, the playbooks as state machines) and the load as a scheduled task.
 * Thin on purpose: nothing else in firedrill depends on it, and the output is plain Terraform JSON.
 */
export class FiredrillStack extends TerraformStack {
  constructor(scope: Construct, id: string, t: Topology, bundles: Record<HandlerName, HandlerBundle>) {
    super(scope, id);
    const p = t.pipeline;
    const e = t.estate;
    new AwsProvider(this, 'aws', { region: t.region, defaultTags: [{ tags: t.tags }] });
    const account = new DataAwsCallerIdentity(this, 'account', {}).accountId;
    const variable = (name: string, description: string, fallback: string) => new TerraformVariable(this, name, { type: 'string', default: fallback, description }).stringValue;
    const safety = {
      accountAllowlist: variable('remediation_account_allowlist', 'Comma-separated account ids remediation may act in (empty: it refuses everywhere)', ''),
      dryRun: variable('remediation_dry_run', '1: the dispatcher plans and audits, and starts no execution', '0'),
      maxActionsPerResourcePerHour: variable('remediation_max_actions_per_resource_per_hour', 'Circuit breaker of the dispatcher', '2'),
    };

    const buckets = Object.fromEntries(
      [p.rawBucket, p.curatedBucket, p.accessLogBucket, p.stateBucket, e.dataBucket].map((name) => [name, new S3Bucket(this, `bucket_${safeId(name)}`, { bucket: name, forceDestroy: true })]),
    );
    const raw = buckets[p.rawBucket]!;

    // Queues first: the raw bucket notifies the normalizer's queue, the alerts topic feeds the dispatcher's.
    const rawDlq = new SqsQueue(this, 'raw_dlq', { name: p.rawEventsDlq, messageRetentionSeconds: 1_209_600 });
    const rawQueue = new SqsQueue(this, 'raw_queue', {
      name: p.rawEventsQueue,
      visibilityTimeoutSeconds: 120,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: rawDlq.arn, maxReceiveCount: 5 }),
    });
    const accessLogs = buckets[p.accessLogBucket]!;
    // S3 access logs land in their own bucket and reach the normalizer through the same queue.
    const queuePolicy = new SqsQueuePolicy(this, 'raw_queue_policy', {
      queueUrl: rawQueue.url,
      policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: rawQueue.arn, Condition: { ArnEquals: { 'aws:SourceArn': [raw.arn, accessLogs.arn] } } }] }),
    });
    new S3BucketNotification(this, 'raw_notification', { bucket: raw.id, queue: [{ queueArn: rawQueue.arn, events: ['s3:ObjectCreated:*'], filterPrefix: p.rawPrefix }], dependsOn: [queuePolicy] });
    new S3BucketNotification(this, 'access_log_notification', { bucket: accessLogs.id, queue: [{ queueArn: rawQueue.arn, events: ['s3:ObjectCreated:*'] }], dependsOn: [queuePolicy] });
    const alertsDlq = new SqsQueue(this, 'alerts_dlq', { name: p.alertsDlq, messageRetentionSeconds: 1_209_600 });
    // Six times the dispatcher's timeout, as AWS advises for a queue that triggers a Lambda.
    const alertsQueue = new SqsQueue(this, 'alerts_queue', {
      name: p.alertsQueue,
      visibilityTimeoutSeconds: 6 * t.compute.functions.dispatcher.timeoutSeconds,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: alertsDlq.arn, maxReceiveCount: 5 }),
    });
    const topic = new SnsTopic(this, 'alerts_topic', { name: p.alertsTopic });
    new SqsQueuePolicy(this, 'alerts_queue_policy', {
      queueUrl: alertsQueue.url,
      policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: alertsQueue.arn, Condition: { ArnEquals: { 'aws:SourceArn': topic.arn } } }] }),
    });
    new SnsTopicSubscription(this, 'alerts_subscription', { topicArn: topic.arn, protocol: 'sqs', endpoint: alertsQueue.arn });

    for (const [key, name] of [['findings', p.findingsTable], ['audit', p.auditTable]] as const) {
      new DynamodbTable(this, `table_${key}`, { name, billingMode: 'PAY_PER_REQUEST', hashKey: 'pk', rangeKey: 'sk', attribute: [{ name: 'pk', type: 'S' }, { name: 'sk', type: 'S' }] });
    }
    const rolesArns: Record<string, string> = {};

    const firehoseRole = new IamRole(this, 'role_firehose', { name: p.roles.firehose, assumeRolePolicy: assume('firehose.amazonaws.com') });
    new IamRolePolicy(this, 'role_firehose_policy', {
      role: firehoseRole.id,
      policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:ListBucket'], Resource: [raw.arn, `${raw.arn}/*`] }] }),
    });
    const cwlRole = new IamRole(this, 'role_cwl', { name: p.roles.cwlToFirehose, assumeRolePolicy: assume('logs.amazonaws.com') });
    const stream = (id: string, name: string, prefix: string) =>
      new KinesisFirehoseDeliveryStream(this, id, {
        name,
        destination: 'extended_s3',
        extendedS3Configuration: { roleArn: firehoseRole.arn, bucketArn: raw.arn, prefix, errorOutputPrefix: `${p.rawPrefix}errors/`, bufferingInterval: 60, bufferingSize: 5 },
      });
    const cwlStream = stream('firehose_cwl', p.cwlDeliveryStream, `${p.rawPrefix}cwl/`);
    const wafStream = stream('firehose_waf', p.wafDeliveryStream, `${p.rawPrefix}waf/`);
    new IamRolePolicy(this, 'role_cwl_policy', { role: cwlRole.id, policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'], Resource: cwlStream.arn }] }) });
    // The estate's own Lambdas (the ones incidents happen to) run with this role; the pipeline's have their own.
    const lambdaRole = new IamRole(this, 'role_lambda', { name: p.roles.lambda, assumeRolePolicy: assume('lambda.amazonaws.com') });
    rolesArns.firehose = firehoseRole.arn;
    rolesArns.cwlToFirehose = cwlRole.arn;
    rolesArns.lambda = lambdaRole.arn;

    for (const g of p.logGroups) {
      const group = new CloudwatchLogGroup(this, `lg_${safeId(g.name)}`, { name: g.name, retentionInDays: g.retentionDays });
      new CloudwatchLogSubscriptionFilter(this, `sf_${safeId(g.name)}`, { name: p.subscriptionFilterName, logGroupName: g.name, dependsOn: [group], filterPattern: '', destinationArn: cwlStream.arn, roleArn: cwlRole.arn });
    }

    // The estate: what incidents happen to and remediation acts on.
    const vpc = new Vpc(this, 'vpc', { cidrBlock: e.vpcCidr, tags: { Name: `${t.prefix}-vpc` } });
    const subnets = Object.fromEntries(e.subnets.map((s) => [s.name, new Subnet(this, `subnet_${safeId(s.name)}`, { vpcId: vpc.id, cidrBlock: s.cidr, availabilityZone: s.az, tags: { Name: `${t.prefix}-${s.name}` } })]));
    // Public subnets reach the internet (the load task pulls its image and calls AWS's endpoints from them).
    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: { Name: `${t.prefix}-igw` } });
    const publicRoutes = new RouteTable(this, 'public_routes', { vpcId: vpc.id, route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }], tags: { Name: `${t.prefix}-public` } });
    const publicSubnets = e.subnets.filter((s) => s.name.startsWith('public'));
    for (const s of publicSubnets) new RouteTableAssociation(this, `public_routes_${safeId(s.name)}`, { subnetId: subnets[s.name]!.id, routeTableId: publicRoutes.id });
    const sg = new SecurityGroup(this, 'sg_web', {
      name: e.securityGroup,
      vpcId: vpc.id,
      ingress: [
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'] },
        { protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] },
      ],
      egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
    });
    const nacl = new NetworkAcl(this, 'nacl', {
      vpcId: vpc.id,
      subnetIds: Object.values(subnets).map((s) => s.id),
      ingress: [{ ruleNo: 100, action: 'allow', protocol: '-1', cidrBlock: '0.0.0.0/0', fromPort: 0, toPort: 0 }],
      egress: [{ ruleNo: 100, action: 'allow', protocol: '-1', cidrBlock: '0.0.0.0/0', fromPort: 0, toPort: 0 }],
      tags: { Name: `${t.prefix}-nacl` },
    });
    const ami = new DataAwsAmi(this, 'al2023', { mostRecent: true, owners: ['amazon'], filter: [{ name: 'name', values: ['al2023-ami-2023*-x86_64'] }] });
    const instances = e.webInstances.map((inst) => ({
      decl: inst,
      r: new Instance(this, `ec2_${safeId(inst.name)}`, { ami: ami.id, instanceType: 't3.micro', subnetId: subnets[inst.subnet]!.id, vpcSecurityGroupIds: [sg.id], tags: { Name: inst.name } }),
    }));
    const cluster = new EcsCluster(this, 'ecs_cluster', { name: e.ecs.cluster, setting: [{ name: 'containerInsights', value: 'enabled' }] });
    const taskDef = new EcsTaskDefinition(this, 'ecs_task', {
      family: e.ecs.taskFamily,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: JSON.stringify([{ name: e.ecs.containerName, image: 'public.ecr.aws/docker/library/python:3.12-slim', essential: true, portMappings: [{ containerPort: 8000 }], logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${e.app}`, 'awslogs-region': t.region, 'awslogs-stream-prefix': 'ecs' } } }]),
    });
    const service = new EcsService(this, 'ecs_service', { name: e.ecs.service, cluster: cluster.id, taskDefinition: taskDef.arn, desiredCount: e.ecs.desiredCount, launchType: 'FARGATE', networkConfiguration: { subnets: [subnets[e.subnets[0]!.name]!.id], securityGroups: [sg.id] } });
    const pg = new DbParameterGroup(this, 'rds_pg', { name: e.rds.parameterGroup, family: e.rds.parameterGroupFamily, parameter: [{ name: 'max_connections', value: String(e.rds.maxConnections), applyMethod: 'pending-reboot' }] });
    const db = new DbInstance(this, 'rds', {
      identifier: e.rds.dbInstanceId, engine: 'postgres', engineVersion: e.rds.engineVersion, instanceClass: 'db.t4g.micro', allocatedStorage: 20,
      dbName: e.rds.dbName, username: 'firedrill', manageMasterUserPassword: true, parameterGroupName: pg.name, skipFinalSnapshot: true,
      enabledCloudwatchLogsExports: ['postgresql'],
    });
    const ipSet = new Wafv2IpSet(this, 'waf_ipset', { name: e.waf.ipSet, scope: 'REGIONAL', ipAddressVersion: 'IPV4', addresses: [] });
    const acl = new Wafv2WebAcl(this, 'waf_acl', {
      name: e.waf.webAcl,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: safeId(e.waf.webAcl), sampledRequestsEnabled: true },
      rule: [{ name: 'block-ip-set', priority: 0, action: { block: {} }, statement: { ipSetReferenceStatement: { arn: ipSet.arn } }, visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: 'block-ip-set', sampledRequestsEnabled: true } }],
    });
    new Wafv2WebAclLoggingConfiguration(this, 'waf_logging', { resourceArn: acl.arn, logDestinationConfigs: [wafStream.arn] });
    const code = new TerraformAsset(this, 'estate_lambda_code', { path: fileURLToPath(new URL('./assets/estate-lambda', import.meta.url)), type: AssetType.ARCHIVE });
    const lambdas = e.lambdas.map(
      (l) => new LambdaFunction(this, `lambda_${safeId(l.name)}`, { functionName: l.name, role: lambdaRole.arn, runtime: 'nodejs20.x', handler: 'index.handler', filename: code.path, sourceCodeHash: code.assetHash, timeout: l.timeoutSeconds, memorySize: l.memoryMb }),
    );
    const users = e.iamUsers.map((u) => {
      const user = new IamUser(this, `user_${safeId(u)}`, { name: u });
      return { user, key: new IamAccessKey(this, `key_${safeId(u)}`, { user: user.name }) };
    });
    // EKS: the cluster logs every control-plane type to /aws/eks/<cluster>/cluster (declared above, so it exists
    // with its retention and subscription before EKS writes to it); one managed node group.
    const eksRole = (id: string, name: string, service: string, policies: string[]) => {
      const role = new IamRole(this, id, { name, assumeRolePolicy: assume(service) });
      const attachments = policies.map((pol) => new IamRolePolicyAttachment(this, `${id}_${safeId(pol)}`, { role: role.name, policyArn: `arn:aws:iam::aws:policy/${pol}` }));
      return { role, attachments };
    };
    const eksClusterRole = eksRole('role_eks_cluster', e.eks.clusterRole, 'eks.amazonaws.com', ['AmazonEKSClusterPolicy']);
    const eksNodeRole = eksRole('role_eks_nodes', e.eks.nodeRole, 'ec2.amazonaws.com', ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly']);
    const eksGroups = p.logGroups.filter((g) => g.source === 'eks' && g.name === `/aws/eks/${e.eks.cluster}/cluster`).map((g) => `lg_${safeId(g.name)}`);
    const eks = new EksCluster(this, 'eks_cluster', {
      name: e.eks.cluster,
      version: e.eks.version,
      roleArn: eksClusterRole.role.arn,
      vpcConfig: { subnetIds: e.eks.subnets.map((s) => subnets[s]!.id), securityGroupIds: [sg.id], endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
      enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      dependsOn: [...eksClusterRole.attachments, ...eksGroups.map((id) => this.node.findChild(id) as CloudwatchLogGroup)],
    });
    const nodegroup = new EksNodeGroup(this, 'eks_nodegroup', {
      // The literal name (not eks.name) keeps the resource readable by name; dependsOn orders it after the cluster.
      clusterName: e.eks.cluster,
      nodeGroupName: e.eks.nodegroup,
      nodeRoleArn: eksNodeRole.role.arn,
      subnetIds: [subnets[e.eks.nodeSubnet]!.id],
      instanceTypes: [e.eks.instanceType],
      amiType: 'AL2023_x86_64_STANDARD',
      scalingConfig: { ...e.eks.scaling },
      dependsOn: [eks, ...eksNodeRole.attachments],
    });

    // What the deployed dispatcher resolves playbook inputs from: the ids AWS assigned, as bootstrap returns them.
    const sfnRoleArn = `arn:aws:iam::${account}:role/${p.roles.stepFunctions}`;
    const ids: EstateIds = {
      accountId: account,
      region: t.region,
      vpcId: vpc.id,
      subnetIds: Object.fromEntries(e.subnets.map((s) => [s.name, subnets[s.name]!.id])),
      securityGroupId: sg.id,
      networkAclId: nacl.id,
      instances: instances.map(({ decl, r }) => ({ name: decl.name, instanceId: r.id, eniId: r.primaryNetworkInterfaceId, privateIp: r.privateIp, subnetId: subnets[decl.subnet]!.id })),
      ecs: { clusterArn: cluster.arn, serviceArn: service.id, serviceName: e.ecs.service, clusterName: e.ecs.cluster, taskDefinitionArn: taskDef.arn },
      rds: { dbInstanceId: e.rds.dbInstanceId, endpoint: db.address, parameterGroup: e.rds.parameterGroup, dbName: e.rds.dbName },
      waf: { webAclArn: acl.arn, webAclId: acl.id, webAclName: e.waf.webAcl, ipSetArn: ipSet.arn, ipSetId: ipSet.id, ipSetName: e.waf.ipSet },
      lambdas: e.lambdas.map((l, i) => ({ name: l.name, arn: lambdas[i]!.arn })),
      iamUsers: users.map(({ user, key }) => ({ userName: user.name, userId: user.uniqueId, arn: user.arn, accessKeyId: key.id })),
      buckets: { raw: p.rawBucket, curated: p.curatedBucket, accessLogs: p.accessLogBucket, state: p.stateBucket, data: e.dataBucket },
      queues: { rawEvents: rawQueue.url, rawEventsDlq: rawDlq.url, alerts: alertsQueue.url, alertsDlq: alertsDlq.url },
      alertsTopicArn: topic.arn,
      findingsTable: p.findingsTable,
      auditTable: p.auditTable,
      deliveryStreams: { cwl: p.cwlDeliveryStream, waf: p.wafDeliveryStream },
      roles: { ...rolesArns, stepFunctions: sfnRoleArn },
      eks: {
        clusterName: e.eks.cluster,
        clusterArn: eks.arn,
        endpoint: eks.endpoint,
        version: eks.version,
        nodegroupName: e.eks.nodegroup,
        nodegroupArn: nodegroup.arn,
        // The nodes the generators name (as bootstrap records them); on AWS the real nodes get the names EC2 gives.
        nodes: eksNodes(t, e.subnets.find((s) => s.name === e.eks.nodeSubnet)!.cidr),
        roleArns: { cluster: eksClusterRole.role.arn, node: eksNodeRole.role.arn },
      },
    };
    const estateIdsObject = new S3Object(this, 'estate_ids', { bucket: buckets[p.stateBucket]!.id, key: ESTATE_IDS_KEY, content: Fn.jsonencode(ids), contentType: 'application/json' });

    const policyScope: PolicyScope = {
      topology: t,
      account,
      ipSetArn: ipSet.arn,
      dbInstanceArn: db.arn,
      dbParameterGroupArn: pg.arn,
      ecsServiceArn: service.id,
      vpcArn: vpc.arn,
    };
    const schedulerRole = new IamRole(this, 'role_scheduler', { name: t.compute.schedulerRole, assumeRolePolicy: assume('scheduler.amazonaws.com') });
    renderPipelineCompute(this, t, {
      scope: policyScope,
      bundles,
      queueArns: { [p.rawEventsQueue]: rawQueue.arn, [p.alertsQueue]: alertsQueue.arn },
      alertsTopicArn: topic.arn,
      estateIdsObject,
      schedulerRoleArn: schedulerRole.arn,
      safety,
      logLevel: 'info',
    });
    const load = renderLoadTask(this, t, {
      scope: policyScope,
      vpcId: vpc.id,
      subnetIds: publicSubnets.map((s) => subnets[s.name]!.id),
      schedulerRoleArn: schedulerRole.arn,
      scenario: variable('load_scenario', 'Catalog id (or path in the image) of the drill whose traffic the load task sends', 'bad-day'),
      scheduleState: variable('load_schedule_state', 'ENABLED once the image is pushed to the load repository; DISABLED runs no task', 'DISABLED'),
    });
    new IamRolePolicy(this, 'role_scheduler_policy', { role: schedulerRole.id, name: `${t.compute.schedulerRole}-policy`, policy: Fn.jsonencode(schedulerPolicy(policyScope, { taskRoleArn: load.taskRole.arn, executionRoleArn: load.executionRole.arn })) });

    new TerraformOutput(this, 'raw_bucket', { value: raw.bucket });
    new TerraformOutput(this, 'alerts_topic_arn', { value: topic.arn });
    // Where `docker push` puts firedrill's image for the load task.
    new TerraformOutput(this, 'load_repository_url', { value: load.repositoryUrl });
  }
}
