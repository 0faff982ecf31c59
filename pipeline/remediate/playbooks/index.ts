import { ec2IsolateInstance, type Ec2IsolateInstanceParams } from './ec2-isolate-instance.ts';
import { ec2StopInstance, type Ec2StopInstanceParams } from './ec2-stop-instance.ts';
import { ecsRedeployService, type EcsRedeployServiceParams } from './ecs-redeploy-service.ts';
import { eksRestrictEndpoint, type EksRestrictEndpointParams } from './eks-restrict-endpoint.ts';
import { eksScaleNodegroup, type EksScaleNodegroupParams } from './eks-scale-nodegroup.ts';
import { iamDeactivateAccessKey, type IamDeactivateAccessKeyParams } from './iam-deactivate-access-key.ts';
import { lambdaThrottle, type LambdaThrottleParams } from './lambda-throttle.ts';
import { naclDenyIp, type NaclDenyIpParams } from './nacl-deny-ip.ts';
import { rdsRaiseMaxConnections, type RdsRaiseMaxConnectionsParams } from './rds-raise-max-connections.ts';
import { s3ProtectBucket, type S3ProtectBucketParams } from './s3-protect-bucket.ts';
import { sgRevokeIngress, type SgRevokeIngressParams } from './sg-revoke-ingress.ts';
import type { PlaybookSpec } from './types.ts';
import { wafBlockIps, type WafBlockIpsParams } from './waf-block-ips.ts';

/** Parameters of each playbook, by name. */
export interface PlaybookParams {
  'waf-block-ips': WafBlockIpsParams;
  'nacl-deny-ip': NaclDenyIpParams;
  'sg-revoke-ingress': SgRevokeIngressParams;
  'rds-raise-max-connections': RdsRaiseMaxConnectionsParams;
  'iam-deactivate-access-key': IamDeactivateAccessKeyParams;
  'lambda-throttle': LambdaThrottleParams;
  's3-protect-bucket': S3ProtectBucketParams;
  'ec2-stop-instance': Ec2StopInstanceParams;
  'ec2-isolate-instance': Ec2IsolateInstanceParams;
  'ecs-redeploy-service': EcsRedeployServiceParams;
  'eks-restrict-endpoint': EksRestrictEndpointParams;
  'eks-scale-nodegroup': EksScaleNodegroupParams;
}
export type PlaybookName = keyof PlaybookParams;

/** Every playbook; deploy creates one state machine per entry. */
export const PLAYBOOKS: { [N in PlaybookName]: PlaybookSpec<PlaybookParams[N]> } = {
  'waf-block-ips': wafBlockIps,
  'nacl-deny-ip': naclDenyIp,
  'sg-revoke-ingress': sgRevokeIngress,
  'rds-raise-max-connections': rdsRaiseMaxConnections,
  'iam-deactivate-access-key': iamDeactivateAccessKey,
  'lambda-throttle': lambdaThrottle,
  's3-protect-bucket': s3ProtectBucket,
  'ec2-stop-instance': ec2StopInstance,
  'ec2-isolate-instance': ec2IsolateInstance,
  'ecs-redeploy-service': ecsRedeployService,
  'eks-restrict-endpoint': eksRestrictEndpoint,
  'eks-scale-nodegroup': eksScaleNodegroup,
};
export const PLAYBOOK_NAMES = Object.keys(PLAYBOOKS) as PlaybookName[];

/** The spec of a playbook by name, with its parameter type erased (for code that handles any playbook). */
export function playbookSpec(name: PlaybookName): PlaybookSpec<unknown> {
  return PLAYBOOKS[name] as PlaybookSpec<unknown>;
}

export type * from './types.ts';
export { DEFAULT_PLAYBOOK_CONTEXT } from './types.ts';
export { FRAME, AUDIT_KEYS, NOTICE_MARKER } from './frame.ts';
export { naclRuleNumberFor } from './nacl-deny-ip.ts';
export { MissingInputError } from './inputs.ts';
export { sgRevokeIngressParams } from './sg-revoke-ingress.ts';
export { rdsRaiseMaxConnectionsParams } from './rds-raise-max-connections.ts';
export { s3ProtectBucketParams } from './s3-protect-bucket.ts';
export { ec2IsolateInstanceParams } from './ec2-isolate-instance.ts';
export { WAF_LOCK_ERRORS } from './waf-block-ips.ts';
export type {
  WafBlockIpsParams,
  NaclDenyIpParams,
  SgRevokeIngressParams,
  RdsRaiseMaxConnectionsParams,
  IamDeactivateAccessKeyParams,
  LambdaThrottleParams,
  S3ProtectBucketParams,
  Ec2StopInstanceParams,
  Ec2IsolateInstanceParams,
  EcsRedeployServiceParams,
  EksRestrictEndpointParams,
  EksScaleNodegroupParams,
};
