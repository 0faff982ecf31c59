import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpectedIncident } from '../evaluate/index.ts';
import { writeObservations, writeTruthFile } from '../score/index.ts';
import { buildComparison, comparisonHtml, comparisonJUnit, comparisonMarkdown, parseRunsArg, scoreRunDir } from './index.ts';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
let dir: string;

const flood: ExpectedIncident = { id: 'flood', kind: 'waf-http-flood', window: { start: T0 + 60_000, end: T0 + 300_000 }, entities: { ip: '198.51.100.7' }, detectWithinSeconds: 120, mustDetect: true, expectedRemediation: [] };
const scan: ExpectedIncident = { id: 'scan', kind: 'vpc-port-scan', window: { start: T0 + 400_000, end: T0 + 500_000 }, entities: { ip: '203.0.113.50' }, detectWithinSeconds: 120, mustDetect: true, expectedRemediation: [] };

/** A run's report dir as `firedrill run` leaves it: one drill, its truth and what one SUT's taps saw. */
async function runDir(sut: string, findings: { id: string; text: string; at: number }[]): Promise<string> {
  const d = join(dir, sut);
  await writeTruthFile(join(d, 'two-incidents', 'truth.json'), { scenarioId: 'two-incidents', title: 'two incidents', seed: 1, window: { start: T0, end: T0 + 900_000 }, falsePositiveBudget: 0, incidents: [flood, scan], prefix: 'firedrill', region: 'us-east-1' });
  await writeObservations(join(d, 'two-incidents', 'findings.jsonl'), findings.map((f) => ({ tap: `sns:${sut}`, id: f.id, observedAt: T0 + 2_000_000, claimedTime: f.at, entities: [], text: f.text, raw: { message: f.text } })));
  return d;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firedrill-compare-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('firedrill compare', () => {
  it('scores each SUT’s run files again and lays the cells out SUT × drill: caught, missed, false positives, time to detect', async () => {
    const good = await runDir('good', [
      { id: 'a', text: 'flood from 198.51.100.7', at: T0 + 90_000 },
      { id: 'b', text: 'scan by 203.0.113.50', at: T0 + 430_000 },
    ]);
    const weak = await runDir('weak', [
      { id: 'x', text: 'many requests from 198.51.100.7', at: T0 + 150_000 },
      { id: 'y', text: 'odd traffic from 192.0.2.1', at: T0 + 700_000 },
    ]);
    const c = buildComparison([
      { sut: 'good', cards: await scoreRunDir(good) },
      { sut: 'weak', cards: await scoreRunDir(weak) },
    ]);
    expect(c.suts).toEqual(['good', 'weak']);
    expect(c.drills).toEqual(['two-incidents']);
    expect(c.cells['two-incidents']!.good).toMatchObject({ caught: ['flood', 'scan'], missed: [], falsePositives: 0, timeToDetectSeconds: 30, clock: 'event', passed: true });
    expect(c.cells['two-incidents']!.weak).toMatchObject({ caught: ['flood'], missed: ['scan'], falsePositives: 1, timeToDetectSeconds: 90, clock: 'event', passed: false });

    expect(comparisonMarkdown(c).split('\n')).toEqual([
      '| drill | good | weak |',
      '|---|---|---|',
      '| two-incidents | caught 2/2 · 0 FP · 30 s | caught 1/2 · 1 FP · 90 s |',
      '| **total** | **2/2 caught · 0 FP · 1/1 drills passed** | **1/2 caught · 1 FP · 0/1 drills passed** |',
    ]);
    const junit = comparisonJUnit(c);
    expect(junit).toContain('<testsuite name="weak" tests="1" failures="1" errors="0">');
    expect(junit).toContain('<failure message="missed: scan; false positives: 1">');
    expect(junit).toContain('<testsuite name="good" tests="1" failures="0" errors="0">');
    expect(comparisonHtml(c)).toContain('<td class="fail">caught 1/2 · 1 FP · 90 s<div class="missed">missed: scan</div></td>');
  });

  it('says why a SUT has no cell (not applicable, not run) in every rendering, and counts it apart from the drills it ran', async () => {
    const good = await runDir('good', [{ id: 'a', text: 'flood from 198.51.100.7', at: T0 + 90_000 }]);
    const c = buildComparison([{ sut: 'good', cards: await scoreRunDir(good) }], [
      { sut: 'waf-only', drill: 'two-incidents', reason: 'not applicable: takes waf; the drill has vpcflow' },
      { sut: 'good', drill: 'two-incidents', reason: 'ignored: it has a cell' },
    ]);
    expect(c.suts).toEqual(['good', 'waf-only']);
    expect(c.notRun).toEqual({ 'two-incidents': { 'waf-only': 'not applicable: takes waf; the drill has vpcflow' } });
    expect(comparisonMarkdown(c).split('\n').slice(2)).toEqual([
      '| two-incidents | caught 1/2 · 0 FP · 30 s | not applicable: takes waf; the drill has vpcflow |',
      '| **total** | **1/2 caught · 0 FP · 0/1 drills passed** | **0/0 caught · 0 FP · 0/0 drills passed · 1 not run** |',
    ]);
    expect(comparisonJUnit(c)).toContain('<testsuite name="waf-only" tests="1" failures="0" errors="0" skipped="1">\n    <testcase classname="waf-only" name="two-incidents"><skipped message="not applicable: takes waf; the drill has vpcflow"/></testcase>');
    expect(comparisonHtml(c)).toContain('<td class="none">not applicable: takes waf; the drill has vpcflow</td>');
  });

  it('refuses a --runs value that is not <sut>=<dir>, and a directory with no drill in it', async () => {
    expect(parseRunsArg('seed-004=reports/seed-004')).toEqual({ sut: 'seed-004', dir: 'reports/seed-004' });
    expect(() => parseRunsArg('reports/seed-004')).toThrow(/not <sut>=<report dir>/);
    await expect(scoreRunDir(join(dir, 'nothing-here'))).rejects.toThrow(/no report directory/);
  });
});
