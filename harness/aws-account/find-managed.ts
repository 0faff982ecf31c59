import { paginateDescribeInstances, paginateDescribeNetworkAcls } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { ListRoleTagsCommand, ListUserTagsCommand, paginateListRoles, paginateListUsers } from '@aws-sdk/client-iam';
import { ListTagsForResourceCommand as RdsListTags, paginateDescribeDBParameterGroups } from '@aws-sdk/client-rds';
import { paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import { ListTagsForResourceCommand as SfnListTags, paginateListStateMachines } from '@aws-sdk/client-sfn';
import { ListIPSetsCommand, ListTagsForResourceCommand as WafListTags, ListWebACLsCommand } from '@aws-sdk/client-wafv2';
import type { AwsClients } from '../../core/aws/index.ts';

/** A resource carrying firedrill's two tags (managed, and the run's prefix), by its ARN. */
export interface ManagedResource {
  arn: string;
  /** What `down` knows how to delete it as; `unknown` ones are listed, never touched. */
  type: ManagedType;
  /** The name or id the delete call takes. */
  id: string;
}

export const MANAGED_TYPES = [
  'state-machine', 'ecs-service', 'ecs-task-definition', 'ecs-cluster', 'lambda-function', 'wafv2-web-acl', 'wafv2-ip-set',
  'firehose-stream', 'log-group', 'rds-instance', 'rds-parameter-group', 'ec2-instance', 'security-group', 'network-acl',
  'subnet', 'route-table', 'internet-gateway', 'vpc', 'sns-topic', 'sqs-queue', 'dynamodb-table', 's3-bucket',
  'iam-user', 'iam-role', 'unknown',
] as const;
export type ManagedType = (typeof MANAGED_TYPES)[number];

type Tags = { Key?: string | undefined; Value?: string | undefined }[] | undefined;

/** Both of firedrill's tags, with the run's prefix: a resource of another prefix (another run) is not this one's. */
function isOurs(tags: Tags, prefix: string): boolean {
  const m = new Map((tags ?? []).map((t) => [t.Key, t.Value]));
  return m.get('firedrill:managed') === 'true' && m.get('firedrill:prefix') === prefix;
}

/** What an ARN is, for the deletes; anything not recognised is `unknown`. */
export function classifyArn(arn: string): ManagedResource {
  const [, , service = '', , , ...rest] = arn.split(':');
  const resource = rest.join(':');
  const slash = (s: string) => s.slice(s.indexOf('/') + 1);
  const is = (type: ManagedType, id: string): ManagedResource => ({ arn, type, id });
  switch (service) {
    case 's3':
      return is('s3-bucket', resource);
    case 'sqs':
      return is('sqs-queue', resource);
    case 'sns':
      return is('sns-topic', resource);
    case 'dynamodb':
      return resource.startsWith('table/') ? is('dynamodb-table', slash(resource)) : is('unknown', arn);
    case 'logs':
      return resource.startsWith('log-group:') ? is('log-group', resource.slice('log-group:'.length).replace(/:\*$/, '')) : is('unknown', arn);
    case 'firehose':
      return resource.startsWith('deliverystream/') ? is('firehose-stream', slash(resource)) : is('unknown', arn);
    case 'lambda':
      return resource.startsWith('function:') ? is('lambda-function', resource.split(':')[1]!) : is('unknown', arn);
    case 'states':
      return resource.startsWith('stateMachine:') ? is('state-machine', arn) : is('unknown', arn);
    case 'ecs':
      if (resource.startsWith('service/')) return is('ecs-service', arn);
      if (resource.startsWith('task-definition/')) return is('ecs-task-definition', arn);
      if (resource.startsWith('cluster/')) return is('ecs-cluster', arn);
      return is('unknown', arn);
    case 'rds':
      if (resource.startsWith('db:')) return is('rds-instance', resource.slice(3));
      if (resource.startsWith('pg:')) return is('rds-parameter-group', resource.slice(3));
      return is('unknown', arn);
    case 'ec2': {
      const [type, id = ''] = resource.split('/');
      const map: Record<string, ManagedType> = { instance: 'ec2-instance', 'security-group': 'security-group', subnet: 'subnet', 'network-acl': 'network-acl', 'route-table': 'route-table', 'internet-gateway': 'internet-gateway', vpc: 'vpc' };
      return map[type!] ? is(map[type!]!, id) : is('unknown', arn);
    }
    case 'wafv2':
      if (resource.includes('/ipset/')) return is('wafv2-ip-set', arn);
      if (resource.includes('/webacl/')) return is('wafv2-web-acl', arn);
      return is('unknown', arn);
    case 'iam':
      if (resource.startsWith('role/')) return is('iam-role', resource.split('/').pop()!);
      if (resource.startsWith('user/')) return is('iam-user', resource.split('/').pop()!);
      return is('unknown', arn);
    default:
      return is('unknown', arn);
  }
}

/**
 * Deleted resources some services keep listing for a while, the tagging API included: terminated instances (up to an
 * hour), INACTIVE ECS services, clusters and task definitions. They cost nothing and cannot be deleted again.
 */
async function alreadyGone(clients: AwsClients, resources: ManagedResource[]): Promise<string[]> {
  const gone: string[] = [];
  const of = (type: ManagedType) => resources.filter((r) => r.type === type);
  const instances = of('ec2-instance');
  if (instances.length) {
    for await (const page of paginateDescribeInstances({ client: clients.ec2 }, { InstanceIds: instances.map((r) => r.id) })) {
      for (const i of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) if (i.State?.Name === 'terminated') gone.push(...instances.filter((r) => r.id === i.InstanceId).map((r) => r.arn));
    }
  }
  for (const s of of('ecs-service')) {
    const cluster = s.arn.split('/')[1]!;
    const d = await clients.ecs.send(new DescribeServicesCommand({ cluster, services: [s.arn] }));
    if (!d.services?.length || d.services.every((x) => x.status === 'INACTIVE')) gone.push(s.arn);
  }
  const clusters = of('ecs-cluster');
  if (clusters.length) {
    const d = await clients.ecs.send(new DescribeClustersCommand({ clusters: clusters.map((c) => c.arn) }));
    for (const c of d.clusters ?? []) if (c.status === 'INACTIVE' && c.clusterArn) gone.push(c.clusterArn);
  }
  for (const t of of('ecs-task-definition')) {
    const d = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: t.arn })).catch(() => undefined);
    if (!d?.taskDefinition || d.taskDefinition.status !== 'ACTIVE') gone.push(t.arn);
  }
  return gone;
}

