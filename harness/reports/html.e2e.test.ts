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

function finding(id: string, kind: Finding['kind'], ip: string, detectedAt: number): Finding {
  return { findingId: id, kind, entities: { ip }, primary: 'ip', firstSeen: detectedAt - 30_000, lastSeen: detectedAt, detectedAt, score: 1, severity: 'high', method: 'test', summary: `${kind} from ${ip}`, evidence: { sampleLines: [], features: {} } };
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

  it('renders the timeline and the tables with the scorecard numbers', async () => {
    const card = evaluateDrill({
      scenarioId: 'waf-http-flood', title: 'HTTP flood', seed: 42, window: { start: T0, end: T0 + 600_000 },
      incidents: [{ id: 'flood', kind: 'waf-http-flood', window: { start: T0 + 300_000, end: T0 + 480_000 }, entities: { ip: '198.51.100.7' }, detectWithinSeconds: 60, mustDetect: true, expectedRemediation: [{ outcome: 'waf-ip-blocked', params: { ip: '198.51.100.7' } }] }],
      falsePositiveBudget: 1,
      findings: [finding('a', 'waf-http-flood', '198.51.100.7', T0 + 345_000), finding('b', 'waf-geo-anomaly', '203.0.113.50', T0 + 100_000)],
      remediation: [{ incidentId: 'flood', planned: true, executed: true, outcomes: [{ outcome: 'waf-ip-blocked', expected: '198.51.100.7/32', observed: '198.51.100.7/32', ok: true }], timeToRemediateSeconds: 3 }],
      ledger: { balanced: true, totals: { generated: 1200, accepted: 1200, landed: 1200, normalized: 1200, quarantined: 0 } },
      timeline: { bucketMs: 60_000, start: T0, counts: { waf: [100, 100, 100, 100, 100, 400, 100, 100, 50, 50], vpcflow: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5] } },
    });
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-report-'));
    const paths = await writeReports([card], dir);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(paths.html).href);

    const svg = page.locator('svg[data-testid="timeline"]');
    await expect(svg.count()).resolves.toBe(1);
    const box = await svg.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(await page.locator('polyline.series[data-source="waf"]').getAttribute('data-total')).toBe('1200');
    expect(await page.locator('polyline.series[data-source="vpcflow"]').getAttribute('data-total')).toBe('50');
    expect(await page.locator('rect.incident-window[data-incident="flood"]').count()).toBe(1);
    expect(await page.locator('g.finding-marker').count()).toBe(2);
    expect(await page.locator('g.remediation-marker[data-incident="flood"]').count()).toBe(1);

    const row = page.locator('table.incidents tr[data-incident="flood"]');
    expect(await row.locator('td.detected').textContent()).toBe('yes');
    expect(await row.locator('td.ttd').textContent()).toBe('45 s');
    expect(await row.locator('td.remediation').textContent()).toBe('planned → executed → verified');
    expect(await page.locator('td.precision').textContent()).toBe('50.0%');
    expect(await page.locator('td.recall').textContent()).toBe('100.0%');
    expect(await page.locator('td.false-positives').textContent()).toBe('1 / 1');
    expect(await page.locator('td[data-count="generated"]').textContent()).toBe('1200');
    expect(await page.locator('#summary').getAttribute('data-passed')).toBe('1');
    // The chart really painted: the screenshot is not blank.
    const png = await svg.screenshot();
    expect(png.byteLength).toBeGreaterThan(2000);
  });
});
