import type { Command } from 'commander';
import { errorMessage } from '../../core/index.ts';
import { ensureVenv } from '../../emulator/index.ts';

/** `firedrill setup`: prepares the local emulator (a .venv with the pinned moto server). A no-op when done. */
export function register(program: Command): void {
  program
    .command('setup')
    .description('create .venv with the pinned moto server (idempotent; run by `npm test`)')
    .action(async () => {
      const given = process.env.FIREDRILL_ENDPOINT || process.env.AWS_ENDPOINT_URL;
      try {
        const status = await ensureVenv();
        process.stderr.write(`firedrill setup: ${status.installed} in ${status.paths.dir}\n`);
      } catch (err) {
        // With an emulator given from outside, the embedded one is only a fallback: warn, do not fail.
        if (!given) throw err;
        process.stderr.write(`firedrill setup: skipped the embedded moto (${errorMessage(err).split('\n')[0]}); using ${given}\n`);
      }
    });
}
