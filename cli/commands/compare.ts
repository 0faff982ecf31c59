import type { Command } from 'commander';
import type { CompareCommandOptions } from '../actions/compare.ts';

export function register(program: Command): void {
  program
    .command('compare')
    .description('several SUTs on the same drills and ground truth: caught / missed / wrongly flagged per drill, as a table, JSON, JUnit and HTML')
    .requiredOption('--runs <sut=dir...>', 'a SUT’s name and the report directory of its run (`firedrill run --all --sut … --report-dir dir`), once per SUT', (v: string, prev: string[] = []) => [...prev, v])
    .option('--report-dir <dir>', 'where compare.json, compare.junit.xml, compare.html and compare.md go', process.env.FIREDRILL_REPORT_DIR ?? 'reports')
    .option('--json', 'print the matrix as JSON on stdout')
    .action(async (opts: CompareCommandOptions) => {
      const { compareCommand } = await import('../actions/compare.ts');
      process.exitCode = await compareCommand(opts);
    });
}
