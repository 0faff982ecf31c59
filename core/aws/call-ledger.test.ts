import { describe, expect, it } from 'vitest';
import { CallLedger, ledgerInput } from './call-ledger.ts';

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
});
