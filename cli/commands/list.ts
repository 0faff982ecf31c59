import type { Command } from 'commander';

/** `firedrill list`: the drill catalog with one-line descriptions. */
export function register(program: Command): void {
  program
    .command('list')
    .description('list the drills of the catalog (scenarios/*.yaml) with one-line descriptions')
    .option('--dir <dir>', 'a folder of drills instead of the catalog')
    .option('--json', 'print JSON')
    .action(async (opts: { dir?: string; json?: boolean }) => {
      const { CATALOG_DIR, formatCatalog, listCatalog } = await import('../../scenarios/index.ts');
      const entries = listCatalog(opts.dir ?? CATALOG_DIR);
      process.stdout.write(opts.json ? `${JSON.stringify(entries, null, 2)}\n` : formatCatalog(entries));
    });
}
