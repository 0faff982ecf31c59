import { defaultTopology } from '../../core/topology/default-topology.ts';
import type { EstateIds, Topology } from '../../core/topology/types.ts';
import { bootstrapWithBuiltin } from '../../harness/sut/index.ts';
import { resetMoto } from '../../emulator/moto-api.ts';
import { createAwsClients, type AwsClients, type AwsTarget } from '../../core/aws/index.ts';

export interface PipelineEnv extends AsyncDisposable {
  clients: AwsClients;
  topology: Topology;
  estate: EstateIds;
  /** More clients on another endpoint (e.g. a fault proxy), destroyed with the env. */
  clientsVia(endpoint: string, target?: AwsTarget): AwsClients;
}

/** A reset emulator with the whole topology bootstrapped: what every ingest e2e test starts from. */
export async function pipelineEnv(endpoint: string): Promise<PipelineEnv> {
  await resetMoto(endpoint);
  const clients = createAwsClients({ endpoint });
  const topology = defaultTopology();
  const estate = await bootstrapWithBuiltin(clients, topology);
  const extra: AwsClients[] = [];
  return {
    clients,
    topology,
    estate,
    clientsVia(ep, target = {}) {
      const c = createAwsClients({ ...target, endpoint: ep });
      extra.push(c);
      return c;
    },
    async [Symbol.asyncDispose]() {
      for (const c of extra) c.destroy();
      clients.destroy();
    },
  };
}
