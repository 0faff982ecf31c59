import type { Command } from 'commander';
import type { IngestCommandOptions } from '../actions/ingest.ts';

export function register(program: Command): void {
  program
    .command('ingest')
    .description('push a scenario through the real pipeline on the emulator and print the delivery ledger')
    .requiredOption('--scenario <file>', 'scenario file (see `firedrill list`)')
    .option('--sut <file>', "the system under test: a SUT file (docs/SUT.md) whose entry points get the events and whose handlers run until idle, or builtin; default: firedrill's normalizer alone")
    .option('--seed <seed>', "override the scenario's seed")
    .option('--endpoint <url>', 'a running emulator to use (it is reset); default: start one (or FIREDRILL_ENDPOINT)')
    .option('--json', 'print per-source counts and "balanced" as JSON on stdout')
    .action(async (opts: IngestCommandOptions) => {
      const { ingestCommand } = await import('../actions/ingest.ts');
      process.exitCode = await ingestCommand(opts);
    });
}
