import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { stillReachable } from '../../test/support/collect-garbage.ts';
import { S3AccessLogSink } from './s3-access-log-sink.ts';
import { IngestTally, type WireEvent } from './types.ts';

const line = (i: number, source: WireEvent['source'] = 's3access'): WireEvent => ({ time: 1_700_000_000_000 + i, source, dest: { kind: 's3', bucket: 'logs', prefix: 'access/' }, message: `line ${i}` });

describe('S3AccessLogSink', () => {
  it('keeps only the body and the lines per source of an object in flight, and counts them when it is answered', async () => {
    const bodies: string[] = [];
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    const client = {
      send: async (cmd: { input: { Body: string } }) => {
        bodies.push(cmd.input.Body);
        await answered;
        return {};
      },
    } as unknown as S3Client;
    const tally = new IngestTally();
    const sink = new S3AccessLogSink({ client, tally, maxLines: 3 });
    // The fourth line closes an object of three, which waits for its answer; made in a function of their own so the
    // suspended test keeps no variable pointing at them.
    const refs = ((): WeakRef<object>[] =>
      [0, 1, 2, 3].flatMap((i) => {
        const e = line(i, i === 1 ? 'cloudtrail' : 's3access');
        sink.add(e);
        return i < 3 ? [new WeakRef(e), new WeakRef(e.dest)] : [];
      }))();
    await new Promise((r) => setTimeout(r, 0));
    expect(bodies).toEqual(['line 0\nline 1\nline 2\n']);
    expect(await stillReachable(refs)).toBe(0);
    answer();
    await sink.flush();
    expect(bodies).toEqual(['line 0\nline 1\nline 2\n', 'line 3\n']);
    const l = tally.snapshot();
    expect(l.sources.s3access).toEqual({ generated: 3, accepted: 3, rejected: {} });
    expect(l.sources.cloudtrail).toEqual({ generated: 1, accepted: 1, rejected: {} });
    expect(l.s3Objects).toHaveLength(2);
  });

  it('counts the lines of an object that could not be written as rejected, per source', async () => {
    const client = { send: async () => Promise.reject(Object.assign(new Error('no bucket'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } })) } as unknown as S3Client;
    const tally = new IngestTally();
    const sink = new S3AccessLogSink({ client, tally, retry: { baseMs: 1, attempts: 1 } });
    for (let i = 0; i < 3; i++) sink.add(line(i, i === 0 ? 'cloudtrail' : 's3access'));
    await sink.flush();
    const l = tally.snapshot();
    expect(l.sources.s3access).toEqual({ generated: 2, accepted: 0, rejected: { unknownDestination: 2 } });
    expect(l.sources.cloudtrail).toEqual({ generated: 1, accepted: 0, rejected: { unknownDestination: 1 } });
  });
});
