import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.ts';
import { createDispatcherHandler } from '../handlers/dispatcher-handler.ts';
import type { Dispatcher, DispatchResult } from './dispatcher.ts';
import { dispatchOrder } from './dispatcher.ts';
import { executionArnFor, executionNameFor } from './execution-name.ts';
import { AlertMessageError, parseAlertMessage } from './parse-alert-message.ts';

const finding = (id: string, kind: Finding['kind'] = 'waf-http-flood'): Finding => ({
  findingId: id,
  kind,
  entities: { ip: '203.0.113.9' },
  primary: 'ip',
  firstSeen: 1,
  lastSeen: 2,
  detectedAt: 2,
  score: 0.8,
  severity: 'high',
  method: 'signature:test',
  summary: 's',
  evidence: { sampleLines: ['x'], features: { n: 1 } },
});

describe('execution names', () => {
  it('are deterministic, valid and distinct per incident', () => {
    expect(executionNameFor('abc123')).toBe('incident-abc123');
    const long = 'x'.repeat(200);
    const odd = 'waf/203.0.113.9:1700000000';
    for (const id of [long, odd]) {
      const n = executionNameFor(id);
      expect(n).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
      expect(executionNameFor(id)).toBe(n);
    }
    expect(executionNameFor('a/b')).not.toBe(executionNameFor('a:b'));
    expect(executionArnFor('arn:aws:states:us-east-1:1:stateMachine:sm', 'n')).toBe('arn:aws:states:us-east-1:1:execution:sm:n');
  });
});

describe('alerts messages', () => {
  it('reads an SNS envelope and raw delivery alike, and recognises remediation notices', () => {
    const f = finding('f1');
    expect(parseAlertMessage(JSON.stringify({ Type: 'Notification', MessageId: 'm', Message: JSON.stringify(f) }))).toEqual({ type: 'finding', finding: f });
    expect(parseAlertMessage(JSON.stringify(f))).toEqual({ type: 'finding', finding: f });
    expect(parseAlertMessage(JSON.stringify({ Type: 'Notification', Message: JSON.stringify({ notice: 'firedrill.remediation', status: 'failed' }) }))).toEqual({ type: 'notice' });
  });

  it('rejects what is not a finding, saying which field is wrong', () => {
    expect(() => parseAlertMessage('not json')).toThrow(AlertMessageError);
    expect(() => parseAlertMessage(JSON.stringify({ ...finding('f'), kind: 'made-up' }))).toThrow(/kind/);
  });
});

describe('dispatcher handler', () => {
  it('reports only the records that failed, and decides root causes before their symptoms', async () => {
    const seen: string[] = [];
    const fake: Dispatcher = {
      audit: undefined as never,
      dispatch: async () => {
        throw new Error('unused');
      },
      async dispatchAll(fs) {
        const order = fs.map((f, i) => ({ f, i })).sort((a, b) => dispatchOrder(a.f) - dispatchOrder(b.f) || a.i - b.i);
        const out: PromiseSettledResult<DispatchResult>[] = new Array(fs.length);
        for (const { f, i } of order) {
          seen.push(f.kind);
          out[i] = f.findingId === 'boom' ? { status: 'rejected', reason: new Error('throttled') } : { status: 'fulfilled', value: { status: 'started', incidentId: f.findingId, findingKind: f.kind } };
        }
        return out;
      },
    };
    const res = await createDispatcherHandler(fake)({
      Records: [
        { messageId: '1', body: JSON.stringify(finding('a', 'ecs-task-restarts')) },
        { messageId: '2', body: 'garbage' },
        { messageId: '3', body: JSON.stringify(finding('boom')) },
        { messageId: '4', body: JSON.stringify({ Type: 'Notification', Message: JSON.stringify(finding('r', 'root-cause')) }) },
        { messageId: '5', body: JSON.stringify({ notice: 'firedrill.remediation' }) },
      ],
    });
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['2', '3']);
    expect(seen).toEqual(['root-cause', 'waf-http-flood', 'ecs-task-restarts']);
  });
});
