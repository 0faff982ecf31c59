import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { detectCatalogDrill } from '../../test/support/catalog-scorecards.ts';
import { evaluateDrill, type EvaluationInput, type ExpectedIncident } from '../evaluate/index.ts';
import { createMapper, type Observation } from '../observe/index.ts';
import { appendObservations, readObservations } from './findings-file.ts';
import { writeRunRecord, type RunRecord } from './run-record.ts';
import { scoreFiles } from './score-files.ts';
import { writeTruthFile, type DrillTruth } from './truth-file.ts';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const W0 = Date.UTC(2026, 10, 21, 9, 0, 0);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firedrill-score-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What a run holds at its end, and writes: truth, observations as appended poll by poll, and the run record. */
async function writeRun(sub: string, truth: DrillTruth, polls: Observation[][], run?: RunRecord): Promise<{ truth: string; findings: string }> {
  const files = { truth: join(dir, sub, 'truth.json'), findings: join(dir, sub, 'findings.jsonl') };
  await writeTruthFile(files.truth, truth);
  for (const p of polls) await appendObservations(files.findings, p);
  if (run) await writeRunRecord(join(dir, sub, 'run.json'), run);
  return files;
}

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

const flood: ExpectedIncident = {
  id: 'flood', kind: 'waf-http-flood', window: { start: T0 + 60_000, end: T0 + 300_000 }, entities: { ip: '198.51.100.7', webAcl: 'acl-main' },
  detectWithinSeconds: 60, mustDetect: true, detections: [{ kind: 'waf-http-flood', withinSeconds: 60, entityType: 'ip' }],
  expectedRemediation: [{ outcome: 'waf-ip-blocked', params: { ip: '198.51.100.7' } }], wallStart: W0 + 1_000,
};
const brute: ExpectedIncident = {
  id: 'brute', kind: 'ec2-ssh-bruteforce', window: { start: T0 + 120_000, end: T0 + 400_000 }, entities: { ip: '203.0.113.50', instance: 'i-0web1' },
  detectWithinSeconds: 120, mustDetect: true, expectedRemediation: [], wallStart: W0 + 1_500,
};
const obs = (id: string, over: Partial<Observation>): Observation => ({ tap: 'dynamodb:alerts', id, observedAt: W0 + 10_000, entities: [], text: '', raw: {}, ...over });

