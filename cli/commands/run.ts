import type { Command } from 'commander';
import type { RunCommandOptions } from '../actions/run.ts';

/** The port of `run --serve` given alone. */
export const DEFAULT_SERVE_PORT = 8080;

export function register(program: Command): void {
  program
    .command('run')
    .description('run drills end to end (emulator, pipeline, detection, remediation) and print a scorecard')
    .argument('[scenarios...]', 'scenario files (see `firedrill list`)')
    .option('--all', 'run every drill of the catalog (production-volume drills only when named)')
    .option('--target <target>', 'moto (embedded emulator) | localstack | aws', 'moto')
    .option('--endpoint <url>', 'use this running emulator (it is reset first); fails within seconds when nothing answers there')
    .option('--seed <seed>', "override the scenarios' seeds")
    .option('--sut <file>', 'the system under test: a SUT file (docs/SUT.md), or builtin (firedrill\'s own pipeline)', 'builtin')
    .option('--report-dir <dir>', 'where scorecard.json, junit.xml and report.html go (and <drill>/truth.json, findings.jsonl, run.json)', process.env.FIREDRILL_REPORT_DIR ?? 'reports')
    .option('--json', 'print the scorecards as JSON on stdout')
    .option('--serve [port]', `serve a live page of the drills (server-sent events), /metrics (Prometheus) and the reports on this port (default ${DEFAULT_SERVE_PORT}); it stays up after the drills until Ctrl-C`)
    .option('--serve-host <host>', 'address to serve on (0.0.0.0 in a container)', '127.0.0.1')
    .option('--yes', 'with --target aws: create the billable resources it needs (see `firedrill plan`)')
    .action(async (files: string[], opts: RunCommandOptions) => {
      const { runCommand } = await import('../actions/run.ts');
      process.exitCode = await runCommand(files, opts);
    });
}
