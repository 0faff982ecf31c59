/**
 * `npm run leaderboard [-- --only waf] [--suts builtin,seed-004] [--volume] [--plan] [--write-only]`: the catalog's
 * drills and the seed systems' own drills (examples/seeds/drills) against firedrill's own pipeline and the four seed
 * systems (examples/seeds), each SUT through `firedrill run --sut`, then `firedrill compare` over their report
 * directories; writes docs/LEADERBOARD.md with the matrix, a table per SUT, each SUT's wall time and the command that
 * reproduces it. Asserts nothing: a SUT that misses is a figure, not a failure.
 *
 * Cheap, but nothing skipped silently: a SUT is run only on the drills that send it at least one source it takes in
 * (its SUT file's entry points; the builtin takes every source); the others are "not applicable", with the reason,
 * in the table. Production-volume drills (about a million events each) are "not run" unless --volume.
 * --plan prints that plan and runs nothing; --write-only writes the page from the report directories already there
 * (what an interrupted run finished), every drill without a scorecard marked "not run".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { SOURCES, type SourceName } from '../core/index.ts';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import { buildComparison, cellOf, comparisonMarkdown, scoreRunDir, writeComparison, type ComparisonCell, type NotRun } from '../harness/compare/index.ts';
import type { DrillScorecard } from '../harness/evaluate/index.ts';
import { loadSutFile } from '../harness/sut/index.ts';
import { compile, isVolumeDrill, listCatalog, loadScenario } from '../scenarios/index.ts';

const SUTS: Record<string, string> = {
  builtin: 'builtin',
  'seed-000': 'examples/seeds/seed-000/firedrill.sut.yaml',
  'seed-002': 'examples/seeds/seed-002/firedrill.sut.yaml',
  'seed-003': 'examples/seeds/seed-003/firedrill.sut.yaml',
  'seed-004': 'examples/seeds/seed-004/firedrill.sut.yaml',
};
/** The drills the seed systems were built for, where the catalog has none (issue 15). */
const SEED_DRILLS = 'examples/seeds/drills';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const flag = (name: string) => argv.includes(name);
const only = arg('--only');
const suts = (arg('--suts') ?? Object.keys(SUTS).join(',')).split(',');
const root = arg('--report-dir') ?? 'reports/leaderboard';
const out = arg('--out') ?? 'docs/LEADERBOARD.md';
const withVolume = flag('--volume');
for (const s of suts) if (!SUTS[s]) throw new Error(`unknown SUT ${s}: one of ${Object.keys(SUTS).join(', ')}`);

const seedDrills = readdirSync(SEED_DRILLS)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ id: f.replace(/\.yaml$/, ''), file: join(SEED_DRILLS, f), tags: [] as string[] }));
const drills = [...listCatalog(), ...seedDrills].filter((d) => !only || d.id.includes(only));

/** The sources a drill sends (background and incidents), from its compiled plan. */
async function drillSources(file: string): Promise<SourceName[]> {
  const scenario = await loadScenario(file, { now: null });
  const topology = defaultTopology();
  const plan = compile(scenario, syntheticEstate(topology), { now: Date.now() });
  return [...new Set(plan.streams.flatMap((s) => s.sources))].sort();
}

/** The sources a SUT takes in: its entry points' (a SUT that names none gets the builtin's destinations: all). */
async function sutSources(sut: string): Promise<SourceName[]> {
  if (SUTS[sut] === 'builtin') return [...SOURCES];
  const { entry } = (await loadSutFile(SUTS[sut]!)).data;
  const named = [entry?.logGroups, entry?.firehose, entry?.kinesis, entry?.buckets].flatMap((m) => Object.keys(m ?? {})) as SourceName[];
  return named.length ? [...new Set(named)].sort() : [...SOURCES];
}

