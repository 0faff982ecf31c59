import { describe, expect, it } from 'vitest';
import { executionsFor, findingNames, type RemediationExecution } from './remediation-executions.ts';

const x = (arn: string, input: unknown): RemediationExecution => ({ arn, playbook: 'p', status: 'SUCCEEDED', input: typeof input === 'string' ? input : JSON.stringify(input) });
const never = () => false;

describe('executionsFor', () => {
  it('takes the executions whose input states one of the findings that explain the incident', () => {
    const all = [x('a', { incidentId: 'f-1' }), x('b', { finding: { findingId: 'f-2' } }), x('c', { incidentId: 'f-3' })];
    expect(executionsFor(all, new Set(['f-1', 'f-2']), never).map((e) => e.arn)).toEqual(['a', 'b']);
  });

  it('does not fall back to mentions when an execution states another finding', () => {
    const all = [x('a', { incidentId: 'f-3', note: 'f-1' })];
    expect(executionsFor(all, new Set(['f-1']), () => true)).toEqual([]);
  });

  it('else takes inputs that name one of the findings on token boundaries, else those that name the incident', () => {
    expect(executionsFor([x('a', 'block f-1 now'), x('b', 'block f-12')], new Set(['f-1']), never).map((e) => e.arn)).toEqual(['a']);
    expect(executionsFor([x('a', { ip: '203.0.113.9' }), x('b', { ip: '198.51.100.1' })], new Set(['none']), (input) => input.includes('203.0.113.9')).map((e) => e.arn)).toEqual(['a']);
  });

  it('ties an execution started with the anomalies file a finding was read from (seeds/000), not one started with another file', () => {
    const rows = [{ id: 'ec2 2026-12-05T10:01:00Z Out of memory: Killed process 4242', origin: 'anomalies/anomalies_20261205T100500Z.csv' }, { id: 'f-9' }];
    expect([...findingNames(rows)]).toEqual(['ec2 2026-12-05T10:01:00Z Out of memory: Killed process 4242', 'anomalies/anomalies_20261205T100500Z.csv', 'f-9']);
    const all = [
      x('a', { bucket: 'aiops-log-data', anomalies: 'anomalies/anomalies_20261205T100500Z.csv', count: 3 }),
      x('b', { bucket: 'aiops-log-data', anomalies: 'anomalies/anomalies_20261205T101000Z.csv', count: 2 }),
    ];
    expect(executionsFor(all, findingNames(rows), never).map((e) => e.arn)).toEqual(['a']);
  });
});
