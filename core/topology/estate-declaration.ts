import type { EntityType, SourceName } from '../vocabulary.ts';
import type { DependencyEdge } from './types.ts';

/**
 * A log group as an estate declares it: its name exactly as AWS has it, the source its lines are, and — where the
 * source alone does not say it — the shape of its lines (`format`, one of the source's declarable shapes, e.g.
 * app `plain`, rds `postgresql`, vpcflow `custom` with `fields`) and the entities every line of it is about.
 */
export interface LogGroupDeclaration {
  name: string;
  source: SourceName;
  /** The line shape (formats' `FormatSpec.shapes`); absent or `auto`: the format detects it. */
  format?: string;
  /** A VPC flow log's custom format: field names or CreateFlowLogs' `${field}` tokens (one string or a list). */
  fields?: string | readonly string[];
  /** Entities every line of the group is about, where the group's name does not follow AWS's naming. */
  entities?: Partial<Record<EntityType, string>>;
  retentionDays?: number;
  /** Stream naming rule, for documentation and generators (default: the source's AWS rule). */
  streamPattern?: string;
}

/**
 * One entry of a source map: log groups whose name matches `match` (a glob: `*` within one path segment, `**`
 * across segments, `?` one character) hold lines of `source` in `format`. Entity values may use `$1`… for what
 * the wildcards matched (`{ match: '/team/*\/api', entities: { service: '$1' } }`). Used for groups that exist
 * outside firedrill (a SUT's own, on AWS), where listing every group is not practical.
 */
export interface SourceRouteDeclaration {
  match: string;
  source: SourceName;
  format?: string;
  fields?: string | readonly string[];
  entities?: Partial<Record<EntityType, string>>;
}

/**
 * Every name of the estate a drill runs on, all optional: what is left out follows the prefix (the catalog's
 * defaults). The same declaration is a scenario's `estate:` and a SUT file's `estate:`.
 */
export interface EstateNames {
  /** RDS DB instance identifier (log group `/aws/rds/instance/<database>/postgresql`). */
  database?: string;
  /** The database name inside the instance. */
  dbName?: string;
  /** ECS cluster (Container Insights group `/aws/ecs/containerinsights/<cluster>/performance`). */
  cluster?: string;
  /** ECS service. */
  service?: string;
  /** EKS cluster (groups `/aws/eks/<eksCluster>/cluster`, `/aws/containerinsights/<eksCluster>/application`). */
  eksCluster?: string;
  /** The application's name (its log group `/ecs/<app>`); default: the service. */
  app?: string;
  /** ECS task definition family. */
  taskFamily?: string;
  /** Lambda function names (log groups `/aws/lambda/<name>`). */
  functions?: readonly string[];
  /** EC2 instance Name tags (the first ones are web servers, a name containing `bastion` the bastion). */
  instances?: readonly string[];
  iamUsers?: readonly string[];
  webAcl?: string;
  ipSet?: string;
  securityGroup?: string;
  /** The application data bucket whose access is logged. */
  dataBucket?: string;
  /** RDS parameter group. */
  parameterGroup?: string;
}

export interface EstateDeclaration {
  /** Name prefix of every resource firedrill creates (default `firedrill`). */
  prefix?: string;
  region?: string;
  names?: EstateNames;
  /**
   * Log groups. Those of a source listed here replace that source's default groups; sources not listed keep
   * theirs (named after `names`), so generators always have somewhere to write.
   */
  logGroups?: readonly LogGroupDeclaration[];
  /** Log-group patterns → source and format, for groups not listed in `logGroups`. First match wins. */
  sourceMap?: readonly SourceRouteDeclaration[];
  /**
   * The dependency graph for root cause analysis (`A → B`: A depends on B), as `<node type>:<entity>` nodes
   * (`ecs:<service|cluster>`, `app:<service>`, `rds:<database>`, `lambda:<function>`, `ec2:<instance>`,
   * `s3:<bucket>`). Default: the ECS service and cluster depend on the app, the app on the database.
   */
  dependencies?: readonly DependencyEdge[];
}

/**
 * Layers two declarations: `over` wins key by key (names one by one; log groups by name; source map entries of
 * `over` are tried first; dependencies of `over`, when given, replace those of `base`). A scenario's estate under
 * a SUT file's: the SUT says what the pipeline under test really has.
 */
export function mergeEstateDeclarations(base: EstateDeclaration | undefined, over: EstateDeclaration | undefined): EstateDeclaration {
  if (!base) return over ?? {};
  if (!over) return base;
  const groups = new Map<string, LogGroupDeclaration>();
  for (const g of base.logGroups ?? []) groups.set(g.name, g);
  for (const g of over.logGroups ?? []) groups.set(g.name, g);
  const out: EstateDeclaration = { ...base, ...over, names: { ...base.names, ...over.names } };
  if (groups.size) out.logGroups = [...groups.values()];
  const routes = [...(over.sourceMap ?? []), ...(base.sourceMap ?? [])];
  if (routes.length) out.sourceMap = routes;
  const deps = over.dependencies ?? base.dependencies;
  if (deps) out.dependencies = deps;
  return out;
}

/** The field list of a VPC custom format as a list of tokens (a string is split on white space). */
export function fieldList(fields: string | readonly string[] | undefined): readonly string[] | undefined {
  if (fields === undefined) return undefined;
  return typeof fields === 'string' ? fields.trim().split(/\s+/) : fields;
}
