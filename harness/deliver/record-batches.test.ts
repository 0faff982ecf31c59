import { describe, expect, it } from 'vitest';
import { accessLogKey, groupAccessLogObjects } from './access-log-objects.ts';
import { FIREHOSE_LIMITS, failedRecordIndices, splitRecordBatches } from './record-batches.ts';
import { backoffDelay, isRetryable, withRetry } from './retry.ts';

const rec = (n: number) => ({ data: new Uint8Array(n) });

describe('splitRecordBatches', () => {
  it('cuts at 500 records and at 4 MiB', () => {
    expect(splitRecordBatches(Array.from({ length: 1_201 }, () => rec(10))).map((b) => b.length)).toEqual([500, 500, 201]);
    const big = Array.from({ length: 9 }, () => rec(FIREHOSE_LIMITS.maxRecordBytes));
    const batches = splitRecordBatches(big);
    for (const b of batches) expect(b.reduce((n, r) => n + r.data.byteLength, 0)).toBeLessThanOrEqual(FIREHOSE_LIMITS.maxBatchBytes);
    expect(batches.flat()).toHaveLength(9);
    expect(batches[0]).toHaveLength(4);
  });
  it('resends only records with an ErrorCode', () => {
    expect(failedRecordIndices([{ RecordId: 'a' }, { ErrorCode: 'ServiceUnavailableException' }, { RecordId: 'c' }], 3)).toEqual([1]);
    expect(failedRecordIndices(undefined, 2)).toEqual([0, 1]);
  });
});

describe('access log objects', () => {
  it('keys objects like AWS log delivery and groups lines by time span', () => {
    const t = Date.UTC(2026, 1, 6, 0, 0, 38);
    const key = accessLogKey('logs/', t, 'x\n');
    expect(key).toMatch(/^logs\/2026-02-06-00-00-38-[0-9A-F]{16}$/);
    expect(accessLogKey('logs/', t, 'x\n')).toBe(key);
    // Two objects whose lines are alike are two objects: the ordinal keeps their keys apart.
    expect(accessLogKey('logs/', t, 'x\n', 1)).not.toBe(key);
    const events = [0, 60_000, 299_999, 300_000, 900_000].map((d, i) => ({ time: t + d, message: `l${i}` }));
    const objects = groupAccessLogObjects('logs/', events);
    expect(objects.map((o) => o.events.length)).toEqual([3, 1, 1]);
    expect(objects[0]!.body).toBe('l0\nl1\nl2\n');
    const alike = groupAccessLogObjects('logs/', [t, t + 300_000].map((time) => ({ time, message: 'same' })).map((e) => ({ ...e, time: t })), { maxLines: 1 });
    expect(new Set(alike.map((o) => o.key)).size).toBe(2);
  });
});

describe('retry', () => {
  it('classifies throttling, 5xx and network errors as retryable and validation errors as not', () => {
    expect(isRetryable(Object.assign(new Error('x'), { name: 'ThrottlingException' }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('bad'), { name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } }))).toBe(false);
  });
  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(0, 100, 1_000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 1_000, () => 0.999)).toBe(799);
    expect(backoffDelay(10, 100, 1_000, () => 0.999)).toBe(999);
  });
  it('retries until success and gives up on non-retryable errors', async () => {
    let n = 0;
    const retries: number[] = [];
    const v = await withRetry(
      'op',
      async () => {
        if (++n < 3) throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
        return 'ok';
      },
      { baseMs: 1, onRetry: (_e, a) => retries.push(a) },
    );
    expect(v).toBe('ok');
    expect(retries).toEqual([1, 2]);
    await expect(withRetry('op', async () => Promise.reject(Object.assign(new Error('no'), { name: 'ValidationException' })), { baseMs: 1 })).rejects.toThrow(/op failed/);
  });
});
