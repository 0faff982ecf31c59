import type { Command } from 'commander';

/** `firedrill validate <file...>`: located problems on stderr, exit code 1 when any file is invalid. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check drill files against the schema and timeline rules; report every problem as file:line:column')
    .argument('<file...>', 'scenario YAML files')
    .option('--compile', 'compile each drill against a synthetic estate (the default): unregistered generators, params a kind does not read, entities it does not use, pool matches that find nothing, replay files and labels that are not there')
    .option('--no-compile', 'check the schema and the timeline only')
    .action(async (files: string[], opts: { compile?: boolean }) => {
      const { validateFiles } = await import('../../scenarios/index.ts');
      const r = await validateFiles(files, { compile: opts.compile ?? true });
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (r.code !== 0) process.exitCode = r.code;
    });
}
