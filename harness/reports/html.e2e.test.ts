import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.ts';
import { evaluateDrill } from '../evaluate/evaluate-drill.ts';
import { writeReports } from './write-reports.ts';

const CHROMIUM = process.env.FIREDRILL_CHROMIUM ?? '/usr/bin/chromium';
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

function finding(id: string, kind: Finding['kind'], ip: string, detectedAt: number, sampleLines: string[] = []): Finding {
  return { findingId: id, kind, entities: { ip }, primary: 'ip', firstSeen: detectedAt - 30_000, lastSeen: detectedAt, detectedAt, score: 1, severity: 'high', method: 'test', summary: `${kind} from ${ip}`, evidence: { sampleLines, features: {} } };
}

const FLOOD_LINE = '{"timestamp":1795176345000,"action":"ALLOW","httpRequest":{"clientIp":"198.51.100.7","uri":"/login"}}';

/** Two overlapping incidents, a flood that fills WAF and a leaked key that is a handful of CloudTrail events. */
function card(findings: Finding[]) {
  const waf = [1000, 1000, 1000, 1000, 1000, 4000, 1000, 1000, 500, 500];
  return evaluateDrill({
    scenarioId: 'waf-http-flood', title: 'HTTP flood', seed: 42, window: { start: T0, end: T0 + 600_000 },
    incidents: [
      { id: 'flood', kind: 'waf-http-flood', window: { start: T0 + 300_000, end: T0 + 480_000 }, entities: { ip: '198.51.100.7' }, detectWithinSeconds: 60, mustDetect: true, expectedRemediation: [{ outcome: 'waf-ip-blocked', params: { ip: '198.51.100.7' } }] },
      { id: 'leaked-key', kind: 'cloudtrail-compromised-key', window: { start: T0 + 330_000, end: T0 + 420_000 }, entities: { accessKey: 'AKIAEXAMPLEKEY000001' }, detectWithinSeconds: 120, mustDetect: false, expectedRemediation: [] },
    ],
    falsePositiveBudget: 1,
    findings,
    remediation: [{ incidentId: 'flood', planned: true, executed: true, outcomes: [{ outcome: 'waf-ip-blocked', expected: '198.51.100.7/32', observed: '198.51.100.7/32', ok: true }], timeToRemediateSeconds: 3 }],
    ledger: { balanced: true, totals: { generated: 12_100, accepted: 12_100, landed: 12_100, normalized: 12_100, quarantined: 0 } },
    timeline: { bucketMs: 60_000, start: T0, counts: { waf, cloudtrail: [2, 2, 2, 2, 2, 2, 40, 2, 2, 2] } },
  });
}

