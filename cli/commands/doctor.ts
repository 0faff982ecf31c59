import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('doctor')
    .description('check Node, python3, the moto .venv, LocalStack, Docker and the endpoint, each with its fix')
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { doctorCommand } = await import('../actions/doctor.ts');
      const code = await doctorCommand(opts);
      if (code !== 0) process.exitCode = code;
    });
}
