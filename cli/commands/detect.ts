import type { Command } from 'commander';
import type { DetectCommandOptions } from '../actions/detect.ts';

export function register(program: Command): void {
  program
    .command('detect')
    .description('ingest a drill and run the detector on the emulator (no remediation); print the detection scorecard')
    .requiredOption('--scenario <file>', 'scenario file (see `firedrill list`)')
    .option('--seed <seed>', "override the scenario's seed")
    .option('--sut <file>', 'the system under test: a SUT file (docs/SUT.md), or builtin', 'builtin')
    .option('--report-dir <dir>', 'write <dir>/<drill>/truth.json, findings.jsonl and run.json (for firedrill score)')
    .option('--endpoint <url>', 'use this running emulator (it is reset first); fails within seconds when nothing answers there')
    .option('--json', 'print incidents[], falsePositives, precision, recall and f1 as JSON')
    .action(async (opts: DetectCommandOptions) => {
      const { detectCommand } = await import('../actions/detect.ts');
      process.exitCode = await detectCommand(opts);
    });
}
