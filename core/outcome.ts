import type { RemediationOutcome } from './vocabulary.ts';

/** What a verification reads back, one per outcome (the harness's harness/verify; playbooks promise them). */
export type OutcomeExpectation =
  | { outcome: 'waf-ip-blocked'; ipSetName: string; ipSetId: string; scope: 'REGIONAL' | 'CLOUDFRONT'; cidr: string }
  | { outcome: 'nacl-deny-entry'; networkAclId: string; cidr: string }
  | { outcome: 'sg-ingress-revoked'; groupId: string; port: number; cidr: string }
  | { outcome: 'rds-parameter-raised'; parameterGroup: string; parameter: string; atLeast: number }
  | { outcome: 'ecs-service-redeployed'; cluster: string; service: string; notDeploymentId?: string }
  | { outcome: 'access-key-inactive'; userName: string; accessKeyId: string }
  | { outcome: 'lambda-concurrency-throttled'; functionName: string; atMost: number }
  | { outcome: 's3-versioning-enabled'; bucket: string }
  | { outcome: 's3-delete-denied'; bucket: string; principal: string }
  | { outcome: 'ec2-instance-stopped'; instanceId: string }
  | { outcome: 'ec2-instance-isolated'; instanceId: string; quarantineGroupName: string }
  | { outcome: 'eks-endpoint-private'; cluster: string }
  | { outcome: 'eks-nodegroup-scaled'; cluster: string; nodegroup: string; atLeast: number };

// A compile-time check that every outcome of the vocabulary has an expectation shape.
type _AllOutcomesCovered = RemediationOutcome extends OutcomeExpectation['outcome'] ? true : never;
export const ALL_OUTCOMES_COVERED: _AllOutcomesCovered = true;