describe('report.html in a real headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`expected Debian's chromium at ${CHROMIUM}, found nothing; fix: apt-get install chromium (or set FIREDRILL_CHROMIUM)`);
    }
    // The flags keep Chromium off the network: this machine has none, and a sandbox needs no root setup.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  });
  afterAll(async () => browser?.close());

  it('shows the evidence: findings with sample lines, false positives, labelled incident lanes, one chart per source in UTC', async () => {
    const flood = { ...finding('a', 'waf-http-flood', '198.51.100.7', T0 + 345_000, [FLOOD_LINE, '<script>x</script>']), analysis: { explanation: 'One client IP sent most requests.', category: 'flood' as const, suggestedAction: 'Block 198.51.100.7/32 in the WAF IP set.', provider: 'offline' as const } };
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-report-'));
    const paths = await writeReports([card([flood, finding('b', 'waf-geo-anomaly', '203.0.113.50', T0 + 100_000)])], dir);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(paths.html).href);

    // Findings table: summary, sample lines (escaped, not executed), the analysis, the matched incident or a false positive.
    const hit = page.locator('table.findings tr[data-finding="a"]');
    expect(await hit.locator('td.summary').textContent()).toContain('waf-http-flood from 198.51.100.7');
    expect(await hit.locator('td.evidence pre.sample-lines').textContent()).toBe(`${FLOOD_LINE}\n<script>x</script>`);
    expect(await hit.locator('.analysis').textContent()).toContain('Block 198.51.100.7/32');
    expect(await hit.locator('td.matched').textContent()).toBe('flood');
    const fp = page.locator('table.findings tr[data-finding="b"]');
    expect(await fp.getAttribute('class')).toBe('fp');
    expect(await fp.locator('td.matched').textContent()).toBe('false positive');
    expect(await fp.locator('td.evidence').textContent()).toBe('none given');
    expect(await page.locator('table.findings td.when').first().textContent()).toBe('12:01:40');

    // Incident windows: one labelled lane each, so the overlapping pair does not blend into one band.
    const lanes = page.locator('svg[data-testid="timeline"]');
    expect(await lanes.count()).toBe(1);
    expect((await lanes.boundingBox())!.width).toBeGreaterThan(300);
    expect(await page.locator('text.incident-label[data-incident="leaked-key"]').textContent()).toMatch(/^leaked-key · cloudtrail-comprom…leaked-key · cloudtrail-compromised-key$/);
    const floodBox = (await page.locator('rect.incident-window[data-incident="flood"]').boundingBox())!;
    const keyBox = (await page.locator('rect.incident-window[data-incident="leaked-key"]').boundingBox())!;
    expect(keyBox.y).toBeGreaterThanOrEqual(floodBox.y + floodBox.height);
    expect(await page.locator('g.finding-marker').count()).toBe(2);
    expect(await page.locator('g.remediation-marker[data-incident="flood"]').count()).toBe(1);
    expect(await lanes.locator('text.tick').last().textContent()).toBe('12:10:00 UTC');

    // One chart per source on its own axis: CloudTrail's 40-event spike stands as tall as WAF's 4000.
    expect(await page.locator('svg[data-testid="source-chart"]').count()).toBe(2);
    expect(await page.locator('svg.source-chart[data-source="cloudtrail"]').getAttribute('data-max')).toBe('40');
    expect(await page.locator('polyline.series[data-source="waf"]').getAttribute('data-total')).toBe('12000');
    const heightOf = async (source: string) => (await page.locator(`polyline.series[data-source="${source}"]`).boundingBox())!.height;
    const ct = await heightOf('cloudtrail');
    expect(ct).toBeGreaterThan(20);
    expect(ct).toBeGreaterThan(0.9 * (await heightOf('waf')));

    const row = page.locator('table.incidents tr[data-incident="flood"]');
    expect(await row.locator('td.detected').textContent()).toBe('yes');
    expect(await row.locator('td.ttd').textContent()).toBe('45 s');
    expect(await row.locator('td.remediation').textContent()).toBe('planned → executed → verified');
    expect(await page.locator('td.false-positives').textContent()).toBe('1 / 1');
    expect(await page.locator('td[data-count="generated"]').textContent()).toBe('12100');
    expect(await page.locator('#summary').getAttribute('data-passed')).toBe('1');
    // The charts really painted: the screenshot is not blank.
    expect((await page.locator('div.source-charts').screenshot()).byteLength).toBeGreaterThan(2000);
  });

  it('keeps each run and an index page that compares them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-runs-'));
    const at = new Date(Date.UTC(2026, 11, 1, 9, 0, 0));
    await writeReports([card([finding('a', 'waf-http-flood', '198.51.100.7', T0 + 345_000)])], dir, at);
    // The second run misses the flood: the index must show the change.
    const second = await writeReports([card([finding('b', 'waf-geo-anomaly', '203.0.113.50', T0 + 100_000)])], dir, new Date(at.getTime() + 3_600_000));
    const page = await browser.newPage();
    await page.goto(pathToFileURL(second.index).href);
    expect(await page.locator('#runs-summary').getAttribute('data-runs')).toBe('2');
    const rows = page.locator('table.runs tr[data-run]');
    expect(await rows.nth(0).getAttribute('data-run')).toBe('2026-12-01T10-00-00Z');
    expect(await rows.nth(0).locator('td.passed').textContent()).toBe('0/1');
    expect(await rows.nth(1).locator('td.passed').textContent()).toBe('1/1');
    const cells = page.locator('table.compare tr[data-scenario="waf-http-flood"] td');
    expect(await cells.nth(0).textContent()).toContain('✘ recall 0%');
    expect(await cells.nth(1).textContent()).toContain('✔ recall 100%');
    // Each kept report links back to the index, and opens.
    await rows.nth(1).locator('a').click();
    expect(await page.locator('#summary').getAttribute('data-passed')).toBe('1');
    await page.locator('a.index-link').click();
    expect(await page.locator('#runs-summary').getAttribute('data-runs')).toBe('2');
  });
});
