import { describe, expect, it } from 'vitest';
import { evaluateDrill } from '../evaluate/evaluate-drill.ts';
import type { ExpectedIncident } from '../evaluate/types.ts';
import { toHtml } from './html.ts';
import { toJUnit } from './junit.ts';
import { renderScorecard, renderSummary } from './terminal.ts';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const flood: ExpectedIncident = {
  id: 'flood', kind: 'waf-http-flood', window: { start: T0, end: T0 + 300_000 }, entities: { ip: '198.51.100.7' }, detectWithinSeconds: 120, mustDetect: true,
  expectedRemediation: [{ outcome: 'waf-ip-blocked', params: { ip: '198.51.100.7' } }],
};
const card = evaluateDrill({
  scenarioId: 'flood-drill', title: 'flood', seed: 1, window: { start: T0, end: T0 + 600_000 }, falsePositiveBudget: 0, incidents: [flood],
  findings: [{ findingId: 'f', kind: 'waf-http-flood', entities: { ip: '198.51.100.7' }, primary: 'ip', firstSeen: T0, lastSeen: T0 + 60_000, detectedAt: T0 + 60_000, score: 1, severity: 'high', method: 't', summary: 's', evidence: { sampleLines: [], features: {} } }],
  capabilities: { target: 'LocalStack 2026.3.0 (community)', missing: [{ service: 'wafv2', reason: "not in LocalStack 2026.3.0's free edition" }] },
});
const message = "unsupported on this target: remediation waf-ip-blocked needs wafv2 (not in LocalStack 2026.3.0's free edition)";

describe('an expectation the target cannot run, in every report', () => {
  it('JUnit: a <skipped> case with the reason, counted as skipped and not as a failure', () => {
    const xml = toJUnit([card]);
    expect(xml).toContain('<testsuites name="firedrill" tests="3" failures="0" errors="0" skipped="1">');
    expect(xml).toContain(`<testcase classname="firedrill.flood-drill" name="flood: remediation waf-ip-blocked" time="0">\n      <skipped message="${message}"/>`);
    expect(xml).toContain('<property name="target" value="LocalStack 2026.3.0 (community)"/>');
    expect(xml).not.toContain('name="flood: remediation verified"');
  });

  it('terminal: the target line and the unsupported expectation under its incident', () => {
    const text = renderScorecard(card, false);
    expect(text).toContain('target LocalStack 2026.3.0 (community): wafv2 unsupported, the rest supported');
    expect(text).toContain('remediation unsupported on this target');
    expect(text).toContain(`◌ ${message}`);
    expect(renderSummary([card], false)).toBe('1/1 drill(s) passed, 1 expectation(s) unsupported on this target');
  });

  it('HTML: the service matrix and the expectation marked unsupported', () => {
    const html = toHtml([card]);
    expect(html).toMatch(/<tr class="unsupported" data-service="wafv2"><td>wafv2<\/td><td>unsupported<\/td>/);
    expect(html).toMatch(/<tr class="supported" data-service="s3"><td>s3<\/td><td>supported<\/td>/);
    expect(html).toContain('waf-ip-blocked: unsupported on this target');
    expect(html).toContain('data-unsupported="1">1/1 drill(s) passed · <span class="unsupported">1 expectation(s) unsupported on this target</span>');
  });

  it('JSON: the card carries the matrix and the list (what scorecard.json writes)', () => {
    const json = JSON.parse(JSON.stringify(card)) as typeof card;
    expect(json.unsupported).toEqual([`flood: ${message}`]);
    expect(json.target?.services.find((s) => s.service === 'wafv2')).toEqual({ service: 'wafv2', supported: false, reason: "not in LocalStack 2026.3.0's free edition" });
  });
});
