import { CopyObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { formats } from '../formats/registry.ts';
import { runIngest, type WireEvent } from '../harness/deliver/index.ts';
import { balanceLedger, formatLedger } from '../harness/ledger/index.ts';
import { readCurated, readStoredCounts } from '../pipeline/store/index.ts';
import { startFaultProxy, type FaultRates } from './support/fault-proxy.ts';
import { pipelineEnv } from './support/pipeline-env.ts';
import { eventMultiset, scenarioEvents } from './support/scenario-events.ts';

/** 30 % of all requests meet a fault. */
const RATES: FaultRates = { throttle: 0.08, unavailable: 0.06, drop: 0.04, dropAfterForward: 0.04, duplicate: 0.06, partialFailure: 0.02 };

/**
 * A scenario's events with every fifth one sent three times over: the same destination, timestamp and text, as
 * real VPC flow logs or WAF logs can carry. Small requests (16 events, records or lines) put many of the copies
 * in different requests, objects and envelopes — where content-keyed de-duplication dropped them.
 */
async function contentIdenticalEvents(env: Awaited<ReturnType<typeof pipelineEnv>>, limit: number): Promise<{ events: WireEvent[]; copies: number }> {
  const base = await scenarioEvents('scenarios/quiet-baseline.yaml', env.topology, env.estate, { limit });
  const events: WireEvent[] = [];
  let copies = 0;
  base.forEach((e, i) => {
    events.push(e);
    if (i % 5 === 0) {
      events.push({ ...e }, { ...e });
      copies += 2;
    }
  });
  return { events, copies };
}
const SMALL = { cwl: { maxEvents: 16 }, firehose: { maxRecords: 16 }, accessLogs: { maxLines: 16 } };
const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());

describe('content-identical events through a faulty network', () => {
  it('with 30 % throttling, 503s, dropped connections and duplicated deliveries every event is curated exactly once, copies included', async () => {
    await using env = await pipelineEnv(emulatorEndpoint());
    const { events, copies } = await contentIdenticalEvents(env, 1_500);
    await using proxy = await startFaultProxy(emulatorEndpoint(), { rates: RATES, seed: 2026 });
    // Sinks and the normalizer's runtime both go through the proxy; the read-back goes direct.
    const faulty = env.clientsVia(proxy.url, { maxAttempts: 4 });
    const r = await runIngest({ clients: faulty, runtimeClients: faulty, topology: env.topology, estate: env.estate, formats, events, idleTimeoutMs: 180_000, readBack: false, sinks: { limits: SMALL } });
    const ledger = balanceLedger(r.ingest, await readStoredCounts(env.clients.s3, env.topology, { requests: Object.keys(r.ingest.requests) }));

    const injected = [...proxy.injected.values()].reduce((a, b) => a + b, 0);
    expect(injected / proxy.requests).toBeGreaterThan(0.2);
    expect(copies).toBeGreaterThan(500);
    expect(ledger.problems, formatLedger(ledger)).toEqual([]);
    expect(ledger.balanced).toBe(true);
    // A PutLogEvents or PutRecordBatch stored twice (a retry after a lost answer, or a request the network
    // delivered twice) is two deliveries: kept downstream, and counted by the ledger as replayed.
    const replays = ['dropAfterForward', 'duplicate'].flatMap((f) => ['PutLogEvents', 'PutRecordBatch'].map((op) => proxy.injected.get(`${f} ${op}`) ?? 0)).reduce((a, b) => a + b, 0);
    const replayed = Object.values(ledger.sources).reduce((a, l) => a + l!.replayed, 0);
    expect(replays).toBeGreaterThan(0);
    expect(replayed).toBeGreaterThan(0);

    // Curated data: every event sent, each copy of a content-identical one included, plus exactly the replayed ones.
    const curated = await readCurated(env.clients.s3, env.topology);
    expect(new Set(curated.map((c) => (c as { dedupeKey?: string }).dedupeKey)).size).toBe(curated.length);
    expect(curated.length).toBe(events.length + replayed);
    const sent = count(eventMultiset(events));
    const got = count(eventMultiset(curated));
    for (const [k, n] of sent) expect(got.get(k) ?? 0, k).toBeGreaterThanOrEqual(n);
  }, 300_000);

  it('an object Firehose delivers again (the same CloudWatch Logs event ids) is counted as duplicates, never curated twice', async () => {
    await using env = await pipelineEnv(emulatorEndpoint());
    const { events } = await contentIdenticalEvents(env, 300);
    const first = await runIngest({ clients: env.clients, topology: env.topology, estate: env.estate, formats, events, sinks: { limits: SMALL } });
    expect(first.ledger!.balanced, formatLedger(first.ledger!)).toBe(true);
    const before = eventMultiset(await readCurated(env.clients.s3, env.topology));
    expect(before).toEqual(eventMultiset(events));

    // Copy two CloudWatch Logs objects under new keys, as Firehose's at-least-once delivery to S3 can; the copies'
    // notifications reach the normalizer like any other.
    const raw = env.topology.pipeline.rawBucket;
    const cwlKeys = (await env.clients.s3.send(new (await import('@aws-sdk/client-s3')).ListObjectsV2Command({ Bucket: raw, Prefix: `${env.topology.pipeline.rawPrefix}cwl/` }))).Contents!.map((o) => o.Key!).slice(0, 2);
    for (const key of cwlKeys) await env.clients.s3.send(new CopyObjectCommand({ Bucket: raw, Key: `${key}.again`, CopySource: `${raw}/${key}` }));
    const again = await runIngest({ clients: env.clients, topology: env.topology, estate: env.estate, formats, events: [] });
    const ledger = again.ledger!;
    const duplicates = Object.values(ledger.sources).reduce((a, l) => a + l!.duplicates, 0);
    expect(duplicates).toBeGreaterThan(0);
    expect(eventMultiset(await readCurated(env.clients.s3, env.topology))).toEqual(before);
    expect(ledger.unprocessed).toEqual([]);
  }, 120_000);
});
