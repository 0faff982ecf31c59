import { inject, describe, expect, it } from 'vitest';
import { formats } from '../formats/registry.ts';
import { runIngest } from '../harness/deliver/index.ts';
import { formatLedger } from '../harness/ledger/index.ts';
import { readCurated } from '../pipeline/store/index.ts';
import { startFaultProxy, type FaultRates } from './support/fault-proxy.ts';
import { pipelineEnv } from './support/pipeline-env.ts';
import { eventMultiset, scenarioEvents } from './support/scenario-events.ts';

/** 30 % of all requests meet a fault. */
const RATES: FaultRates = { throttle: 0.08, unavailable: 0.06, drop: 0.04, dropAfterForward: 0.04, duplicate: 0.06, partialFailure: 0.02 };

describe('a faulty network between the pipeline and AWS', () => {
  it('with 30 % throttling, 503s, dropped connections and duplicated deliveries every event is accounted for and curated data has no duplicate', async () => {
    await using env = await pipelineEnv(inject('emulatorEndpoint'));
    const events = await scenarioEvents('scenarios/quiet-baseline.yaml', env.topology, env.estate, { limit: 4_000 });
    await using proxy = await startFaultProxy(inject('emulatorEndpoint'), { rates: RATES, seed: 2026 });
    // Sinks and the normalizer's runtime both go through the proxy; the read-back goes direct.
    const faulty = env.clientsVia(proxy.url, { maxAttempts: 4 });
    const r = await runIngest({ clients: faulty, runtimeClients: faulty, topology: env.topology, estate: env.estate, formats, events, idleTimeoutMs: 180_000, readBack: false });
    const { balanceLedger } = await import('../harness/ledger/index.ts');
    const { readStoredCounts } = await import('../pipeline/store/index.ts');
    const ledger = balanceLedger(r.ingest, await readStoredCounts(env.clients.s3, env.topology));

    const injected = [...proxy.injected.values()].reduce((a, b) => a + b, 0);
    expect(injected / proxy.requests).toBeGreaterThan(0.2);
    expect(ledger.problems, formatLedger(ledger)).toEqual([]);
    expect(ledger.balanced).toBe(true);
    // Replayed PutLogEvents (a retry after a lost response, or a duplicated request) landed twice and were caught.
    const replays = (proxy.injected.get('dropAfterForward PutLogEvents') ?? 0) + (proxy.injected.get('duplicate PutLogEvents') ?? 0);
    const dropped = Object.values(ledger.sources).reduce((a, l) => a + l!.duplicates, 0);
    if (replays > 0) expect(dropped).toBeGreaterThan(0);
    const curated = await readCurated(env.clients.s3, env.topology);
    expect(new Set(curated.map((c) => `${c.source}/${c.id}`)).size).toBe(curated.length);
    expect(eventMultiset(curated)).toEqual(eventMultiset(events));
  }, 300_000);
});
