import { describe, expect, it } from 'vitest';
import { evaluateDrill } from '../evaluate/evaluate-drill.ts';
import { toHtml } from './html.ts';
import { renderScorecard } from './terminal.ts';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('reports show the explanation', () => {
  const card = evaluateDrill({
    scenarioId: 'x', title: 'x', seed: 1, window: { start: T0, end: T0 + 600_000 }, falsePositiveBudget: 0,
    incidents: [{ id: 'flood', kind: 'waf-http-flood', window: { start: T0, end: T0 + 120_000 }, entities: { ip: '192.0.2.1' }, detectWithinSeconds: 300, mustDetect: true, expectedRemediation: [] }],
    findings: [{
      findingId: 'f', kind: 'waf-http-flood', entities: { ip: '192.0.2.1' }, primary: 'ip', firstSeen: T0, lastSeen: T0 + 60_000, detectedAt: T0 + 60_000, score: 1, severity: 'high', method: 't', summary: 's', evidence: { sampleLines: [], features: {} },
      analysis: { explanation: 'Scanning from address 192.0.2.1 <script>.', category: 'scanning', suggestedAction: 'block', provider: 'offline' },
    }],
  });

  it('HTML: one row per explained incident, escaped, with the class it should have had', () => {
    const html = toHtml([card]);
    expect(html).toContain('explanations 0/1 right (root named 1, class right 0)');
    expect(html).toMatch(/<tr data-incident="flood" class="fail"><td>flood<\/td><td>f<\/td><td class="failure-class">scanning<\/td><td>yes<\/td><td>no \(flood\)<\/td><td class="explanation">Scanning from address 192\.0\.2\.1 &lt;script&gt;\.<\/td><\/tr>/);
  });

  it('terminal: the verdict, why, and the text', () => {
    const text = renderScorecard(card, false);
    expect(text).toContain('explanation wrong (class not flood) [scanning]: Scanning from address 192.0.2.1 <script>.');
    expect(text).toContain('explanations 0/1 right (root named 1, class right 0)');
  });
});
