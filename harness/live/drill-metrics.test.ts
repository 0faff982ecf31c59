import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/index.ts';
import { createRunMetrics } from './drill-metrics.ts';

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('run metrics', () => {
  it('counts a drill from its events: generated from timeline snapshots, reconciled with the sinks', async () => {
    const m = createRunMetrics();
    m.onDrillEvent({ type: 'plan', drill: 'd', title: 'D', window: { start: 0, end: 60_000 }, incidents: [] });
    m.onDrillEvent({ type: 'timeline', drill: 'd', bucketMs: 30_000, start: 0, counts: { waf: [300, 0], cloudtrail: [2, 0] } });
    m.onDrillEvent({ type: 'timeline', drill: 'd', bucketMs: 30_000, start: 0, counts: { waf: [500, 200], cloudtrail: [2, 1] } });
    // The sinks saw one more WAF event than the last snapshot: the counter follows the sinks.
    m.onDrillEvent({ type: 'ingested', drill: 'd', sources: { waf: { generated: 701, accepted: 699, rejected: { tooOld: 2 } }, cloudtrail: { generated: 3, accepted: 3, rejected: {} } } });
    m.onDrillEvent({ type: 'finding', drill: 'd', finding: { kind: 'waf-http-flood' } as Finding });
    m.onDrillEvent({ type: 'remediation', drill: 'd', arn: 'a', playbook: 'block-ip', status: 'SUCCEEDED', steps: [] });
    m.onDrillEvent({ type: 'scorecard', drill: 'd', passed: true, precision: 1, recall: 1, falsePositives: 0, findingsTotal: 1 });
    const text = await m.registry.metrics();
    expect(sample(text, 'firedrill_events_generated_total{source="waf"}')).toBe(701);
    expect(sample(text, 'firedrill_events_generated_total{source="cloudtrail"}')).toBe(3);
    expect(sample(text, 'firedrill_events_accepted_total{source="waf"}')).toBe(699);
    expect(sample(text, 'firedrill_events_rejected_total{source="waf"}')).toBe(2);
    expect(sample(text, 'firedrill_findings_total{kind="waf-http-flood"}')).toBe(1);
    expect(sample(text, 'firedrill_remediation_executions_total{playbook="block-ip",status="SUCCEEDED"}')).toBe(1);
    expect(sample(text, 'firedrill_drills_total{result="passed"}')).toBe(1);
    expect(sample(text, 'firedrill_drill_running{drill="d"}')).toBe(0);
    expect(text).toContain('# TYPE firedrill_events_generated_total counter');
  });

  it('counts load ticks and a second drill on top of the first', async () => {
    const m = createRunMetrics();
    m.onTick({ incidents: [{ kind: 'waf-http-flood' }], sources: { waf: { generated: 10, accepted: 9, rejected: 1 } }, balanced: true });
    m.onDrillEvent({ type: 'plan', drill: 'e', title: 'E', window: { start: 0, end: 1 }, incidents: [] });
    m.onDrillEvent({ type: 'timeline', drill: 'e', bucketMs: 1, start: 0, counts: { waf: [5] } });
    const text = await m.registry.metrics();
    expect(sample(text, 'firedrill_events_generated_total{source="waf"}')).toBe(15);
    expect(sample(text, 'firedrill_load_ticks_total{balance="balanced"}')).toBe(1);
    expect(sample(text, 'firedrill_incidents_injected_total{kind="waf-http-flood"}')).toBe(1);
  });
});
