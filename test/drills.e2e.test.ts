import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { runDrill } from '../harness/drill/index.ts';
import { main } from '../cli/main.ts';
import { isVolumeDrill, listCatalog } from '../scenarios/index.ts';
import type { DrillScorecard } from '../harness/evaluate/types.ts';
import { writeReports } from '../harness/reports/index.ts';

/**
 * The regression suite: every catalog drill through the real pipeline on the shared emulator (moto, or
 * whatever FIREDRILL_ENDPOINT points at, e.g. LocalStack), each expectation asserted.
 */
const endpoint = emulatorEndpoint();
const cards = new Map<string, DrillScorecard>();
// Production-volume drills run in `npm run drill:volume`, not in the suite.
const catalog = listCatalog().filter((c) => !isVolumeDrill(c));

describe('catalog drills end to end', () => {
  it('has the whole catalog', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(14);
  });

  for (const entry of catalog) {
    it(`${entry.id} meets every expectation`, async () => {
      const { card, truthEvents } = await runDrill(entry.file, { endpoint, target: 'moto' });
      cards.set(entry.id, card);
      expect(card.failures, card.failures.join('\n')).toEqual([]);
      expect(card.passed).toBe(true);
      expect(card.ledger?.balanced).toBe(true);
      // Nothing lost between the generators and the curated partitions.
      expect(card.ledger?.totals.normalized).toBe(card.ledger?.totals.generated);
      if (entry.incidents.length === 0) {
        expect(card.findingsTotal).toBe(0);
        expect(truthEvents).toBe(0);
      } else {
        expect(truthEvents).toBeGreaterThan(0);
        for (const inc of card.incidents) expect(inc.detected, `${inc.id} detected`).toBe(true);
      }
      for (const inc of card.incidents) {
        if (inc.rootCauseCorrect !== undefined) expect(inc.rootCauseCorrect, `${inc.id} root cause`).toBe(true);
        if (inc.remediation) expect(inc.remediation.verified, `${inc.id} remediation`).toBe(true);
        // Every detected incident carries the (offline) analyzer's explanation, scored against the truth.
        if (inc.detected) expect(inc.explanation?.correct, `${inc.id} explanation: ${inc.explanation?.text ?? 'none'}`).toBe(true);
      }
      if (card.incidents.some((i) => i.detected)) expect(card.explanations?.correct).toBe(card.incidents.filter((i) => i.detected).length);
    }, 300_000);
  }
});

describe('report of real drills', () => {
  let dir: string;
  afterAll(() => undefined);

  it('renders in headless Chromium with the scorecard numbers', async () => {
    const card = cards.get('waf-http-flood') ?? (await runDrill(catalog.find((c) => c.id === 'waf-http-flood')!.file, { endpoint })).card;
    dir = await mkdtemp(join(tmpdir(), 'firedrill-drill-report-'));
    const paths = await writeReports([card], dir);
    const executablePath = process.env.FIREDRILL_CHROMIUM ?? '/usr/bin/chromium';
    expect(existsSync(executablePath), `chromium at ${executablePath} (apt-get install chromium)`).toBe(true);
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(paths.html).href);
      const waf = card.timeline?.counts.waf?.reduce((a, b) => a + b, 0);
      expect(await page.locator('polyline.series[data-source="waf"]').getAttribute('data-total')).toBe(String(waf));
      expect(await page.locator('rect.incident-window').count()).toBe(card.incidents.length);
      expect(await page.locator('g.finding-marker').count()).toBe(card.findingsTotal);
      const inc = card.incidents[0]!;
      const row = page.locator(`table.incidents tr[data-incident="${inc.id}"]`);
      expect(await row.locator('td.detected').textContent()).toBe(inc.detected ? 'yes' : 'no');
      expect(await row.locator('td.ttd').textContent()).toBe(`${inc.timeToDetectSeconds!.toFixed(0)} s`);
      expect(await page.locator('td.recall').textContent()).toBe(`${(card.recall! * 100).toFixed(1)}%`);
      expect(await page.locator('td[data-count="generated"]').textContent()).toBe(String(card.ledger!.totals.generated));
      expect((await page.locator('svg[data-testid="timeline"]').boundingBox())!.width).toBeGreaterThan(300);
    } finally {
      await browser.close();
    }
  }, 300_000);
});

