import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createAwsClients } from '../../../core/aws/index.ts';

/** The document's Terraform creates the three log groups the mock task writes to and the agent reads. */
export const LOG_GROUPS = ['/aws/rds/instance/mydb/postgresql', '/ecs/my-python-service', '/aws/ecs/containerinsights/my-cluster/performance'];

export async function setup(ctx: { endpoint?: string | undefined; region: string }): Promise<Record<string, string>> {
  const clients = createAwsClients({ region: ctx.region, ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}) });
  try {
    for (const logGroupName of LOG_GROUPS) {
      await clients.logs.send(new CreateLogGroupCommand({ logGroupName, tags: { 'firedrill:managed': 'true' } })).catch((err: unknown) => {
        if ((err as Error).name !== 'ResourceAlreadyExistsException') throw err;
      });
    }
    return {};
  } finally {
    clients.destroy();
  }
}
