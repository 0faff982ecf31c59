import type { Command } from 'commander';

/** `firedrill sut validate <file...>`: located problems on stderr; exit 0 when every file is valid, 2 when not. */
export function register(program: Command): void {
  const sut = program.command('sut').description('system-under-test files (see docs/SUT.md)');
  sut
    .command('validate')
    .description('check SUT files against the schema and their cross-field rules; report every problem as file:line:column')
    .argument('<file...>', 'SUT YAML files (firedrill.sut.yaml)')
    .action(async (files: string[]) => {
      const { validateSutFiles } = await import('../../harness/sut/index.ts');
      const r = await validateSutFiles(files);
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (r.code !== 0) process.exitCode = r.code;
    });
}