describe('firedrill score from a run’s files', () => {
  it('rebuilds the run’s scorecard exactly: findings.jsonl (with an updated finding) + truth.json + run.json', async () => {
    const observations = [
      obs('a', { raw: { ip: '198.51.100.7', n: 1 }, claimedTime: T0 + 100_000, arrivedAt: W0 + 9_000, kind: 'waf-http-flood', entities: ['198.51.100.7'] }),
      obs('b', { tap: 'sns:alerts', raw: { message: 'ssh brute force from 203.0.113.50 on i-0web1' }, observedAt: W0 + 12_000, arrivedAt: W0 + 11_500 }),
      obs('c', { tap: 'sns:alerts', raw: { message: 'something about 192.0.2.99' }, observedAt: W0 + 13_000 }),
    ];
    const remediation = [{ incidentId: 'flood', planned: true, executed: true, executionStatus: 'waf:SUCCEEDED', outcomes: [{ outcome: 'waf-ip-blocked' as const, expected: '198.51.100.7/32', observed: '198.51.100.7/32', ok: true }], timeToRemediateSeconds: 3 }];
    const run: RunRecord = { remediation, ledger: { balanced: true, totals: { generated: 10, accepted: 10 } }, timeline: { bucketMs: 30_000, start: T0, counts: { waf: [1, 2, 3] } }, wallSeconds: 42.5 };
    const input: EvaluationInput = { scenarioId: 'mixed', title: 'Mixed', seed: 7, window: { start: T0, end: T0 + 600_000 }, incidents: [flood, brute], falsePositiveBudget: 1, observations, matching: { skewMs: 60_000, graceMs: 300_000, wallEnd: W0 + 60_000 }, ...run };
    const card = evaluateDrill(input);
    expect(card.incidents.map((i) => [i.id, i.detected, i.wallTimeToDetectSeconds])).toEqual([['flood', true, 8], ['brute', true, 10]]);
    expect(card.falsePositives).toBe(1);

    // The run appended an earlier version of `a` (observed first, then updated), as the dynamodb tap does.
    const earlier = { ...observations[0]!, raw: { ip: '198.51.100.7', n: 0 }, observedAt: W0 + 10_000 };
    const later = { ...observations[0]!, observedAt: W0 + 15_000 };
    const files = await writeRun('mixed', { scenarioId: 'mixed', title: 'Mixed', seed: 7, window: input.window, falsePositiveBudget: 1, incidents: [flood, brute], wallEnd: W0 + 60_000, matching: { skewMs: 60_000, graceMs: 300_000 } }, [[earlier], [observations[1]!], [later, observations[2]!]], run);
    expect((await readObservations(files.findings)).map((o) => [o.id, o.observedAt, (o.raw as { n?: number }).n])).toEqual([['a', W0 + 10_000, 1], ['b', W0 + 12_000, undefined], ['c', W0 + 13_000, undefined]]);

    const scored = await scoreFiles(files);
    expect(asJson(scored.card)).toEqual(asJson(card));
    expect(scored).toMatchObject({ truthKind: 'drill', observations: 3, notes: [] });
  });

  it('rebuilds a catalog drill’s scorecard from the builtin’s findings read through the firedrill preset', async () => {
    const d = await detectCatalogDrill({ id: 'waf-http-flood', file: 'scenarios/waf-http-flood.yaml' }, 1);
    const tap = createMapper('dynamodb:findings', 'firedrill', {});
    const observations = d.findings.map((f, i) => tap({ id: `finding#${f.findingId}`, raw: { pk: `finding#${f.findingId}`, sk: 'finding', ...f } }, W0 + i));
    const card = evaluateDrill({ ...d.input, observations });
    expect(card.passed).toBe(true);
    const { scenarioId, title, seed, window, falsePositiveBudget, incidents } = d.input;
    const files = await writeRun('catalog', { scenarioId, title, seed, window, falsePositiveBudget, incidents }, [observations]);
    expect(asJson((await scoreFiles(files)).card)).toEqual(asJson(card));
  }, 60_000);

  it('without run.json leaves remediation out, and says so', async () => {
    const files = await writeRun('no-run', { scenarioId: 'x', title: 'x', seed: 1, window: { start: T0, end: T0 + 600_000 }, falsePositiveBudget: 0, incidents: [flood] }, [[obs('a', { raw: { ip: '198.51.100.7' }, claimedTime: T0 + 90_000 })]]);
    const r = await scoreFiles(files);
    expect(r.card.incidents[0]).toMatchObject({ detected: true, passed: true });
    expect(r.card.incidents[0]!.remediation).toBeUndefined();
    expect(r.notes).toEqual(['no run.json: remediation is not scored (it was read back from the estate during the run)']);
  });

  it('scores every tick of a load run’s truth file (JSON lines, as `firedrill load` writes it)', async () => {
    const tick = (n: number, ip: string) => ({
      tick: n, seed: `s-${n}`, slice: { start: new Date(T0 + n * 300_000).toISOString(), end: new Date(T0 + (n + 1) * 300_000).toISOString() }, sentAt: new Date(W0 + n * 300_000).toISOString(),
      incidents: [{ id: `flood-t${n}`, kind: 'waf-http-flood', sources: ['waf'], window: { start: new Date(T0 + n * 300_000 + 60_000).toISOString(), end: new Date(T0 + n * 300_000 + 240_000).toISOString() }, entities: { ip }, events: 500 }],
    });
    const truth = join(dir, 'load-truth.jsonl');
    await writeFile(truth, `${JSON.stringify(tick(0, '198.51.100.7'))}\n${JSON.stringify(tick(1, '198.51.100.8'))}\n`);
    const findings = join(dir, 'load-findings.jsonl');
    // The SUT states no time: tick 0's flood is seen in wall time after tick 0 was sent; tick 1's is not seen.
    await appendObservations(findings, [obs('x', { raw: { src: '198.51.100.7' }, observedAt: W0 + 30_000 })]);
    const r = await scoreFiles({ truth, findings });
    expect(r.truthKind).toBe('load');
    expect(r.card.incidents.map((i) => [i.id, i.detected, i.wallTimeToDetectSeconds])).toEqual([['t0:flood-t0', true, 30], ['t1:flood-t1', false, null]]);
    expect(r.card).toMatchObject({ scenarioId: 'load', recall: 0.5, precision: 1, passed: false, window: { start: T0, end: T0 + 600_000 } });
  });

  it('names the line of a bad findings file and a file that is not a truth', async () => {
    const findings = join(dir, 'bad.jsonl');
    await writeFile(findings, `${JSON.stringify({ tap: 't', id: '1', observedAt: new Date(W0).toISOString(), raw: {} })}\n{"tap":"t","id":"2"}\n`);
    await expect(readObservations(findings)).rejects.toThrow(/bad\.jsonl:2: not an observation[\s\S]*observedAt/);
    const notTruth = join(dir, 'not-truth.json');
    await writeFile(notTruth, '{\n  "scenarioId": "x"\n}\n');
    await expect(scoreFiles({ truth: notTruth, findings })).rejects.toThrow(/not-truth\.json: not a firedrill truth file/);
  });
});

