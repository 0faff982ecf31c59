import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineWriter, toCloudWatchEvents, toFirehoseRecords, toNativeLines } from './adapters.ts';

const cwl = { time: 5, dest: { kind: 'cwl', logGroup: 'g', logStream: 's' } as const, message: 'm1' };
const fh = { time: 6, dest: { kind: 'firehose', deliveryStream: 'aws-waf-logs-x' } as const, message: '{"a":1}' };

describe('adapters', () => {
  it('adapts events to native lines, CloudWatch Logs events and Firehose records', () => {
    expect([...toNativeLines([cwl, fh])]).toEqual(['m1', '{"a":1}']);
    expect([...toCloudWatchEvents([cwl])]).toEqual([{ logGroup: 'g', logStream: 's', timestamp: 5, message: 'm1' }]);
    expect([...toFirehoseRecords([fh])]).toEqual([{ deliveryStream: 'aws-waf-logs-x', data: '{"a":1}\n' }]);
    expect(() => [...toCloudWatchEvents([fh])]).toThrow(/expected: dest.kind 'cwl'/);
    expect(() => [...toFirehoseRecords([cwl])]).toThrow(/seen: {5}dest.kind 'cwl'/);
  });
  it('waits for drain when the stream pushes back', async () => {
    const stream = new PassThrough({ highWaterMark: 16 });
    const chunks: string[] = [];
    const w = new LineWriter(stream, { chunkChars: 8 });
    let waited = 0;
    const consumer = (async () => {
      for await (const c of stream) chunks.push(String(c));
    })();
    for (let i = 0; i < 200; i++) {
      const p = w.write(`line-${i}`);
      if (p) {
        waited++;
        await p;
      }
    }
    await w.close();
    stream.end();
    await consumer;
    expect(waited).toBeGreaterThan(0);
    expect(chunks.join('').split('\n').length).toBe(201);
  });
  it('writes byte chunks in order with text lines, copying them, and counts their lines', async () => {
    const stream = new PassThrough();
    const got: Buffer[] = [];
    stream.on('data', (c: Buffer) => got.push(c));
    const w = new LineWriter(stream);
    const chunk = new Uint8Array(Buffer.from('b1\nb2\n'));
    w.write('a1');
    await w.writeChunk(chunk, 2);
    chunk.fill(0); // the generator reuses its buffer at once
    w.write('c1');
    await w.close();
    stream.end();
    expect(Buffer.concat(got).toString()).toBe('a1\nb1\nb2\nc1\n');
    expect(w.lines).toBe(4);
    expect(w.chars).toBe(12);
  });
});
