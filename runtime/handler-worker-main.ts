import { parentPort, workerData } from 'node:worker_threads';
import type { Topology } from '../core/topology/index.ts';
import { formats } from '../formats/index.ts';
import { createAwsClients, type AwsTarget } from '../core/aws/index.ts';
import { createNormalizerHandler } from '../pipeline/handlers/index.ts';
import type { SqsEvent } from '../core/index.ts';

/** What the main thread sends to build the handler (structured-cloneable: no clients, no functions). */
export interface HandlerWorkerData {
  handler: 'normalizer';
  target: Omit<AwsTarget, 'ledger'>;
  topology: Topology;
}

export type HandlerWorkerRequest = { id: number; event: SqsEvent };
export type HandlerWorkerReply = { id: number; result: unknown } | { id: number; error: string };

const data = workerData as HandlerWorkerData;
const clients = createAwsClients(data.target);
const handler = createNormalizerHandler({ s3: clients.s3, topology: data.topology, formats });

parentPort!.on('message', (msg: HandlerWorkerRequest | 'close') => {
  if (msg === 'close') {
    clients.destroy();
    parentPort!.close();
    return;
  }
  handler(msg.event).then(
    (result) => parentPort!.postMessage({ id: msg.id, result } satisfies HandlerWorkerReply),
    (err: unknown) => parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies HandlerWorkerReply),
  );
});
