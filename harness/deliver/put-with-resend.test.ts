import { describe, expect, it } from 'vitest';
import { putWithResend, type BatchAnswer, type BatchRecord } from './put-with-resend.ts';
import { IngestTally } from './types.ts';

const records = (n: number): BatchRecord[] => Array.from({ length: n }, (_, i) => ({ data: new TextEncoder().encode(`r${i}`), source: 'waf' as const, events: 2 }));
const fast = { attempts: 2, baseMs: 1, maxMs: 1 };

describe('putWithResend', () => {
  it('resends only the records an answer reports failed, and accepts each once', async () => {
    const sent: string[][] = [];
    const tally = new IngestTally();
    await putWithResend(records(4), {
      operation: 'PutRecords',
      destination: 'Kinesis stream s',
      tally,
      retry: fast,
      put: async (todo): Promise<BatchAnswer> => {
        sent.push(todo.map((r) => new TextDecoder().decode(r.data)));
        // The first call fails the records at positions 1 and 3; the resend succeeds.
        const results = todo.map((_, i) => (sent.length === 1 && i % 2 === 1 ? { ErrorCode: 'ProvisionedThroughputExceededException' } : { RecordId: 'x' }));
        return { failedCount: results.filter((r) => 'ErrorCode' in r).length, results };
      },
    });
    expect(sent).toEqual([['r0', 'r1', 'r2', 'r3'], ['r1', 'r3']]);
    const l = tally.snapshot();
    expect(l.sources.waf).toEqual({ generated: 0, accepted: 8, rejected: {} });
    expect(l.retries['PutRecords.partial']).toBe(1);
  });

  it('refuses every record as an unknown destination when the stream does not exist', async () => {
    const tally = new IngestTally();
    const missing = Object.assign(new Error('Stream s not found'), { name: 'ResourceNotFoundException' });
    await putWithResend(records(3), {
      operation: 'PutRecordBatch',
      destination: 'Firehose stream s',
      tally,
      retry: fast,
      put: async () => {
        throw missing;
      },
    });
    const l = tally.snapshot();
    expect(l.sources.waf?.rejected).toEqual({ unknownDestination: 6 });
    expect(l.examples[0]?.detail).toBe('Firehose stream s does not exist');
  });

  it('gives up after its resend rounds and says why', async () => {
    const tally = new IngestTally();
    let calls = 0;
    await putWithResend(records(2), {
      operation: 'PutRecords',
      destination: 'Kinesis stream s',
      tally,
      retry: fast,
      resendRounds: 3,
      put: async (todo) => {
        calls++;
        return { failedCount: todo.length, results: todo.map(() => ({ ErrorCode: 'InternalFailure' })) };
      },
    });
    expect(calls).toBe(3);
    const l = tally.snapshot();
    expect(l.sources.waf?.rejected).toEqual({ sendFailed: 4 });
    expect(l.examples[0]?.detail).toBe('still failing after 3 rounds: InternalFailure');
  });
});
