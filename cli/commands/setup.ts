import type { Command } from 'commander';
import { ensureVenv } from '../../localstack/index.ts';

/** `firedrill setup`: prepares the local emulator (a .venv with the pinned moto server). A no-op when done. */
export function register(program: Command): void {
  program
    .command('setup')
    .description('create .venv with the pinned moto server (idempotent; run by `npm test`)')
    .action(async () => {
      const status = await ensureVenv();
      process.stderr.write(`firedrill setup: ${status.installed} in ${status.paths.dir}\n`);
    });
}
