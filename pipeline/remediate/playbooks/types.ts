import type { OutcomeExpectation } from '../../../core/index.ts';
import type { AslDefinition, JsonValue } from '../asl/types.ts';

export type { OutcomeExpectation };

/** Deploy-time constants baked into every playbook definition. */
export interface PlaybookContext {
  auditTable: string;
  /** Where results are announced (the alerts topic by default; the dispatcher ignores these notices). */
  notifyTopicArn: string;
  /** Seconds between polls of something slow (RDS status). Wait really sleeps on moto: keep it short there. */
  pollSeconds: number;
  /** Polls before giving up on something slow; the execution then ends in the failure path. */
  maxPolls: number;
  /** Interval of the few bounded retries on throttling. */
  retryIntervalSeconds: number;
  /**
   * How aws-sdk task parameters are spelled. AWS wants PascalCase for every service; moto 5.2 hands them to
   * boto3 unchanged, so camelCase APIs (ECS) need camelCase there. Only ECS tasks differ between the two.
   */
  sdkDialect: 'aws' | 'moto';
}

export const DEFAULT_PLAYBOOK_CONTEXT: Omit<PlaybookContext, 'auditTable' | 'notifyTopicArn'> = {
  pollSeconds: 1,
  maxPolls: 10,
  retryIntervalSeconds: 1,
  sdkDialect: 'aws',
};

/** What every execution receives: who asked (the incident) and the playbook's own parameters. */
export interface PlaybookExecutionInput<P> {
  incidentId: string;
  findingKind: string;
  playbook: string;
  requestedAt: string;
  params: P;
}

/** A resource a playbook acts on, as the safety checks see it (tags are read through the API). */
export type ManagedTarget =
  | { type: 'wafv2-ipset'; arn: string }
  | { type: 'ec2-network-acl'; id: string }
  | { type: 'ec2-security-group'; id: string }
  | { type: 'ec2-instance'; id: string }
  | { type: 'ec2-vpc'; id: string }
  | { type: 'rds-parameter-group'; name: string }
  | { type: 'rds-instance'; id: string }
  | { type: 'ecs-service'; arn: string }
  | { type: 'iam-user'; userName: string }
  | { type: 'lambda-function'; name: string }
  | { type: 's3-bucket'; name: string }
  | { type: 'eks-cluster'; name: string }
  | { type: 'eks-nodegroup'; cluster: string; nodegroup: string };

/** Named values the playbook table resolved for one finding (see playbook-table.ts). */
export type PlaybookInputs = Record<string, JsonValue>;

/** What a playbook may need besides its inputs when it builds its parameters. */
export interface PlaybookMeta {
  incidentId: string;
  /** Tags for anything a playbook creates (the topology's tags: such resources are managed too). */
  tags: Record<string, string>;
}

/** One playbook: its ASL, the resources it touches, the outcomes it promises, and a resource key for the breaker. */
export interface PlaybookSpec<P> {
  name: string;
  description: string;
  build(ctx: PlaybookContext): AslDefinition;
  /** Input names the table must resolve for this playbook. */
  inputs: readonly string[];
  /** Execution parameters from resolved inputs; throws MissingInputError when one is absent or mistyped. */
  fromInputs(inputs: PlaybookInputs, meta: PlaybookMeta): P;
  targets(params: P): ManagedTarget[];
  /** Keys the circuit breaker counts actions by (one resource may be touched by several playbooks). */
  resourceKeys(params: P): string[];
  outcomes(params: P): OutcomeExpectation[];
}
