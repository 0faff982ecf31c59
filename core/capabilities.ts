import type { RemediationOutcome } from './vocabulary.ts';

/**
 * The AWS services firedrill's topology uses. A target (moto, LocalStack, AWS) may lack some: LocalStack's free
 * edition has no ECS, RDS, WAFv2 or EKS. Names are the services' API names (as boto3 and LocalStack's health API spell
 * them), so a target can be asked which it has.
 */
export const AWS_SERVICES = ['s3', 'sqs', 'sns', 'logs', 'firehose', 'dynamodb', 'stepfunctions', 'iam', 'sts', 'ec2', 'lambda', 'ecs', 'rds', 'wafv2', 'eks'] as const;
export type AwsService = (typeof AWS_SERVICES)[number];

/** What carries logs to the detector and its findings out: without any of these no detection can be scored. */
export const PIPELINE_SERVICES: readonly AwsService[] = ['s3', 'sqs', 'sns', 'logs', 'firehose', 'dynamodb', 'iam', 'sts'];
/** What every remediation runs on: the playbook (Step Functions) and its audit record (DynamoDB). */
export const REMEDIATION_SERVICES: readonly AwsService[] = ['stepfunctions', 'dynamodb'];

/** The service whose resource each remediation outcome changes, and is read back from. */
export const OUTCOME_SERVICE: Record<RemediationOutcome, AwsService> = {
  'waf-ip-blocked': 'wafv2',
  'nacl-deny-entry': 'ec2',
  'sg-ingress-revoked': 'ec2',
  'rds-parameter-raised': 'rds',
  'ecs-service-redeployed': 'ecs',
  'access-key-inactive': 'iam',
  'lambda-concurrency-throttled': 'lambda',
  's3-versioning-enabled': 's3',
  's3-delete-denied': 's3',
  'ec2-instance-stopped': 'ec2',
  'ec2-instance-isolated': 'ec2',
  'eks-endpoint-private': 'eks',
  'eks-nodegroup-scaled': 'eks',
};

/** Everything a remediation outcome needs: the finding's way to the dispatcher, the playbook, and the resource. */
export function servicesForOutcome(outcome: RemediationOutcome): AwsService[] {
  return [...new Set([...PIPELINE_SERVICES, ...REMEDIATION_SERVICES, OUTCOME_SERVICE[outcome]])];
}

/** What a target can do, service by service: the supported / unsupported matrix of a run. */
export interface TargetCapabilities {
  /** The target in words: `moto 5.2.5`, `LocalStack 2026.3.0 (community)`, `AWS`. */
  target: string;
  /** The services it lacks, each with why (and how to get it, where there is a way). Empty: everything runs. */
  missing: { service: AwsService; reason: string }[];
}

/** A target with every service (moto, AWS, or anything that does not say otherwise). */
export function fullCapabilities(target: string): TargetCapabilities {
  return { target, missing: [] };
}

/** Why the target cannot run `service`, or undefined when it can. */
export function lacks(caps: TargetCapabilities | undefined, service: AwsService): string | undefined {
  return caps?.missing.find((m) => m.service === service)?.reason;
}

/** The first of `services` the target lacks, with why; undefined when it has them all. */
export function firstMissing(caps: TargetCapabilities | undefined, services: readonly AwsService[]): { service: AwsService; reason: string } | undefined {
  for (const service of services) {
    const reason = lacks(caps, service);
    if (reason) return { service, reason };
  }
  return undefined;
}

/** The words every report uses for an expectation a target cannot run. */
export function unsupportedMessage(what: string, missing: { service: AwsService; reason: string }): string {
  return `unsupported on this target: ${what} needs ${missing.service} (${missing.reason})`;
}

/** One row per service: the supported / unsupported matrix as reports show it. */
export interface CapabilityMatrix {
  target: string;
  services: { service: AwsService; supported: boolean; reason?: string }[];
}

export function capabilityMatrix(caps: TargetCapabilities): CapabilityMatrix {
  return {
    target: caps.target,
    services: AWS_SERVICES.map((service) => {
      const reason = lacks(caps, service);
      return reason ? { service, supported: false, reason } : { service, supported: true };
    }),
  };
}
