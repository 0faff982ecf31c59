import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { EstateReaderClients } from '../../core/aws/index.ts';

export interface EcsDeployments {
  primaryId: string | undefined;
  ids: string[];
}

/** The ECS service's deployments: the primary one's id and every id, sorted. */
export async function ecsDeployments(c: Pick<EstateReaderClients, 'ecs'>, cluster: string, service: string): Promise<EcsDeployments> {
  const s = (await c.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0];
  const deps = s?.deployments ?? [];
  return { primaryId: deps.find((d) => d.status === 'PRIMARY')?.id ?? deps[0]?.id, ids: deps.map((d) => d.id ?? '').sort() };
}
