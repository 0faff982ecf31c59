import type { Command } from 'commander';
import { renderScorecard, writeReports } from '../../harness/reports/index.ts';
import { scoreFiles } from '../../harness/score/index.ts';
import { exitCodeOf } from './run.ts';

export interface ScoreCommandOptions {
  truth: string;
  findings: string;
  endpoint?: string;
  run?: string;
  reportDir: string;
  json?: boolean;
}

/** `firedrill score`: the scorecard and reports of findings produced elsewhere; exit 0 passed, 1 failed, 2 bad input, 3 environment. */
export async function scoreCommand(opts: ScoreCommandOptions): Promise<number> {
  const endpoint = opts.endpoint ?? (process.env.FIREDRILL_ENDPOINT || process.env.AWS_ENDPOINT_URL || undefined);
  const r = await scoreFiles({ truth: opts.truth, findings: opts.findings, ...(endpoint ? { endpoint } : {}), ...(opts.run ? { run: opts.run } : {}) });
  const paths = await writeReports([r.card], opts.reportDir);
  for (const n of r.notes) process.stderr.write(`firedrill score: ${n}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify({ passed: r.card.passed, drills: [r.card], reports: paths }, null, 2)}\n`);
  else process.stdout.write(`${renderScorecard(r.card)}\nreports: ${paths.html}\n         ${paths.junit}\n         ${paths.json}\n`);
  return exitCodeOf([r.card]);
}

export function register(program: Command): void {
  program
    .command('score')
    .description('score findings produced elsewhere against a truth file: the same scorecard and reports as `run` (see docs/SUT.md)')
    .requiredOption('--truth <file>', "a run's truth.json, or the truth file of `firedrill load` (one tick per line)")
    .requiredOption('--findings <file>', "a run's findings.jsonl, or a SUT file whose taps are read now")
    .option('--endpoint <url>', 'the emulator a SUT file’s taps are read on (default FIREDRILL_ENDPOINT / AWS_ENDPOINT_URL, else AWS)')
    .option('--run <file>', "the run's run.json (remediation, ledger, timeline); default: the one beside the truth file")
    .option('--report-dir <dir>', 'where scorecard.json, junit.xml and report.html go', process.env.FIREDRILL_REPORT_DIR ?? 'reports')
    .option('--json', 'print the scorecard as JSON on stdout')
    .action(async (opts: ScoreCommandOptions) => {
      process.exitCode = await scoreCommand(opts);
    });
}
