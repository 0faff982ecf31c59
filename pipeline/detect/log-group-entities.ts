import type { Entities, EntityType } from '../../core/index.ts';

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
