import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { formats } from '../formats/registry.ts';
import { runIngest } from '../harness/deliver/index.ts';
import { readCurated } from '../pipeline/store/index.ts';
import { pipelineEnv } from './support/pipeline-env.ts';
import { eventMultiset, scenarioEvents } from './support/scenario-events.ts';

describe('ingest: generate → CloudWatch Logs / Firehose / S3 → raw → SQS → normalizer → curated', () => {
  it('quiet-baseline lands and normalizes every event, the ledger balances to the event', async () => {
    await using env = await pipelineEnv(emulatorEndpoint());
    const events = await scenarioEvents('scenarios/quiet-baseline.yaml', env.topology, env.estate, { limit: 8_000 });
    expect(events.length).toBeGreaterThan(1_000);
    const r = await runIngest({ clients: env.clients, topology: env.topology, estate: env.estate, formats, events });
    expect(r.ledger!.problems).toEqual([]);
    expect(r.ledger!.balanced).toBe(true);

    const curated = await readCurated(env.clients.s3, env.topology);
    // Curated data equals the input: the same count per source and the very same lines.
    expect(eventMultiset(curated)).toEqual(eventMultiset(events));
    const sources = new Set(events.map((e) => e.source));
    for (const s of sources) expect(r.ledger!.sources[s]!.normalized).toBe(events.filter((e) => e.source === s).length);
    // Every record carries its event time and a stable id.
    expect(curated.every((c) => Number.isFinite(c.time) && c.id.length > 0)).toBe(true);
  });

  it('a notification delivered twice changes nothing', async () => {
    await using env = await pipelineEnv(emulatorEndpoint());
    const events = await scenarioEvents('scenarios/quiet-baseline.yaml', env.topology, env.estate, { limit: 1_500 });
    const first = await runIngest({ clients: env.clients, topology: env.topology, estate: env.estate, formats, events });
    expect(first.ledger!.balanced).toBe(true);
    const before = eventMultiset(await readCurated(env.clients.s3, env.topology));

    // Replay every raw object's notification by hand (at-least-once delivery), then drain again.
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const raw = await env.clients.s3.send(new ListObjectsV2Command({ Bucket: env.topology.pipeline.rawBucket, Prefix: env.topology.pipeline.rawPrefix }));
    for (const o of raw.Contents ?? []) {
      const body = JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: env.topology.pipeline.rawBucket }, object: { key: encodeURIComponent(o.Key!) } } }] });
      await env.clients.sqs.send(new SendMessageCommand({ QueueUrl: env.estate.queues.rawEvents, MessageBody: body }));
    }
    const second = await runIngest({ clients: env.clients, topology: env.topology, estate: env.estate, formats, events: [] });
    expect(second.runtime[0]!.received).toBeGreaterThanOrEqual(raw.Contents!.length);
    expect(eventMultiset(await readCurated(env.clients.s3, env.topology))).toEqual(before);
  }, 300_000);
});
