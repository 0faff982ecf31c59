import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { describe, expect, it } from 'vitest';
import { CloudWatchLogsSink } from './cloudwatch-logs-sink.ts';
import { FirehoseSink, encodeRecords } from './firehose-sink.ts';
import { IngestTally, type WireEvent } from './types.ts';
import { stillReachable } from '../../test/support/collect-garbage.ts';

/** A stand-in for the SDK client: answers by command name. (The e2e suite runs the real thing on moto.) */
function fakeClient<C>(answer: (name: string, input: Record<string, unknown>) => Promise<unknown>): C {
  return { send: (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => answer(cmd.constructor.name, cmd.input) } as unknown as C;
}
const err = (name: string, status = 400) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const now = Date.now();
const ev = (stream: string, i: number, group = '/aws/lambda/f'): WireEvent => ({ time: now - 1_000 + i, source: 'lambda', dest: { kind: 'cwl', logGroup: group, logStream: stream }, message: `m${i}` });

describe('CloudWatchLogsSink', () => {
  it('retries throttling, counts AWS rejections by reason, and keeps each stream sequential under bounded concurrency', async () => {
    let throttles = 2;
    let active = 0;
    let maxActive = 0;
    const perStream = new Map<string, number>();
    const client = fakeClient<CloudWatchLogsClient>(async (name, input) => {
      if (name === 'CreateLogStreamCommand') return {};
      const stream = input.logStreamName as string;
      if (throttles-- > 0) throw err('ThrottlingException');
      active++;
      perStream.set(stream, (perStream.get(stream) ?? 0) + 1);
      maxActive = Math.max(maxActive, active);
      expect(perStream.get(stream)).toBe(1);
      await new Promise((r) => setTimeout(r, 5));
      perStream.set(stream, perStream.get(stream)! - 1);
      active--;
      return stream === 's0' ? { rejectedLogEventsInfo: { tooOldLogEventEndIndex: 1 } } : {};
    });
    const tally = new IngestTally();
    const sink = new CloudWatchLogsSink({ client, tally, concurrency: 2, retry: { baseMs: 1 }, limits: { maxEvents: 3, maxBatchBytes: 1_048_576, perEventOverhead: 26, maxSpanMs: 86_400_000, maxEventBytes: 1_048_576, maxAgeMs: 14 * 86_400_000, maxFutureMs: 7_200_000 } });
    for (let i = 0; i < 30; i++) await sink.add(ev(`s${i % 5}`, i));
    await sink.flush();
    const l = tally.snapshot();
    expect(l.sources.lambda).toEqual({ generated: 30, accepted: 28, rejected: { tooOld: 2 } });
    expect(l.retries.PutLogEvents).toBe(2);
    expect(maxActive).toBeLessThanOrEqual(2);
  });

  it('sends a quiet stream once its buffer spans bufferSpanMs of event time, and the largest buffer past maxBufferedBytes', async () => {
    const requests: { stream: string; n: number }[] = [];
    const client = fakeClient<CloudWatchLogsClient>(async (name, input) => {
      if (name === 'PutLogEventsCommand') requests.push({ stream: input.logStreamName as string, n: (input.logEvents as unknown[]).length });
      return {};
    });
    const tally = new IngestTally();
    const sink = new CloudWatchLogsSink({ client, tally, bufferSpanMs: 60_000, maxBufferedBytes: 200 });
    const at = (stream: string, dt: number, message = 'x'): WireEvent => ({ time: now - 3_600_000 + dt, source: 'lambda', dest: { kind: 'cwl', logGroup: '/aws/lambda/f', logStream: stream }, message });
    sink.add(at('quiet', 0));
    sink.add(at('quiet', 30_000));
    await new Promise((r) => setTimeout(r, 5));
    expect(requests).toEqual([]);
    sink.add(at('quiet', 60_000));
    await new Promise((r) => setTimeout(r, 5));
    expect(requests).toEqual([{ stream: 'quiet', n: 3 }]);
    // 26 bytes of overhead per event: the eighth event of 'busy' passes 200 bytes, and only 'busy' is sent.
    sink.add(at('other', 0));
    for (let i = 0; i < 7; i++) sink.add(at('busy', i));
    await new Promise((r) => setTimeout(r, 5));
    expect(requests).toEqual([{ stream: 'quiet', n: 3 }, { stream: 'busy', n: 7 }]);
    await sink.flush();
    expect(requests.at(-1)).toEqual({ stream: 'other', n: 1 });
    // One fingerprint per request, each answered once.
    expect(Object.values(tally.snapshot().requests).map((r) => [r.events, r.sends])).toEqual([[3, 1], [7, 1], [1, 1]]);
  });

  it('reports the oldest event it holds unanswered, and settles: sends the buffers older than asked, waits for every answer', async () => {
    const requests: string[] = [];
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    const client = fakeClient<CloudWatchLogsClient>(async (name, input) => {
      if (name !== 'PutLogEventsCommand') return {};
      requests.push(input.logStreamName as string);
      await answered;
      return {};
    });
    const tally = new IngestTally();
    const sink = new CloudWatchLogsSink({ client, tally, bufferSpanMs: 3_600_000 });
    const T = now - 3_600_000;
    const at = (stream: string, dt: number): WireEvent => ({ time: T + dt, source: 'lambda', dest: { kind: 'cwl', logGroup: '/aws/lambda/f', logStream: stream }, message: 'x' });
    expect(sink.oldestUnanswered()).toBeUndefined();
    sink.add(at('old', 0));
    sink.add(at('old', 10_000));
    sink.add(at('new', 60_000));
    expect(sink.oldestUnanswered()).toBe(T);
    let settled: number | undefined | 'pending' = 'pending';
    const settling = sink.settle(T + 30_000).then((t) => (settled = t));
    await new Promise((r) => setTimeout(r, 5));
    // The old stream's buffer is on its way but unanswered: it still holds the watermark; the newer one stays buffered.
    expect(requests).toEqual(['old']);
    expect(sink.oldestUnanswered()).toBe(T);
    expect(settled).toBe('pending');
    answer();
    await settling;
    expect(settled).toBe(T + 60_000);
    await sink.flush();
    expect(sink.oldestUnanswered()).toBeUndefined();
    expect(tally.snapshot().sources.lambda).toEqual({ generated: 3, accepted: 3, rejected: {} });
  });

  it('buffers the time, line and source of an event, not the event and its per-event destination', async () => {
    const sent: unknown[] = [];
    const client = fakeClient<CloudWatchLogsClient>(async (name, input) => {
      if (name === 'PutLogEventsCommand') sent.push(input.logEvents);
      return {};
    });
    const tally = new IngestTally();
    const sink = new CloudWatchLogsSink({ client, tally });
    // Made and handed over in a function of their own: the suspended test keeps no variable pointing at them.
    const refs = ((): WeakRef<object>[] =>
      [0, 1, 2].flatMap((i) => {
        const e = ev('s', i);
        sink.add(e);
        return [new WeakRef(e), new WeakRef(e.dest)];
      }))();
    // Buffered (nothing sent yet: far below every limit), and none of the events nor their destinations held.
    expect(sent).toEqual([]);
    expect(await stillReachable(refs)).toBe(0);
    await sink.flush();
    expect(sent).toEqual([[0, 1, 2].map((i) => ({ timestamp: now - 1_000 + i, message: `m${i}` }))]);
    expect(tally.snapshot().sources.lambda).toEqual({ generated: 3, accepted: 3, rejected: {} });
  });

  it('rejects events of a log group that does not exist as unknownDestination', async () => {
    const client = fakeClient<CloudWatchLogsClient>(async (name) => {
      if (name === 'CreateLogStreamCommand') throw err('ResourceNotFoundException');
      throw new Error('never sent');
    });
    const tally = new IngestTally();
    const sink = new CloudWatchLogsSink({ client, tally });
    sink.add(ev('s', 1, '/nope'));
    await sink.flush();
    expect(tally.snapshot().sources.lambda!.rejected).toEqual({ unknownDestination: 1 });
  });
});

describe('FirehoseSink', () => {
  it('reports the oldest record it holds unanswered and settles on what is older than asked', async () => {
    const batches: number[] = [];
    const client = fakeClient<FirehoseClient>(async (_name, input) => {
      batches.push((input.Records as unknown[]).length);
      return { FailedPutCount: 0, RequestResponses: (input.Records as unknown[]).map(() => ({ RecordId: 'r' })) };
    });
    const tally = new IngestTally();
    const sink = new FirehoseSink({ client, tally });
    const rec = (stream: string, time: number): WireEvent => ({ time, source: 'waf', dest: { kind: 'firehose', deliveryStream: stream }, message: '{}' });
    sink.add(rec('a', 2_000));
    sink.add(rec('a', 1_000));
    sink.add(rec('b', 5_000));
    expect(sink.oldestUnanswered()).toBe(1_000);
    expect(await sink.settle(3_000)).toBe(5_000);
    expect(batches).toEqual([2]);
    expect(await sink.settle(3_000)).toBe(5_000);
    await sink.flush();
    expect(sink.oldestUnanswered()).toBeUndefined();
    expect(batches).toEqual([2, 1]);
  });

  it('resends only the records a response reports failed', async () => {
    const sent: string[][] = [];
    let round = 0;
    const client = fakeClient<FirehoseClient>(async (_name, input) => {
      const records = (input.Records as { Data: Uint8Array }[]).map((r) => new TextDecoder().decode(r.Data));
      sent.push(records);
      const fail = round++ === 0 ? new Set([1, 3]) : new Set<number>();
      return { FailedPutCount: fail.size, RequestResponses: records.map((_, i) => (fail.has(i) ? { ErrorCode: 'ServiceUnavailableException' } : { RecordId: `r${i}` })) };
    });
    const tally = new IngestTally();
    const sink = new FirehoseSink({ client, tally, retry: { baseMs: 1 } });
    for (let i = 0; i < 5; i++) sink.add({ time: now, source: 'waf', dest: { kind: 'firehose', deliveryStream: 'aws-waf-logs-x' }, message: `{"n":${i}}` });
    await sink.flush();
    expect(sent).toEqual([['{"n":0}\n', '{"n":1}\n', '{"n":2}\n', '{"n":3}\n', '{"n":4}\n'], ['{"n":1}\n', '{"n":3}\n']]);
    expect(tally.snapshot().sources.waf).toEqual({ generated: 5, accepted: 5, rejected: {} });
  });

  it('encodes a request\'s records into one buffer, each record its UTF-8 line and newline, and sizes them as encoded', () => {
    const lines = ['{"a":1}', 'ünïcødé ✓ 𝄞', ''];
    const records = encodeRecords(lines.map((message, i) => ({ message, bytes: Buffer.byteLength(message) + 1, source: 'waf' as const, time: i })));
    expect(records.map((r) => new TextDecoder().decode(r.data))).toEqual(lines.map((l) => `${l}\n`));
    expect(records.map((r) => r.data.byteLength)).toEqual(lines.map((l) => new TextEncoder().encode(`${l}\n`).byteLength));
    expect(new Set(records.map((r) => r.data.buffer)).size).toBe(1);
  });

  it('refuses a record whose UTF-8 bytes, not its characters, pass the record limit', async () => {
    const client = fakeClient<FirehoseClient>(async (_name, input) => ({ FailedPutCount: 0, RequestResponses: (input.Records as unknown[]).map(() => ({ RecordId: 'r' })) }));
    const tally = new IngestTally();
    const sink = new FirehoseSink({ client, tally, limits: { maxRecords: 500, maxBatchBytes: 4 * 1024 * 1024, maxRecordBytes: 10 } });
    // 5 characters, 10 bytes with the newline (ü is 2 bytes): within; one more ü is 12 bytes: refused.
    sink.add({ time: now, source: 'waf', dest: { kind: 'firehose', deliveryStream: 's' }, message: 'üüüü_' });
    sink.add({ time: now, source: 'waf', dest: { kind: 'firehose', deliveryStream: 's' }, message: 'üüüüü' });
    await sink.flush();
    expect(tally.snapshot().sources.waf).toEqual({ generated: 2, accepted: 1, rejected: { recordTooLarge: 1 } });
  });

  it('holds the sender once one request more than it sends at once waits for an answer', async () => {
    const answers: (() => void)[] = [];
    const client = fakeClient<FirehoseClient>(
      (_name, input) => new Promise((ok) => answers.push(() => ok({ FailedPutCount: 0, RequestResponses: (input.Records as unknown[]).map(() => ({ RecordId: 'r' })) }))),
    );
    const sink = new FirehoseSink({ client, tally: new IngestTally(), concurrency: 2, limits: { maxRecords: 1, maxBatchBytes: 4 * 1024 * 1024, maxRecordBytes: 1_024_000 } });
    const add = (i: number) => sink.add({ time: now + i, source: 'waf', dest: { kind: 'firehose', deliveryStream: 's' }, message: `{"n":${i}}` });
    // maxRecords 1: each add cuts the request of the record before (the last stays buffered for more). Requests 0 and 1
    // sent (concurrency 2) do not hold the sender; request 2 ready behind them does (twice the concurrency did not).
    expect([add(0), add(1), add(2)]).toEqual([undefined, undefined, undefined]);
    const held = add(3);
    expect(held).toBeInstanceOf(Promise);
    let released = false;
    void held!.then(() => (released = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(released).toBe(false);
    answers.shift()!();
    await held;
    expect(released).toBe(true);
    while (answers.length) answers.shift()!();
  });
});
