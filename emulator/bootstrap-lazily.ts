import type { AwsClients } from '../core/aws/index.ts';
import type { EstateIds, Topology } from '../core/topology/index.ts';
import type { BootstrapOptions } from './bootstrap.ts';

/**
 * bootstrap() in the caller's thread, its module (and the SDK packages it imports) loaded on the first call: this
 * folder's index is imported by every drill, which bootstraps in a thread of its own (bootstrapInThread), and a
 * module loaded here would stay loaded for the whole drill.
 */
export async function bootstrap(clients: AwsClients, topology: Topology, opts: BootstrapOptions = {}): Promise<EstateIds> {
  return (await import('./bootstrap.ts')).bootstrap(clients, topology, opts);
}
