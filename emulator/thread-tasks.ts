import { parentPort, workerData } from 'node:worker_threads';
import type { TargetCapabilities } from '../core/index.ts';
import { createAwsClients } from '../core/aws/index.ts';
import type { Topology } from '../core/topology/index.ts';
import { bootstrap } from './bootstrap.ts';
import { warmUpMoto } from './warm-up-moto.ts';
import type { ThreadReply, ThreadTask } from './run-in-thread.ts';

/**
 * The thread side of runInThread (loaded only in a task thread, through task-thread.mjs): runs the one task its
 * workerData names and posts its log lines, then its result or its error.
 */
const post = (reply: ThreadReply) => parentPort!.postMessage(reply);

async function run(task: ThreadTask): Promise<unknown> {
  switch (task.kind) {
    case 'warm-up':
      return warmUpMoto(task.endpoint);
    case 'bootstrap': {
      const clients = createAwsClients({ endpoint: task.endpoint, region: task.region });
      try {
        return await bootstrap(clients, task.topology as Topology, { capabilities: task.capabilities as TargetCapabilities, log: (line) => post({ type: 'log', line }) });
      } finally {
        clients.destroy();
      }
    }
  }
}

try {
  post({ type: 'result', value: await run(workerData as ThreadTask) });
} catch (err) {
  const e: Error & { expected?: string; seen?: string; fix?: string } = err instanceof Error ? err : new Error(String(err));
  post({ type: 'error', error: { name: e.name, message: e.message, stack: e.stack, expected: e.expected, seen: e.seen, fix: e.fix } });
}
