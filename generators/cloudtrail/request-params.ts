import type { Rng } from '../../core/index.ts';
import type { JsonObject } from '../../formats/index.ts';
import type { EntityPools } from '../types.ts';

/** Estate names the parameters refer to, resolved once per generator run. */
export interface ParamContext {
  pools: EntityPools;
  region: string;
  accountId: string;
  dataBucket: string;
  instanceIds: string[];
  logGroups: string[];
  functions: string[];
  cluster: string;
  service: string;
  userNames: string[];
}

export function paramContext(pools: EntityPools): ParamContext {
  const e = pools.estate;
  return {
    pools,
    region: e.region,
    accountId: e.accountId,
    dataBucket: e.buckets.data,
    instanceIds: e.instances.map((i) => i.instanceId),
    logGroups: pools.topology.pipeline.logGroups.map((g) => g.name),
    functions: e.lambdas.map((l) => l.name),
    cluster: e.ecs.clusterName,
    service: e.ecs.serviceName,
    userNames: e.iamUsers.map((u) => u.userName),
  };
}

/** An object key of the data bucket, named the way the application names them. */
export function dataKey(rng: Rng, t: number): string {
  const d = new Date(t);
  const ym = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  switch (rng.int(0, 3)) {
    case 0:
      return `uploads/${ym}/${rng.uuid()}.jpg`;
    case 1:
      return `thumbnails/${ym}/${rng.uuid()}_256.jpg`;
    case 2:
      return `exports/orders/${d.toISOString().slice(0, 10)}/part-${String(rng.int(0, 15)).padStart(5, '0')}.parquet`;
    default:
      return `reports/daily/${d.toISOString().slice(0, 10)}.csv`;
  }
}

/**
 * requestParameters as CloudTrail records them for the calls the generator makes (null where the call
 * takes none). `target` names what an incident aims at (a user name, a policy ARN …) when it matters.
 */
export function requestParameters(c: ParamContext, rng: Rng, eventName: string, t: number, target?: Record<string, string>): JsonObject | null {
  switch (eventName) {
    case 'GetCallerIdentity':
    case 'ListBuckets':
    case 'ListUsers':
    case 'ListRoles':
    case 'GetAccountSummary':
    case 'ListMFADevices':
    case 'DescribeOrganization':
    case 'ListKeys':
    case 'GetAuthorizationToken':
      return null;
    case 'ListPolicies':
      return { scope: 'Local', onlyAttached: false, policyUsageFilter: 'PermissionsPolicy' };
    case 'GetAccountAuthorizationDetails':
      return { filter: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] };
    case 'GetUser':
    case 'ListAccessKeys':
    case 'ListAttachedUserPolicies':
    case 'CreateAccessKey':
    case 'CreateUser':
      return { userName: target?.userName ?? rng.pick(c.userNames) };
    case 'AttachUserPolicy':
      return { userName: target?.userName ?? rng.pick(c.userNames), policyArn: target?.policyArn ?? 'arn:aws:iam::aws:policy/ReadOnlyAccess' };
    case 'DescribeInstances':
      return rng.chance(0.5) ? { instancesSet: {}, filterSet: {} } : { instancesSet: { items: [{ instanceId: rng.pick(c.instanceIds) }] }, filterSet: {} };
    case 'DescribeSecurityGroups':
      return { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} };
    case 'DescribeRegions':
      return { regionSet: {} };
    case 'DescribeSnapshots':
      return { snapshotSet: {}, ownersSet: { items: [{ owner: 'self' }] }, sharedUsersSet: {}, filterSet: {} };
    case 'AuthorizeSecurityGroupIngress':
      return { groupId: c.pools.estate.securityGroupId, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} }] } };
    case 'LookupEvents':
      return { maxResults: 50, lookupAttributes: [{ attributeKey: 'ReadOnly', attributeValue: 'false' }] };
    case 'FilterLogEvents':
    case 'DescribeLogStreams':
      return { logGroupName: rng.pick(c.logGroups), ...(eventName === 'FilterLogEvents' ? { startTime: t - 3_600_000, interleaved: true } : { descending: true, orderBy: 'LastEventTime' }) };
    case 'GetFunction':
      return { functionName: rng.pick(c.functions) };
    case 'ListFunctions20150331':
      return null;
    case 'UpdateFunctionCode20150331v2':
      return { functionName: rng.pick(c.functions), s3Bucket: c.dataBucket, s3Key: `deploy/${rng.hex(12)}.zip`, publish: false, dryRun: false };
    case 'DescribeServices':
      return { services: [c.service], cluster: c.cluster };
    case 'UpdateService':
      return { cluster: c.cluster, service: c.service, forceNewDeployment: true };
    case 'RegisterTaskDefinition':
      return { family: c.pools.topology.estate.ecs.taskFamily, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '512', memory: '1024' };
    case 'StartQueryExecution':
      return { queryString: 'SELECT status, count(*) FROM orders GROUP BY 1', workGroup: 'primary' };
    case 'GetQueryResults':
      return { queryExecutionId: rng.uuid() };
    case 'GetTables':
      return { databaseName: 'orders_lake' };
    case 'StartJobRun':
      return { jobName: 'orders-nightly-etl' };
    case 'Decrypt':
      return { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    case 'GenerateDataKey':
      return { keyId: `arn:aws:kms:${c.region}:${c.accountId}:alias/aws/s3`, keySpec: 'AES_256', encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${c.dataBucket}` } };
    case 'GetObject':
    case 'PutObject':
    case 'HeadObject':
      return { bucketName: c.dataBucket, Host: `${c.dataBucket}.s3.${c.region}.amazonaws.com`, key: target?.key ?? dataKey(rng, t) };
    case 'ListObjects':
      return { bucketName: c.dataBucket, Host: `${c.dataBucket}.s3.${c.region}.amazonaws.com`, prefix: rng.pick(['uploads/', 'exports/orders/', 'reports/daily/']), 'list-type': '2' };
    case 'GetBucketPolicy':
      return { bucketName: target?.bucket ?? c.dataBucket, Host: `${target?.bucket ?? c.dataBucket}.s3.${c.region}.amazonaws.com`, policy: '' };
    case 'PutBucketPolicy':
      return {
        bucketName: target?.bucket ?? c.dataBucket,
        Host: `${target?.bucket ?? c.dataBucket}.s3.${c.region}.amazonaws.com`,
        bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${target?.bucket ?? c.dataBucket}/*` }] },
        policy: '',
      };
    case 'ListSecrets':
      return { maxResults: 100 };
    case 'GetSecretValue':
      return { secretId: `${c.pools.topology.prefix}/checkout/db` };
    case 'GetParameters':
      return { names: [`/${c.pools.topology.prefix}/checkout/db-password`], withDecryption: true };
    case 'DescribeDBInstances':
      return null;
    case 'ListTables':
      return null;
    case 'AssumeRole':
      return { roleArn: target?.roleArn ?? '', roleSessionName: target?.session ?? '' };
    default:
      return null;
  }
}
