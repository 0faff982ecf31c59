import { z } from 'zod';
import { ENTITY_TYPES, SOURCES, type EntityType } from '../../core/index.ts';
import type { EstateDeclaration } from '../../core/topology/index.ts';
import { formats } from '../../formats/index.ts';

/**
 * The declarable estate: a scenario's `estate:` and a SUT file's `estate:` (the same schema). Every name and log
 * group of the estate, a source map (log-group pattern → source and format) and the dependency graph for root
 * cause analysis. What is left out follows the prefix, so the catalog runs on the defaults.
 */

const sourceName = z.enum(SOURCES, { error: 'a log source' });
const name = (what: string) => z.string().min(1).max(255).meta({ description: what });
// Log group names: 1-512 characters of a-z A-Z 0-9 _ - / . # (AWS's CreateLogGroup rule).
const logGroupName = z
  .string()
  .regex(/^[\w\-/.#]{1,512}$/, { error: 'a log group name: 1-512 of letters, digits, _ - / . #' })
  .meta({ description: 'The log group name, exactly as AWS has it.' });
const groupPattern = z
  .string()
  .regex(/^[\w\-/.#*?]{1,512}$/, { error: 'a log group pattern: letters, digits, _ - / . # and the wildcards * ** ?' })
  .meta({ description: 'A glob on log group names: `*` within one path segment, `**` across segments, `?` one character.' });
const entities = z
  .strictObject(Object.fromEntries(ENTITY_TYPES.map((t) => [t, z.string().min(1).optional()])) as Record<EntityType, z.ZodOptional<z.ZodString>>)
  .meta({ description: 'Entities every line of the group is about (`$1`… in a source map: what the wildcards matched).' });
const format = z.string().min(1).meta({ description: "The line shape, one of the source's: app auto|json|logfmt|python|log4j|plain; rds auto|postgresql|mysql; ec2 auto|syslog|journal-json; vpcflow default|custom (with fields)." });
const fields = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .meta({ description: "A VPC flow log's custom format: `${version} ${vpc-id} …` as in CreateFlowLogs, or a list of field names." });

const logGroup = z
  .strictObject({
    name: logGroupName,
    source: sourceName,
    format: format.optional(),
    fields: fields.optional(),
    entities: entities.optional(),
    retentionDays: z.number().int().min(1).max(3653).optional(),
    streamPattern: z.string().min(1).optional().meta({ description: 'The stream naming rule, for documentation.' }),
  })
  .meta({ description: 'A log group of the estate: its source and, where the source alone does not say, the shape of its lines.' });

const route = z
  .strictObject({ match: groupPattern, source: sourceName, format: format.optional(), fields: fields.optional(), entities: entities.optional() })
  .meta({ description: 'Groups whose name matches `match` hold lines of `source` in `format`.' });

const node = z
  .string()
  .regex(/^(ecs|app|rds|lambda|ec2|s3|waf|vpc|cloudtrail|[a-z][\w-]*):\S+$/, { error: 'a node `<type>:<entity>`, e.g. rds:mydb, app:my-service, ecs:my-cluster' });

const names = z
  .strictObject({
    database: name('RDS DB instance identifier (log group `/aws/rds/instance/<database>/postgresql`).').optional(),
    dbName: name('The database name inside the instance.').optional(),
    cluster: name('ECS cluster (Container Insights group `/aws/ecs/containerinsights/<cluster>/performance`).').optional(),
    service: name('ECS service.').optional(),
    eksCluster: name('EKS cluster (groups `/aws/eks/<eksCluster>/cluster`, `/aws/containerinsights/<eksCluster>/application`).').optional(),
    app: name('The application (its log group `/ecs/<app>`); default: the service.').optional(),
    taskFamily: name('ECS task definition family.').optional(),
    functions: z.array(name('A Lambda function name.')).min(1).optional(),
    instances: z.array(name('An EC2 instance Name tag.')).min(1).optional(),
    iamUsers: z.array(name('An IAM user name.')).min(1).optional(),
    webAcl: name('WAFv2 web ACL.').optional(),
    ipSet: name('WAFv2 IP set the playbooks block addresses in.').optional(),
    securityGroup: name('Security group of the web instances.').optional(),
    dataBucket: name('The application data bucket whose access is logged.').optional(),
    parameterGroup: name('RDS parameter group.').optional(),
  })
  .meta({ description: 'Names of the estate; each one left out follows the prefix.' });

export const estateSchema = z
  .strictObject({
    prefix: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, { error: '2-31 lowercase letters, digits or dashes starting with a letter' }).optional(),
    region: z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/, { error: 'an AWS region such as us-east-1' }).optional(),
    names: names.optional(),
    logGroups: z
      .array(logGroup)
      .optional()
      .meta({ description: "Log groups. A source listed here has exactly these groups; the others keep their defaults." }),
    sourceMap: z.array(route).optional().meta({ description: 'Log-group patterns → source and format, for groups not listed (first match wins).' }),
    dependencies: z
      .array(z.strictObject({ from: node, to: node }))
      .optional()
      .meta({ description: 'The dependency graph for root cause analysis (from depends on to). Default: ecs service and cluster → app → rds.' }),
  })
  .superRefine((e, ctx) => {
    const check = (path: (string | number)[], source: (typeof SOURCES)[number], shape: string | undefined, hasFields: boolean) => {
      const shapes = formats[source]?.shapes;
      if (shape !== undefined && !shapes?.includes(shape)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'format'], message: shapes ? `one of ${source}'s shapes: ${shapes.join(', ')}` : `no format: ${source} has one shape only (leave format out)` });
      }
      if (hasFields && source !== 'vpcflow') ctx.addIssue({ code: 'custom', path: [...path, 'fields'], message: 'fields only on a vpcflow group (its custom format)' });
      if (source === 'vpcflow' && shape === 'custom' && !hasFields) ctx.addIssue({ code: 'custom', path: [...path, 'fields'], message: 'the custom format’s fields (`${version} ${vpc-id} …`)' });
    };
    const seen = new Set<string>();
    e.logGroups?.forEach((g, i) => {
      if (seen.has(g.name)) ctx.addIssue({ code: 'custom', path: ['logGroups', i, 'name'], message: `a log group declared once (${g.name} is declared twice)` });
      seen.add(g.name);
      check(['logGroups', i], g.source, g.format, g.fields !== undefined);
    });
    e.sourceMap?.forEach((r, i) => check(['sourceMap', i], r.source, r.format, r.fields !== undefined));
  })
  .meta({ description: 'The estate the drill runs on: names, log groups, source map and dependencies (all optional; defaults follow the prefix).' });

export type EstateSpec = z.output<typeof estateSchema>;

// The parsed declaration is exactly what core/topology builds a topology from.
const _check: (e: EstateSpec) => EstateDeclaration = (e) => e;
void _check;
