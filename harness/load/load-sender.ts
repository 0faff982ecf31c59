import type { EstateIds, Topology } from '../../core/topology/index.ts';
import { formats } from '../../formats/index.ts';
import { runIngest } from '../deliver/index.ts';
import type { AwsClients } from '../../core/aws/index.ts';
import { createSinks, pumpEvents } from '../deliver/pump-events.ts';
import type { IngestLedger, WireEvent } from '../deliver/types.ts';

/** Sends one tick's wire events and says what became of each (generated = accepted + rejected, per source). */
export interface LoadSender {
  send(events: Iterable<WireEvent>): Promise<IngestLedger>;
}

/**
 * On an emulator nothing runs the normalizer Lambda, so each tick goes through runIngest: the sinks, then the local
 * runtime feeding the normalizer until the pipeline is drained, so the tick's raw data is curated when it ends.
 * On AWS the sinks alone: the deployed Lambda normalizes, as it does for any other traffic.
 */
export function createLoadSender(clients: AwsClients, topology: Topology, estate: EstateIds, where: 'emulator' | 'aws'): LoadSender {
  if (where === 'aws') {
    return { send: (events) => pumpEvents(events, createSinks({ clients })) };
  }
  return {
    async send(events) {
      // The ledger is read back once at the end of the run (readStoredCounts reads every curated object, which
      // would grow with every tick), against the sum of the ticks' ledgers.
      const r = await runIngest({ clients, topology, estate, formats, events, readBack: false });
      return r.ingest;
    },
  };
}
