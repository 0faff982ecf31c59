import type { Command } from 'commander';
import type { DownCommandOptions } from '../actions/down.ts';

export function register(program: Command): void {
  program
    .command('down')
    .description('remove every resource tagged firedrill:managed=true with the prefix: lists them first, deletes with --yes')
    .option('--prefix <prefix>', 'the prefix of the run to remove (default FIREDRILL_PREFIX or firedrill)')
    .option('--region <region>', 'AWS region (default AWS_REGION or us-east-1)')
    .option('--endpoint <url>', 'an emulator instead of AWS (for trying it out)')
    .option('--yes', 'delete them (without it: only list what would be deleted)')
    .option('--json', 'print the resources (and outcomes) as JSON')
    .action(async (opts: DownCommandOptions) => {
      const { downCommand } = await import('../actions/down.ts');
      process.exitCode = await downCommand(opts);
    });
}
