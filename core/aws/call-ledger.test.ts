import { describe, expect, it } from 'vitest';
import { CallLedger, DEFAULT_LEDGER_CAPACITY, ledgerInput } from './call-ledger.ts';

describe('ledgerInput', () => {
  it('keeps identifiers and list sizes, never payloads', () => {
    const input = ledgerInput({
      logGroupName: '/aws/lambda/x',
      logStreamName: 's',
      logEvents: [{ timestamp: 1, message: 'secret line' }, { timestamp: 2, message: 'another' }],
      Bucket: 'b',
      Key: 'raw/k',
      Body: 'object body',
      MessageBody: 'hello',
      QueueUrl: 'http://q',
      Item: { pk: { S: 'x' } },
      MasterUserPassword: 'pw',
      DesiredCount: 3,
    });
    expect(input).toEqual({ logGroupName: '/aws/lambda/x', logStreamName: 's', 'logEvents.length': 2, Bucket: 'b', Key: 'raw/k', QueueUrl: 'http://q' });
    expect(JSON.stringify(input)).not.toMatch(/secret|object body|hello|pw/);
  });
});

describe('CallLedger', () => {
  it('answers queries by service, command and outcome, and since a mark', () => {
    const ledger = new CallLedger();
    const base = { input: {}, durationMs: 1, startedAt: 0 };
    ledger.record({ ...base, service: 's3', command: 'CreateBucket', outcome: 'ok' });
    const mark = ledger.mark();
    ledger.record({ ...base, service: 'logs', command: 'PutLogEvents', outcome: 'ok' });
    ledger.record({ ...base, service: 'logs', command: 'PutLogEvents', outcome: 'error', error: 'InvalidParameterException' });
    expect(ledger.count({ service: 'logs' })).toBe(2);
    expect(ledger.count({ command: /^Create/ })).toBe(1);
    expect(ledger.entries({ outcome: 'error' })[0]?.error).toBe('InvalidParameterException');
    expect(ledger.since(mark).map((e) => e.seq)).toEqual([2, 3]);
  });

  it('drops the oldest entries beyond its capacity', () => {
    const ledger = new CallLedger(2);
    for (let i = 0; i < 5; i++) ledger.record({ service: 's3', command: 'PutObject', input: {}, outcome: 'ok', durationMs: 0, startedAt: 0 });
    expect(ledger.entries().map((e) => e.seq)).toEqual([4, 5]);
  });

  it('keeps the last entries in order across many wraps of its ring, and answers since(mark) and count from them', () => {
    const ledger = new CallLedger(3);
    const rec = (command: string) => ledger.record({ service: 's3', command, input: {}, outcome: 'ok', durationMs: 0, startedAt: 0 });
    for (let i = 0; i < 10; i++) rec(i % 2 ? 'GetObject' : 'PutObject');
    expect(ledger.entries().map((e) => e.seq)).toEqual([8, 9, 10]);
    const mark = ledger.mark();
    rec('ListObjectsV2');
    expect(ledger.entries().map((e) => e.seq)).toEqual([9, 10, 11]);
    expect(ledger.since(mark).map((e) => e.command)).toEqual(['ListObjectsV2']);
    expect(ledger.since(8).map((e) => e.seq)).toEqual([9, 10, 11]);
    expect(ledger.count({ command: 'GetObject' })).toBe(1);
    ledger.clear();
    expect(ledger.entries()).toEqual([]);
    rec('PutObject');
    expect(ledger.entries().map((e) => e.seq)).toEqual([12]);
  });

  it('holds at most its default capacity however many calls a long run makes', () => {
    const ledger = new CallLedger();
    for (let i = 0; i < DEFAULT_LEDGER_CAPACITY * 3 + 7; i++) ledger.record({ service: 'logs', command: 'PutLogEvents', input: {}, outcome: 'ok', durationMs: 0, startedAt: 0 });
    const kept = ledger.entries();
    expect(kept.length).toBe(DEFAULT_LEDGER_CAPACITY);
    expect(kept[0]!.seq).toBe(DEFAULT_LEDGER_CAPACITY * 2 + 8);
    expect(kept.at(-1)!.seq).toBe(DEFAULT_LEDGER_CAPACITY * 3 + 7);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new CallLedger(0)).toThrow(/positive integer/);
  });
});
