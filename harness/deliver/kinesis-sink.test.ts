import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { KinesisSink } from './kinesis-sink.ts';
import { pumpEvents } from './pump-events.ts';
import { IngestTally, type WireEvent } from './types.ts';

type Put = PutRecordsCommand['input'];

/** A stand-in Kinesis that fails the records `fail` picks (by call and position) and keeps every record it stored. */
function fakeKinesis(fail: (call: number, i: number) => string | undefined = () => undefined) {
  const calls: Put[] = [];
  const stored: Uint8Array[] = [];
  const client = {
    send: async (cmd: { input: Put }) => {
      const input = cmd.input;
      calls.push(input);
      const results = input.Records!.map((r, i) => {
        const code = fail(calls.length - 1, i);
        if (code) return { ErrorCode: code, ErrorMessage: 'Rate exceeded for shard' };
        stored.push(r.Data!);
        return { SequenceNumber: String(stored.length), ShardId: 'shardId-000000000000' };
      });
      return { FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length, Records: results };
    },
  } as unknown as KinesisClient;
  return { client, calls, stored };
}

const decode = (data: Uint8Array) => JSON.parse(gunzipSync(data).toString('utf8')) as { messageType: string; owner: string; logGroup: string; logStream: string; logEvents: { id: string; timestamp: number; message: string }[] };

function events(n: number, streams: number, size = 40): WireEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    time: 1_700_000_000_000 + i,
    source: 'vpcflow' as const,
    dest: { kind: 'kinesis' as const, stream: 'flows', logGroup: '/vpc/flows', logStream: `eni-${i % streams}-all` },
    message: `line ${i} ${'x'.repeat(size)}`,
  }));
}

const sinksWith = (client: KinesisClient, limits: ConstructorParameters<typeof KinesisSink>[0]['limits'] = {}) => {
  const tally = new IngestTally();
  const kinesis = new KinesisSink({ client, tally, account: '123456789012', retry: { baseMs: 1, maxMs: 2 }, limits });
  const idle = { add: () => undefined, flush: async () => {} };
  return { tally, cwl: idle, firehose: idle, s3: idle, kinesis } as unknown as Parameters<typeof pumpEvents>[1];
};

describe('KinesisSink', () => {
  it('puts subscription envelopes within the per-call limits, every event exactly once', async () => {
    const k = fakeKinesis();
    const sent = events(3_000, 7);
    // Small envelopes and calls, so the 3,000 events take many records and many calls.
    const ledger = await pumpEvents(sent, sinksWith(k.client, { maxEventsPerRecord: 10, maxRecords: 50, maxBatchBytes: 64 * 1024 }));
    expect(ledger.sources.vpcflow).toEqual({ generated: 3_000, accepted: 3_000, rejected: {} });
    for (const c of k.calls) {
      expect(c.Records!.length).toBeLessThanOrEqual(50);
      expect(c.Records!.reduce((n, r) => n + r.Data!.byteLength + Buffer.byteLength(r.PartitionKey!), 0)).toBeLessThanOrEqual(64 * 1024);
    }
    const envelopes = k.stored.map(decode);
    expect(envelopes.every((e) => e.messageType === 'DATA_MESSAGE' && e.owner === '123456789012' && e.logGroup === '/vpc/flows')).toBe(true);
    const got = envelopes.flatMap((e) => e.logEvents.map((x) => x.message));
    expect(got.sort()).toEqual(sent.map((e) => e.message).sort());
    // One stream's events keep their order, and every event has its own id.
    const ofStream = envelopes.filter((e) => e.logStream === 'eni-3-all').flatMap((e) => e.logEvents.map((x) => x.timestamp));
    expect(ofStream).toEqual([...ofStream].sort((a, b) => a - b));
    expect(new Set(envelopes.flatMap((e) => e.logEvents.map((x) => x.id))).size).toBe(3_000);
  });

  it('resends only the records a response reports failed, and counts what still fails after the rounds as refused', async () => {
    // Every other record fails on the first call; record 0 of any later call always fails.
    const k = fakeKinesis((call, i) => (call === 0 && i % 2 === 1 ? 'ProvisionedThroughputExceededException' : call > 0 && i === 0 ? 'InternalFailure' : undefined));
    const ledger = await pumpEvents(events(100, 1), sinksWith(k.client, { maxEventsPerRecord: 10 }));
    // 10 records: 5 stored at once; the 5 resent lose their first one each round until the rounds end.
    expect(k.calls[0]!.Records).toHaveLength(10);
    expect(k.calls[1]!.Records).toHaveLength(5);
    expect(k.calls[1]!.Records!.map((r) => r.Data)).toEqual(k.calls[0]!.Records!.filter((_, i) => i % 2 === 1).map((r) => r.Data));
    const c = ledger.sources.vpcflow!;
    expect(c.generated).toBe(100);
    expect(c.accepted + (c.rejected.sendFailed ?? 0)).toBe(100);
    expect(c.accepted).toBe(90);
    expect(ledger.examples[0]!.detail).toMatch(/still failing after 8 rounds: InternalFailure/);
    expect(new Set(k.stored.map(decode).flatMap((e) => e.logEvents.map((x) => x.message))).size).toBe(90);
  });

  it('refuses an event too large for one record, and every event of a stream that does not exist', async () => {
    const k = fakeKinesis();
    // Random text: gzip cannot bring it under the record limit.
    const tooBig = events(1, 1).map((e) => ({ ...e, message: randomBytes(100 * 1024).toString('hex') }));
    const ledger = await pumpEvents([...events(3, 1), ...tooBig, ...events(5, 1)], sinksWith(k.client, { maxRecordBytes: 64 * 1024, maxEnvelopeBytes: 32 * 1024 }));
    expect(ledger.sources.vpcflow!.rejected.recordTooLarge).toBe(1);
    expect(ledger.sources.vpcflow!.accepted).toBe(8);

    const missing = { send: async () => Promise.reject(Object.assign(new Error('Stream flows under account 123456789012 not found.'), { name: 'ResourceNotFoundException' })) } as unknown as KinesisClient;
    const none = await pumpEvents(events(20, 2), sinksWith(missing));
    expect(none.sources.vpcflow).toEqual({ generated: 20, accepted: 0, rejected: { unknownDestination: 20 } });
    expect(none.examples[0]!.detail).toBe('Kinesis stream flows does not exist');
  });
});
