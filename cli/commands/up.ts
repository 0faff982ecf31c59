import type { Command } from 'commander';
import type { UpCommandOptions } from '../actions/up.ts';

/** `firedrill up`: an emulator with the whole topology on it, kept running until Ctrl-C, for poking at with any AWS tool. */
export function register(program: Command): void {
  program
    .command('up')
    .description('start the emulator, bootstrap the pipeline and estate, print the endpoint and ids, and wait (Ctrl-C stops); --target aws --yes bootstraps your account and exits')
    .option('--target <target>', 'moto (the embedded emulator, kept running) | aws (bootstrap your account once, then exit)', 'moto')
    .option('--endpoint <url>', 'a running emulator to use instead of starting one (with --target aws: a stand-in for the account)')
    .option('--port <port>', 'preferred moto port (another free one is used when taken)')
    .option('--reset', 'wipe the emulator first (useful with FIREDRILL_ENDPOINT)')
    .option('--json', 'print endpoint and ids as JSON on stdout')
    .option('--yes', 'with --target aws: create the billable resources (see `firedrill plan`)')
    .action(async (opts: UpCommandOptions) => {
      const { upCommand } = await import('../actions/up.ts');
      await upCommand(opts);
    });
}
