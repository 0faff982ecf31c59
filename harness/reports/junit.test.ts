import { describe, expect, it } from 'vitest';
import { evaluateDrill } from '../evaluate/evaluate-drill.ts';
import { toJUnit } from './junit.ts';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('toJUnit', () => {
  it('fails the detection case of a late detection and names the deadline', () => {
    const card = evaluateDrill({
      scenarioId: 'late', title: 'late', seed: 1, window: { start: T0, end: T0 + 600_000 }, falsePositiveBudget: 0,
      incidents: [{ id: 'scan', kind: 'vpc-port-scan', window: { start: T0, end: T0 + 120_000 }, entities: { ip: '192.0.2.1' }, detectWithinSeconds: 1, mustDetect: true, detections: [{ kind: 'vpc-port-scan', withinSeconds: 1, entityType: 'ip' }], expectedRemediation: [] }],
      findings: [{ findingId: 'f', kind: 'vpc-port-scan', entities: { ip: '192.0.2.1' }, primary: 'ip', firstSeen: T0, lastSeen: T0 + 60_000, detectedAt: T0 + 60_000, score: 1, severity: 'high', method: 't', summary: 's', evidence: { sampleLines: [], features: {} } }],
    });
    const xml = toJUnit([card]);
    expect(xml).toContain('tests="2" failures="1"');
    expect(xml).toMatch(/<testcase classname="firedrill.late" name="scan: vpc-port-scan detected" time="0">\n\s+<failure message="vpc-port-scan detected after 60 s, expected within 1 s of onset">/);
  });

  it('escapes what it quotes', () => {
    const card = evaluateDrill({ scenarioId: 'a<b', title: 't', seed: 1, window: { start: T0, end: T0 + 1 }, falsePositiveBudget: 0, incidents: [], findings: [] });
    expect(toJUnit([card])).toContain('name="a&lt;b"');
  });
});

describe('toJUnit shows the explanation', () => {
  it('beside the detection case, and the explanations line as a property', () => {
    const card = evaluateDrill({
      scenarioId: 'x', title: 'x', seed: 1, window: { start: T0, end: T0 + 600_000 }, falsePositiveBudget: 0,
      incidents: [{ id: 'scan', kind: 'vpc-port-scan', window: { start: T0, end: T0 + 120_000 }, entities: { ip: '192.0.2.1' }, detectWithinSeconds: 300, mustDetect: true, expectedRemediation: [] }],
      findings: [{
        findingId: 'f', kind: 'vpc-port-scan', entities: { ip: '192.0.2.1' }, primary: 'ip', firstSeen: T0, lastSeen: T0 + 60_000, detectedAt: T0 + 60_000, score: 1, severity: 'high', method: 't', summary: 's', evidence: { sampleLines: [], features: {} },
        analysis: { explanation: 'Scanning on address 192.0.2.1 <probes>.', category: 'scanning', suggestedAction: 'block', provider: 'offline' },
      }],
    });
    const xml = toJUnit([card]);
    expect(xml).toContain('<property name="explanations" value="explanations 1/1 right (root named 1, class right 1)"/>');
    expect(xml).toMatch(/name="scan: vpc-port-scan detected" time="0">\n\s+<system-out>explanation \(right, class scanning\): Scanning on address 192\.0\.2\.1 &lt;probes&gt;\.<\/system-out>\n\s+<\/testcase>/);
  });
});
