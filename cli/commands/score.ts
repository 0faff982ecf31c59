import type { Command } from 'commander';
import type { ScoreCommandOptions } from '../actions/score.ts';

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
      const { scoreCommand } = await import('../actions/score.ts');
      process.exitCode = await scoreCommand(opts);
    });
}
