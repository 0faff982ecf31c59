import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../core/index.ts';
import type { DrillScorecard } from '../evaluate/index.ts';
import { scoreFiles } from '../score/index.ts';

/** `<sut>=<report dir>` as `--runs` takes it. */
export function parseRunsArg(arg: string): { sut: string; dir: string } {
  const eq = arg.indexOf('=');
  if (eq <= 0 || eq === arg.length - 1) {
    throw new ConfigError(`--runs ${arg}: not <sut>=<report dir>`, { expected: 'a name, `=`, and the report directory of that SUT’s run (e.g. seed-004=reports/seed-004)', seen: arg, fix: 'write it as --runs <name>=<dir>, once per SUT' });
  }
  return { sut: arg.slice(0, eq), dir: arg.slice(eq + 1) };
}

/**
 * Every drill a SUT's run left in its report directory (`<dir>/<drill>/truth.json` + `findings.jsonl`, and
 * `run.json` when there is one), scored again from those files: the scorecards `firedrill score` gives, so a
 * comparison never depends on how each run was made.
 */
export async function scoreRunDir(dir: string): Promise<DrillScorecard[]> {
  if (!existsSync(dir)) throw new ConfigError(`no report directory ${dir}`, { expected: 'the --report-dir of a finished `firedrill run`', seen: 'nothing there', fix: 'run the drills first, or check the path' });
  const cards: DrillScorecard[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const truth = join(dir, entry.name, 'truth.json');
    const findings = join(dir, entry.name, 'findings.jsonl');
    if (!existsSync(truth) || !existsSync(findings)) continue;
    cards.push((await scoreFiles({ truth, findings })).card);
  }
  if (cards.length === 0) throw new ConfigError(`no drill in ${dir}`, { expected: '<drill>/truth.json and <drill>/findings.jsonl under it', seen: 'none', fix: 'point --runs at the --report-dir of a finished run' });
  return cards;
}
