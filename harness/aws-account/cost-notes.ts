import type { ComputeKind, ResourceKind, Topology } from '../../core/topology/index.ts';

/**
 * How a resource is billed: `while-it-exists` costs by the hour whether or not a drill runs (these need --yes),
 * `by-use` costs per request, GB or invocation, `free` costs nothing by itself.
 */
export type Billing = 'while-it-exists' | 'by-use' | 'free';

export interface CostNote {
  billing: Billing;
  note: string;
  /** On-demand list price per hour of one resource, us-east-1 (for `while-it-exists` only). */
  hourlyUsd?: number;
}

const HOURS_PER_MONTH = 730;
const FARGATE = { vcpuHour: 0.04048, gbHour: 0.004445 };

/**
 * Approximate us-east-1 on-demand list prices of what firedrill creates (other regions differ by a few percent);
 * a note, not a quote: the AWS pricing pages are the reference.
 */
export function costNote(kind: ResourceKind | ComputeKind, t: Topology): CostNote {
  switch (kind) {
    case 'ec2-instance':
      return { billing: 'while-it-exists', hourlyUsd: 0.0104, note: 't3.micro on demand ≈ $0.0104/h (≈ $7.60/month) while running, plus its 8 GB EBS volume ≈ $0.64/month' };
    case 'rds-instance':
      return { billing: 'while-it-exists', hourlyUsd: 0.016 + (20 * 0.115) / HOURS_PER_MONTH, note: 'db.t4g.micro PostgreSQL ≈ $0.016/h (≈ $11.70/month) + 20 GB storage ≈ $2.30/month' };
    case 'ecs-service': {
      const perTask = 0.25 * FARGATE.vcpuHour + 0.5 * FARGATE.gbHour;
      const n = t.estate.ecs.desiredCount;
      return { billing: 'while-it-exists', hourlyUsd: n * perTask, note: `${n} Fargate tasks of 0.25 vCPU / 0.5 GB ≈ $${(n * perTask).toFixed(4)}/h (≈ $${(n * perTask * HOURS_PER_MONTH).toFixed(2)}/month) while the service runs them` };
    }
    case 'wafv2-web-acl':
      return { billing: 'while-it-exists', hourlyUsd: (5 + 1) / HOURS_PER_MONTH, note: 'web ACL $5/month + $1/month per rule (1 rule), + $0.60 per million requests inspected' };
    case 'firehose-stream':
      return { billing: 'by-use', note: '$0.029 per GB ingested (records rounded up to 5 KB)' };
    case 'log-group':
    case 'function-log-group':
      return { billing: 'by-use', note: '$0.50 per GB ingested, $0.03 per GB-month stored (14-day retention)' };
    case 's3-bucket':
      return { billing: 'by-use', note: '$0.023 per GB-month + $0.005 per 1,000 PUTs' };
    case 'dynamodb-table':
      return { billing: 'by-use', note: 'on demand: $1.25 per million writes, $0.25 per million reads, $0.25 per GB-month' };
    case 'sqs-queue':
      return { billing: 'by-use', note: '$0.40 per million requests (first million a month free)' };
    case 'sns-topic':
      return { billing: 'by-use', note: '$0.50 per million publishes (SQS deliveries free)' };
    case 'lambda-function':
    case 'pipeline-function':
      return { billing: 'by-use', note: '$0.20 per million requests + $0.0000167 per GB-second' };
    case 'state-machine':
      return { billing: 'by-use', note: 'standard workflow: $0.025 per 1,000 state transitions' };
    case 'schedule':
      return { billing: 'by-use', note: '$1.00 per million invocations (14 million a month free); a load schedule also starts a Fargate task per run' };
    case 'ecs-task-definition':
      return { billing: 'by-use', note: 'a running task of it costs Fargate time (the load task: 1 vCPU / 2 GB ≈ $0.049/h while it runs)' };
    case 'ecr-repository':
      return { billing: 'by-use', note: '$0.10 per GB-month of images' };
    default:
      return { billing: 'free', note: 'no charge by itself' };
  }
}