describe('firedrill run as a CI gate', () => {
  const saved = process.env.FIREDRILL_ENDPOINT;
  afterAll(() => {
    if (saved === undefined) delete process.env.FIREDRILL_ENDPOINT;
    else process.env.FIREDRILL_ENDPOINT = saved;
  });

  // vpc-port-scan here and in the failing case below: the same drill passes with its own deadline and fails with an
  // impossible one (and it is the catalog's quickest drill with an incident, detection and remediation).
  it('exits 0 with passed: true and writes all three reports for a passing drill', async () => {
    process.env.FIREDRILL_ENDPOINT = endpoint;
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-cli-'));
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['node', 'firedrill', 'run', catalog.find((c) => c.id === 'vpc-port-scan')!.file, '--json', '--report-dir', dir]);
    } finally {
      process.stdout.write = write;
      process.exitCode = undefined;
    }
    expect(code).toBe(0);
    const json = JSON.parse(out.join('')) as { passed: boolean; drills: { scenarioId: string; passed: boolean }[] };
    expect(json.passed).toBe(true);
    expect(json.drills.map((d) => d.scenarioId)).toEqual(['vpc-port-scan']);
    expect(existsSync(join(dir, 'junit.xml')) && existsSync(join(dir, 'report.html'))).toBe(true);
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('failures="0"');
  }, 300_000);

  it('firedrill detect --json scores detection only, with the promised fields', async () => {
    process.env.FIREDRILL_ENDPOINT = endpoint;
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['node', 'firedrill', 'detect', '--scenario', catalog.find((c) => c.id === 'rds-app-ecs-cascade')!.file, '--json']);
    } finally {
      process.stdout.write = write;
      process.exitCode = undefined;
    }
    expect(code).toBe(0);
    const json = JSON.parse(out.join('')) as { incidents: { id: string; detected: boolean; timeToDetectSeconds: number; rootCauseCorrect?: boolean }[]; falsePositives: number; precision: number; recall: number; f1: number };
    expect(json.incidents).toHaveLength(1);
    expect(json.incidents[0]).toMatchObject({ id: 'cascade', detected: true, rootCauseCorrect: true });
    expect(json.incidents[0]!.timeToDetectSeconds).toBeGreaterThan(0);
    expect(json).toMatchObject({ falsePositives: 0, recall: 1, precision: 1, f1: 1 });
  }, 300_000);

  it('exits non-zero when an expectation fails', async () => {
    process.env.FIREDRILL_ENDPOINT = endpoint;
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-cli-'));
    // An impossible deadline: detection within 1 s of onset cannot happen with 1-minute windows.
    const src = await readFile(catalog.find((c) => c.id === 'vpc-port-scan')!.file, 'utf8');
    const file = join(dir, 'impossible.yaml');
    await writeFile(file, src.replace(/within: \d+m/, 'within: 1s').replace('id: vpc-port-scan', 'id: impossible-deadline'));
    const write = process.stdout.write.bind(process.stdout);
    const out: string[] = [];
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['node', 'firedrill', 'run', file, '--json', '--report-dir', dir]);
    } finally {
      process.stdout.write = write;
      process.exitCode = undefined;
    }
    expect(code).toBe(1);
    const json = JSON.parse(out.join('')) as { passed: boolean; drills: { failures: string[] }[] };
    expect(json.passed).toBe(false);
    expect(json.drills[0]!.failures.join('\n')).toMatch(/expected within 1 s of onset/);
    expect(await readFile(join(dir, 'junit.xml'), 'utf8')).toMatch(/<failure message=/);
  }, 300_000);
});
