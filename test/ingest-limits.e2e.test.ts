import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { DAY, HOUR } from '../core/clock.ts';
import { formats } from '../formats/registry.ts';
import { runIngest } from '../harness/deliver/index.ts';
import type { WireEvent } from '../harness/deliver/index.ts';
import { readCurated } from '../pipeline/store/index.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { pipelineEnv } from './support/pipeline-env.ts';
import { eventMultiset, scenarioEvents } from './support/scenario-events.ts';

describe('sinks enforce the AWS limits moto does not', () => {
  it('PutLogEvents: 10,000 events, 1 MiB (+26 B/event), 24 h span, oversize/too old/too new rejected with reasons', async () => {
    await using env = await pipelineEnv(emulatorEndpoint());
    const group = env.topology.pipeline.logGroups.find((g) => g.source === 'lambda')!.name;
    const now = Date.now();
    const dest = (logStream: string) => ({ kind: 'cwl' as const, logGroup: group, logStream });
    const start = (t: number, stream: string): WireEvent => ({ time: t, source: 'lambda', dest: dest(stream), message: `START RequestId: ${randomUUID()} Version: $LATEST` });
    const app = (t: number, stream: string, size: number): WireEvent => ({
      time: t,
      source: 'lambda',
      dest: dest(stream),
      message: `${new Date(t).toISOString()}\t${randomUUID()}\tINFO\t${'x'.repeat(size)}`,
    });
    const events: WireEvent[] = [
      // 25,000 small events in one stream: three requests (10,000 + 10,000 + 5,000).
      ...Array.from({ length: 25_000 }, (_, i) => start(now - HOUR + i, 'count')),
      // 1,200 events of ~1 KB: the 1,048,576-byte limit cuts them into two requests.
      ...Array.from({ length: 1_200 }, (_, i) => app(now - HOUR + i, 'bytes', 900)),
      // Thirteen days apart: the 24-hour span limit forces two requests.
      start(now - 13 * DAY, 'span'),
      start(now - HOUR, 'span'),
      // Refused before sending, as AWS would refuse them.
      app(now - HOUR, 'oversize', 1_048_576),
      start(now - 15 * DAY, 'old'),
      start(now + 3 * HOUR, 'new'),
    ];
    const r = await runIngest({ clients: env.clients, topology: env.topology, estate: env.estate, formats, events });
    const lambda = r.ingest.sources.lambda!;
    expect(lambda.generated).toBe(events.length);
    expect(lambda.rejected).toEqual({ eventTooLarge: 1, tooOld: 1, tooNew: 1 });
    expect(lambda.accepted).toBe(events.length - 3);
    // 3 (count) + 2 (bytes) + 2 (span): nothing oversize was ever sent.
    expect(r.ingest.calls.PutLogEvents).toBe(7);
    expect(r.ledger!.problems).toEqual([]);
    expect(r.ledger!.sources.lambda!.normalized).toBe(events.length - 3);
  });

  it('PutRecordBatch: 500 records per call, and only the failed records are resent after FailedPutCount > 0', async () => {
    await using env = await pipelineEnv(emulatorEndpoint());
    const all = await scenarioEvents('scenarios/quiet-baseline.yaml', env.topology, env.estate, { limit: 12_000 });
    const waf = all.filter((e) => e.source === 'waf').slice(0, 1_200);
    expect(waf.length).toBe(1_200);
    await using proxy = await startFaultProxy(emulatorEndpoint(), { rates: { partialFailure: 0.5 }, seed: 7 });
    const viaProxy = env.clientsVia(proxy.url);
    const r = await runIngest({ clients: viaProxy, runtimeClients: env.clients, topology: env.topology, estate: env.estate, formats, events: waf });
    expect(proxy.injected.get('partialFailure PutRecordBatch') ?? 0).toBeGreaterThan(0);
    expect(r.ingest.sources.waf).toEqual({ generated: 1_200, accepted: 1_200, rejected: {} });
    expect(r.ingest.retries['PutRecordBatch.partial']).toBeGreaterThan(0);
    expect(r.ledger!.problems).toEqual([]);
    // Resending only the failed records means no record landed twice.
    expect(r.ledger!.sources.waf!.duplicates).toBe(0);
    expect(eventMultiset(await readCurated(env.clients.s3, env.topology))).toEqual(eventMultiset(waf));
  });
});