/**
 * Everything tagged firedrill:managed=true and firedrill:prefix=<prefix> in the clients' account and region. The
 * Resource Groups Tagging API finds most of it in one paginated listing; IAM (global, not in that API) and the types
 * it may leave out (WAF, RDS parameter groups, network ACLs, state machines) are listed per service, their tags
 * checked one by one. Nothing is changed.
 */
export async function findManaged(clients: AwsClients, prefix: string): Promise<ManagedResource[]> {
  const found = new Map<string, ManagedResource>();
  const add = (arn: string) => found.set(arn, classifyArn(arn));
  const filters = [{ Key: 'firedrill:managed', Values: ['true'] }, { Key: 'firedrill:prefix', Values: [prefix] }];
  for await (const page of paginateGetResources({ client: clients.tagging }, { TagFilters: filters })) {
    for (const r of page.ResourceTagMappingList ?? []) if (r.ResourceARN) add(r.ResourceARN);
  }

  for await (const page of paginateListRoles({ client: clients.iam }, {})) {
    for (const role of page.Roles ?? []) {
      if (!role.RoleName?.startsWith(`${prefix}-`) || !role.Arn) continue;
      const tags = (await clients.iam.send(new ListRoleTagsCommand({ RoleName: role.RoleName }))).Tags;
      if (isOurs(tags, prefix)) add(role.Arn);
    }
  }
  // The estate's users are named like people, not after the prefix: every user's tags are read.
  for await (const page of paginateListUsers({ client: clients.iam }, {})) {
    for (const user of page.Users ?? []) {
      if (!user.UserName || !user.Arn) continue;
      const tags = (await clients.iam.send(new ListUserTagsCommand({ UserName: user.UserName }))).Tags;
      if (isOurs(tags, prefix)) add(user.Arn);
    }
  }
  // WAFv2 lists take a NextMarker and the SDK has no paginator for them.
  for (const list of ['ip', 'acl'] as const) {
    let marker: string | undefined;
    do {
      const page = list === 'ip' ? await clients.wafv2.send(new ListIPSetsCommand({ Scope: 'REGIONAL', NextMarker: marker })) : await clients.wafv2.send(new ListWebACLsCommand({ Scope: 'REGIONAL', NextMarker: marker }));
      const items = 'IPSets' in page ? (page.IPSets ?? []) : 'WebACLs' in page ? (page.WebACLs ?? []) : [];
      for (const x of items) {
        if (!x.ARN || found.has(x.ARN)) continue;
        const tags = (await clients.wafv2.send(new WafListTags({ ResourceARN: x.ARN }))).TagInfoForResource?.TagList;
        if (isOurs(tags, prefix)) add(x.ARN);
      }
      marker = items.length ? page.NextMarker : undefined;
    } while (marker);
  }
  for await (const page of paginateDescribeDBParameterGroups({ client: clients.rds }, {})) {
    for (const pg of page.DBParameterGroups ?? []) {
      if (!pg.DBParameterGroupArn || found.has(pg.DBParameterGroupArn)) continue;
      if (isOurs((await clients.rds.send(new RdsListTags({ ResourceName: pg.DBParameterGroupArn }))).TagList, prefix)) add(pg.DBParameterGroupArn);
    }
  }
  const region = await clients.ec2.config.region();
  const account = () => [...found.keys()].map((a) => a.split(':')[4]).find((x) => x && /^\d{12}$/.test(x)) ?? '';
  for await (const page of paginateDescribeNetworkAcls({ client: clients.ec2 }, { Filters: filters.map((f) => ({ Name: `tag:${f.Key}`, Values: f.Values })) })) {
    for (const acl of page.NetworkAcls ?? []) {
      if (acl.IsDefault || !acl.NetworkAclId) continue;
      const arn = `arn:aws:ec2:${region}:${acl.OwnerId ?? account()}:network-acl/${acl.NetworkAclId}`;
      if (![...found.values()].some((r) => r.type === 'network-acl' && r.id === acl.NetworkAclId)) add(arn);
    }
  }
  for await (const page of paginateListStateMachines({ client: clients.sfn }, {})) {
    for (const sm of page.stateMachines ?? []) {
      if (!sm.stateMachineArn || !sm.name?.startsWith(`${prefix}-`) || found.has(sm.stateMachineArn)) continue;
      const tags = (await clients.sfn.send(new SfnListTags({ resourceArn: sm.stateMachineArn }))).tags?.map((t) => ({ Key: t.key, Value: t.value }));
      if (isOurs(tags, prefix)) add(sm.stateMachineArn);
    }
  }
  for (const arn of await alreadyGone(clients, [...found.values()])) found.delete(arn);
  return [...found.values()].sort((a, b) => MANAGED_TYPES.indexOf(a.type) - MANAGED_TYPES.indexOf(b.type) || a.arn.localeCompare(b.arn));
}
