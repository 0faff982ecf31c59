import type { Command } from 'commander';

/**
 * `firedrill setup`: prepares the local emulators, a .venv with the pinned moto server and, when a Python 3.13
 * exists, LocalStack's venv from its lock file. A no-op when done.
 */
export function register(program: Command): void {
  program
    .command('setup')
    .description('create .venv with the pinned moto server and, given a Python 3.13, LocalStack\'s venv (idempotent; run by `npm test`)')
    .action(async () => {
      const given = process.env.FIREDRILL_ENDPOINT || process.env.AWS_ENDPOINT_URL;
      // Loaded here, not at the top: `firedrill --help` loads only the command registrations.
      const [{ errorMessage }, { ensureLocalStackVenv, ensureVenv, findPython313 }] = await Promise.all([import('../../core/index.ts'), import('../../emulator/index.ts')]);
      try {
        const status = await ensureVenv();
        process.stderr.write(`firedrill setup: ${status.installed} in ${status.paths.dir}\n`);
      } catch (err) {
        // With an emulator given from outside, the embedded one is only a fallback: warn, do not fail.
        if (!given) throw err;
        process.stderr.write(`firedrill setup: skipped the embedded moto (${errorMessage(err).split('\n')[0]}); using ${given}\n`);
      }
      // LocalStack is optional (only --target localstack needs it): without a Python 3.13 setup says so and goes on.
      const python = await findPython313().catch((err: unknown) => err as Error);
      if (python instanceof Error) {
        process.stderr.write(`firedrill setup: skipped LocalStack (${python.message.split('\n').slice(0, 3).join(';').replace(/\s+/g, ' ')}); --target localstack needs it\n`);
        return;
      }
      const ls = await ensureLocalStackVenv();
      process.stderr.write(`firedrill setup: ${ls.installed?.split(' ')[0]} in ${ls.paths.dir}\n`);
    });
}
