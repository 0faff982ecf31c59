import type { Entities, EntityType } from '../../core/index.ts';
import type { NormalizedRecord } from '../../formats/index.ts';

/**
 * What a log group's name says about the entity its lines are about, by AWS's own naming conventions (not
 * firedrill's): RDS publishes `/aws/rds/instance/<db>/<log>` (and `/aws/rds/cluster/<cluster>/<log>`), Container
 * Insights `/aws/ecs/containerinsights/<cluster>/performance`, Lambda `/aws/lambda/<function>`, and the ECS
 * console's awslogs default is `/ecs/<task family>` (usually the service's name). A record that names the
 * entity itself keeps its own; these only fill what is missing, so lines of a team's own estate
 * (`/aws/rds/instance/mydb/postgresql`, `/ecs/my-python-service`) land on their entities.
 */
const PATTERNS: [RegExp, EntityType][] = [
  [/^\/aws\/rds\/(?:instance|cluster)\/([^/]+)\//, 'database'],
  [/^\/aws\/ecs\/containerinsights\/([^/]+)\//, 'cluster'],
  [/^\/aws\/lambda\/([^/]+)$/, 'function'],
  [/^\/ecs\/([^/]+)$/, 'service'],
];

const cache = new Map<string, Entities>();

export function entitiesFromLogGroup(group: string): Entities {
  let e = cache.get(group);
  if (e) return e;
  e = {};
  for (const [re, type] of PATTERNS) {
    const m = re.exec(group);
    if (m?.[1]) e[type] = m[1];
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(group, e);
  return e;
}

/** The entities of a record, completed from its log group where the record itself does not name them. */
export function withLogGroupEntities(entities: Entities, group: string | undefined): Entities {
  if (!group) return entities;
  const g = entitiesFromLogGroup(group);
  let out: Entities | undefined;
  for (const [k, v] of Object.entries(g) as [EntityType, string][]) {
    if (entities[k] === undefined) (out ??= { ...entities })[k] = v;
  }
  return out ?? entities;
}

/**
 * A record's entities as every detector reads them: its own, the instance behind a VPC Flow record's ENI (from the
 * asset inventory) and what its log group's name says. The same object when there is nothing to add; adding again
 * to a completed record adds nothing, so the handler completes records as it holds them (compact-record.ts) and
 * detectWindow then keeps them as they are instead of holding a completed copy of each beside it.
 */
export function completeEntities(r: Pick<NormalizedRecord, 'source' | 'entities' | 'logGroup'>, eniToInstance: Readonly<Record<string, string>> | undefined): Entities {
  const eniInstance = r.source === 'vpcflow' && r.entities.eni && !r.entities.instance ? eniToInstance?.[r.entities.eni] : undefined;
  return withLogGroupEntities(eniInstance ? { ...r.entities, instance: eniInstance } : r.entities, r.logGroup);
}
