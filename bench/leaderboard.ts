/**
 * `npm run leaderboard [-- --only waf] [--suts builtin,seed-004]`: the catalog's drills against firedrill's own
 * pipeline and the four seed systems (examples/seeds), each SUT through `firedrill run --sut`, then
 * `firedrill compare` over their report directories; writes docs/LEADERBOARD.md with the matrix, each SUT's wall
 * time and the command that reproduces it. Asserts nothing: a SUT that misses is a figure, not a failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { buildComparison, comparisonMarkdown, scoreRunDir, writeComparison } from '../harness/compare/index.ts';
import { listCatalog } from '../scenarios/index.ts';

const SUTS: Record<string, string> = {
  builtin: 'builtin',
  'seed-000': 'examples/seeds/seed-000/firedrill.sut.yaml',
  'seed-002': 'examples/seeds/seed-002/firedrill.sut.yaml',
  'seed-003': 'examples/seeds/seed-003/firedrill.sut.yaml',
  'seed-004': 'examples/seeds/seed-004/firedrill.sut.yaml',
};

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const only = arg('--only');
const suts = (arg('--suts') ?? Object.keys(SUTS).join(',')).split(',');
const root = arg('--report-dir') ?? 'reports/leaderboard';
const drills = listCatalog().filter((c) => !only || c.id.includes(only));

await rm(root, { recursive: true, force: true });
const runs = [];
const wall: Record<string, number> = {};
for (const sut of suts) {
  const file = SUTS[sut];
  if (!file) throw new Error(`unknown SUT ${sut}: one of ${Object.keys(SUTS).join(', ')}`);
  const dir = join(root, sut);
  await mkdir(dir, { recursive: true });
  const t0 = Date.now();
  // One `run` per SUT over every drill (each drill starts from a reset emulator); exit 1 is a failed expectation.
  const r = spawnSync(process.execPath, ['bin/firedrill.js', 'run', ...drills.map((d) => d.file), '--sut', file, '--report-dir', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  wall[sut] = (Date.now() - t0) / 1000;
  process.stderr.write(`${sut}: ${drills.length} drill(s) in ${wall[sut]!.toFixed(0)} s (exit ${r.status})\n`);
  runs.push({ sut, cards: await scoreRunDir(dir) });
}
const c = buildComparison(runs);
await writeComparison(c, root);
const command = `npm run leaderboard${only ? ` -- --only ${only}` : ''}${arg('--suts') ? ` --suts ${arg('--suts')}` : ''}`;
const md = `# Leaderboard: pipelines on the same drills

Each column is a system under test run on the same drills with the same ground truth (firedrill's catalog,
\`scenarios/\`): firedrill's own pipeline (\`builtin\`) and the four seed systems rebuilt in
[examples/seeds](../examples/seeds/README.md). A cell says how many of the drill's incidents the SUT caught, its
false positives (findings no incident explains), the time to detect (event time; *wall* when the SUT states no
time), and the root cause and remediation where the drill expects them. What each seed's logic can and cannot do
is in its README.

Reproduce: \`${command}\` (moto, ${os.cpus().length} cores, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}).
Wall time per SUT: ${suts.map((s) => `${s} ${wall[s]!.toFixed(0)} s`).join(', ')}.

${comparisonMarkdown(c)}
`;
await writeFile('docs/LEADERBOARD.md', md);
console.log(md);