describe('firedrill score (CLI)', () => {
  it('writes the same reports as run and exits 1 when an expectation failed, 2 on bad input', async () => {
    const files = await writeRun('cli', { scenarioId: 'cli', title: 'CLI', seed: 1, window: { start: T0, end: T0 + 600_000 }, falsePositiveBudget: 0, incidents: [brute] }, [[obs('z', { raw: { ip: '192.0.2.1' }, claimedTime: T0 + 130_000 })]]);
    const reportDir = join(dir, 'cli-reports');
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['node', 'firedrill', 'score', '--truth', files.truth, '--findings', files.findings, '--report-dir', reportDir, '--json']);
    } finally {
      process.stdout.write = write;
      process.exitCode = undefined;
    }
    expect(code).toBe(1);
    const json = JSON.parse(out.join('')) as { passed: boolean; drills: { incidents: { detected: boolean }[]; falsePositives: number }[] };
    expect(json).toMatchObject({ passed: false, drills: [{ incidents: [{ detected: false }], falsePositives: 1 }] });
    expect(await readFile(join(reportDir, 'junit.xml'), 'utf8')).toContain('<testsuite');
    expect(JSON.parse(await readFile(join(reportDir, 'scorecard.json'), 'utf8'))).toMatchObject({ passed: false });
    const err = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await main(['node', 'firedrill', 'score', '--truth', join(dir, 'nope.json'), '--findings', files.findings, '--report-dir', reportDir])).toBe(2);
    } finally {
      process.stderr.write = err;
    }
  });
});

describe('firedrill score against an endpoint that does not answer', () => {
  it('fails with the reason before reading anything', async () => {
    const truth = join(dir, 'dead', 'truth.json');
    await writeTruthFile(truth, { scenarioId: 'x', title: 'x', seed: 1, window: { start: T0, end: T0 + 1 }, falsePositiveBudget: 0, incidents: [] });
    const sut = new URL('./testdata/alerts.sut.yaml', import.meta.url).pathname;
    await expect(scoreFiles({ truth, findings: sut, endpoint: 'http://127.0.0.1:1', env: {} })).rejects.toThrow(/the endpoint http:\/\/127\.0\.0\.1:1 does not answer/);
  });
});
