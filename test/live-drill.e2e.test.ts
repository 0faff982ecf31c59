import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { runCommand } from '../cli/actions/run.ts';
import type { DrillScorecard } from '../harness/evaluate/index.ts';
import { listCatalog } from '../scenarios/index.ts';

const endpoint = emulatorEndpoint();
const CHROMIUM = process.env.FIREDRILL_CHROMIUM ?? '/usr/bin/chromium';

/** One sample of a Prometheus text exposition, e.g. `firedrill_events_generated_total{source="waf"}`; 0 when absent. */
function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('firedrill run --serve', () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it('streams a drill to the live page (findings with evidence, remediation steps) and counts it on /metrics', async () => {
    expect(existsSync(CHROMIUM), `chromium at ${CHROMIUM} (apt-get install chromium, or set FIREDRILL_CHROMIUM)`).toBe(true);
    const file = listCatalog().find((c) => c.id === 'waf-http-flood')!.file;
    const reportDir = await mkdtemp(join(tmpdir(), 'firedrill-live-'));
    let release!: () => void;
    const untilStopped = new Promise<void>((ok) => (release = ok));
    let served!: (url: string) => void;
    const urlKnown = new Promise<string>((ok) => (served = ok));
    const run = runCommand([file], { target: 'moto', endpoint, reportDir, serve: '0' }, { onServing: served, untilStopped });
    const url = await urlKnown;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    const page = await browser.newPage();
    await page.goto(url);

    // A finding arrives while the drill runs, with the WAF log lines it rests on.
    const finding = page.locator('article.finding[data-kind="waf-http-flood"]').first();
    await finding.waitFor({ timeout: 120_000 });
    expect(await finding.locator('pre.sample-lines').textContent()).toContain('"webaclId"');
    expect(await page.locator('.scorecard').getAttribute('data-passed')).toBeNull();
    expect(await page.locator('svg.source[data-source="waf"]').count()).toBe(1);
    expect(await page.locator('rect.incident-window').count()).toBeGreaterThan(0);

    // /metrics while the drill is still running (no scorecard yet on the page).
    const during = await (await fetch(`${url}metrics`)).text();
    expect(sample(during, 'firedrill_events_generated_total', 'source="waf"')).toBeGreaterThan(0);
    expect(sample(during, 'firedrill_findings_total', 'kind="waf-http-flood"')).toBeGreaterThanOrEqual(1);
    expect(sample(during, 'firedrill_drill_running', 'drill="waf-http-flood"')).toBe(1);

    await page.locator('.scorecard[data-passed="true"]').waitFor({ timeout: 180_000 });
    await page.locator('#report-link').waitFor({ timeout: 60_000 });
    const done = page.locator('li.execution[data-status="SUCCEEDED"]');
    expect(await done.count()).toBeGreaterThan(0);
    expect(await done.first().locator('li.step').count()).toBeGreaterThan(0);

    // At the end the counters agree with the scorecard's ledger.
    const card = (JSON.parse(await readFile(join(reportDir, 'scorecard.json'), 'utf8')) as { drills: DrillScorecard[] }).drills[0]!;
    const after = await (await fetch(`${url}metrics`)).text();
    const waf = card.ledger!.perSource!.waf!;
    expect(sample(after, 'firedrill_events_generated_total', 'source="waf"')).toBe(waf.generated);
    expect(sample(after, 'firedrill_events_accepted_total', 'source="waf"')).toBe(waf.accepted);
    expect(sample(after, 'firedrill_drills_total', 'result="passed"')).toBe(1);
    const succeeded = after.split('\n').filter((l) => l.startsWith('firedrill_remediation_executions_total{') && l.includes('status="SUCCEEDED"'));
    expect(succeeded.reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)).toBe(await done.count());

    // A late visitor gets the whole drill replayed on the event stream.
    const ac = new AbortController();
    const res = await fetch(`${url}events`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('"type":"scorecard"')) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    expect(text.indexOf('"type":"plan"')).toBeLessThan(text.indexOf('"type":"finding"'));

    // The written report is served beside the page.
    await page.locator('#report-link').click();
    expect(await page.locator('#summary').getAttribute('data-passed')).toBe('1');

    release();
    await expect(run).resolves.toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  }, 300_000);
});