const sourcesOf = new Map<string, SourceName[]>();
for (const d of drills) sourcesOf.set(d.id, await drillSources(d.file));
const plan = new Map<string, string[]>();
const notRun: NotRun[] = [];
for (const sut of suts) {
  const takes = await sutSources(sut);
  const mine: string[] = [];
  for (const d of drills) {
    const has = sourcesOf.get(d.id)!;
    if (isVolumeDrill(d) && !withVolume) notRun.push({ sut, drill: d.id, reason: 'not run (volume drill)' });
    else if (!has.some((s) => takes.includes(s))) notRun.push({ sut, drill: d.id, reason: `n/a (takes ${takes.join(', ')})` });
    else mine.push(d.id);
  }
  plan.set(sut, mine);
}
process.stderr.write(`${suts.map((s) => `${s}: ${plan.get(s)!.length} of ${drills.length} drills`).join('\n')}\n`);
if (flag('--plan')) process.exit(0);

if (!flag('--write-only')) {
  await rm(root, { recursive: true, force: true });
  // The SUTs with the fewest drills first: an interrupted run still has whole columns for most of them.
  for (const sut of [...suts].sort((a, b) => plan.get(a)!.length - plan.get(b)!.length)) {
    const mine = drills.filter((d) => plan.get(sut)!.includes(d.id));
    if (mine.length === 0) continue;
    const dir = join(root, sut);
    await mkdir(dir, { recursive: true });
    const t0 = Date.now();
    // One `run` per SUT over its drills (each drill starts from a reset emulator); exit 1 is a failed expectation.
    const r = spawnSync(process.execPath, ['bin/firedrill.js', 'run', ...mine.map((d) => d.file), '--sut', SUTS[sut]!, '--report-dir', dir], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    await writeFile(join(dir, 'run.log'), r.stderr ?? '');
    process.stderr.write(`${sut}: ${mine.length} drill(s) in ${((Date.now() - t0) / 1000).toFixed(0)} s (exit ${r.status})\n`);
  }
}

// Every planned drill that left no scorecard (the run was interrupted, or the drill crashed before scoring) is said.
const runs: { sut: string; cards: DrillScorecard[] }[] = [];
const wall: Record<string, { drills: number; seconds: number }> = {};
for (const sut of suts) {
  const dir = join(root, sut);
  const cards = existsSync(dir) ? await scoreRunDir(dir).catch(() => []) : [];
  runs.push({ sut, cards });
  wall[sut] = { drills: 0, seconds: 0 };
  for (const c of cards) {
    const run = join(dir, c.scenarioId, 'run.json');
    if (!existsSync(run)) continue;
    wall[sut]!.drills++;
    wall[sut]!.seconds += (JSON.parse(await readFile(run, 'utf8')) as { wallSeconds: number }).wallSeconds;
  }
  for (const d of plan.get(sut)!) if (!cards.some((c) => c.scenarioId === d)) notRun.push({ sut, drill: d, reason: 'not run (no scorecard: see run.log)' });
}
const comparison = buildComparison(runs, notRun);
await writeComparison(comparison, root);

const missing = notRun.filter((n) => n.reason.startsWith('not run (no scorecard'));
const command = ['npm run leaderboard', argv.filter((a) => a !== '--write-only').join(' ')].filter(Boolean).join(' -- ');

function perSutTable(sut: string): string {
  const rows: string[] = [];
  const t = { drills: 0, caught: 0, incidents: 0, fp: 0, rcRight: 0, rcExpected: 0, remVerified: 0, remExecuted: 0, remExpected: 0 };
  const cards = runs.find((r) => r.sut === sut)!.cards;
  for (const d of comparison.drills) {
    const card = cards.find((c) => c.scenarioId === d);
    if (!card) continue;
    const cell: ComparisonCell = cellOf(card);
    t.drills++;
    t.caught += cell.caught.length;
    t.incidents += cell.caught.length + cell.missed.length;
    t.fp += cell.falsePositives;
    const rcExpected = card.incidents.filter((i) => i.rootCauseExpected !== undefined);
    t.rcExpected += rcExpected.length;
    t.rcRight += rcExpected.filter((i) => i.rootCauseCorrect === true).length;
    const remExpected = card.incidents.filter((i) => i.remediation && i.remediation.expected > 0);
    t.remExpected += remExpected.length;
    t.remVerified += remExpected.filter((i) => i.remediation!.verified).length;
    t.remExecuted += remExpected.filter((i) => i.remediation!.executed).length;
    const ttd = cell.timeToDetectSeconds === null ? '—' : `${cell.timeToDetectSeconds} s${cell.clock === 'wall' ? ' (wall)' : ''}`;
    rows.push(`| ${d} | ${cell.caught.length}/${cell.caught.length + cell.missed.length} | ${cell.missed.join(', ') || '—'} | ${cell.falsePositives} | ${ttd} | ${cell.rootCause} | ${cell.remediation} | ${cell.error ? `error: ${cell.error.split('\n')[0]}` : cell.passed ? 'yes' : 'no'} |`);
  }
  const na = notRun.filter((n) => n.sut === sut);
  return [
    `### ${sut}`,
    '',
    '| drill | caught | missed | false alarms | time to detect | root cause | remediation | passed |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    `| **total (${t.drills} drills)** | **${t.caught}/${t.incidents}** | **${t.incidents - t.caught}** | **${t.fp}** | | **${t.rcRight}/${t.rcExpected} right** | **${t.remVerified}/${t.remExpected} verified, ${t.remExecuted} executed** | |`,
    '',
    na.length ? `Not run here: ${na.map((n) => `${n.drill} (${n.reason.startsWith('n/a') ? `sends ${sourcesOf.get(n.drill)!.join(', ')}` : n.reason.replace(/^not run \((.*)\)$/, '$1')})`).join('; ')}.` : 'Every drill ran.',
    '',
  ].join('\n');
}

const md = `# Leaderboard: pipelines on the same drills

Each column is a system under test run on the same drills with the same ground truth — firedrill's catalog
(\`scenarios/\`) and the seed systems' own drills ([examples/seeds/drills](../examples/seeds/drills)) — firedrill's
own pipeline (\`builtin\`) and the four seed systems rebuilt in [examples/seeds](../examples/seeds/README.md). A cell
says how many of the drill's incidents the SUT caught, its false alarms (findings no incident explains), the time to
detect (event time; *wall* when the SUT states no time), and the root cause and remediation where the drill expects
them. A SUT is run only on drills that send it a source it takes in (its SUT file's entry points; the builtin takes
every source): *n/a (takes …)* names what it takes. The two production-volume drills (about a million events each)
are *not run* here (\`--volume\` includes them; \`npm run drill:volume\` runs them on the builtin). What each seed's
logic can and cannot do is in its README; [a reading](#reading) is below the tables.

Reproduce: \`${command}\` (moto, ${os.cpus().length} cores, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}).
Wall time of the drills each SUT ran (sum of the drills' own times): ${suts.map((s) => `${s} ${wall[s]!.seconds.toFixed(0)} s over ${wall[s]!.drills} drills${wall[s]!.drills ? ` (${(wall[s]!.seconds / wall[s]!.drills).toFixed(0)} s each)` : ''}`).join(', ')}.
${missing.length ? `\n**Incomplete:** ${missing.length} planned run(s) have no scorecard: ${missing.map((n) => `${n.sut} × ${n.drill}`).join(', ')}.\n` : ''}
## The matrix

${comparisonMarkdown(comparison)}

## Per SUT

${suts.map(perSutTable).join('\n')}
<!-- reading -->
`;
// The hand-written reading below the marker survives a re-run.
const previous = existsSync(out) ? await readFile(out, 'utf8') : '';
const marker = previous.indexOf('<!-- reading -->');
const reading = marker >= 0 ? previous.slice(marker + '<!-- reading -->'.length) : '\n';
await writeFile(out, md + reading.replace(/^\n*/, '\n'));
console.log(md);
