import { str } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask } from './frame.ts';
import type { PlaybookSpec } from './types.ts';

export interface EcsRedeployServiceParams {
  cluster: string;
  service: string;
  serviceArn: string;
}

/** Restart of an app whose cause is unknown; the circuit breaker keeps it from becoming a restart loop. */
export const ecsRedeployService: PlaybookSpec<EcsRedeployServiceParams> = {
  name: 'ecs-redeploy-service',
  description: 'force a new deployment of the ECS service',
  build: (ctx) =>
    framePlaybook(ctx, 'firedrill: force a new deployment of an ECS service', 'RedeployService', {
      RedeployService: sdkTask('ecs', 'updateService', { 'Cluster.$': '$.params.cluster', 'Service.$': '$.params.service', ForceNewDeployment: true }, FRAME.recordSuccess),
    }),
  inputs: ['cluster', 'service', 'serviceArn'],
  fromInputs: (i) => ({ cluster: str(i, 'cluster'), service: str(i, 'service'), serviceArn: str(i, 'serviceArn') }),
  targets: (p) => [{ type: 'ecs-service', arn: p.serviceArn }],
  resourceKeys: (p) => [`ecs-service:${p.cluster}/${p.service}`],
  outcomes: (p) => [{ outcome: 'ecs-service-redeployed', cluster: p.cluster, service: p.service }],
};
