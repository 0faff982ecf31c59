import type { Command } from 'commander';
import { SOURCES } from '../../core/vocabulary.ts';

/** How lines are written: as AWS writes them, or wrapped as the sink would send them. */
export const OUTPUT_SHAPES = ['native', 'cwl', 'firehose'] as const;
export type OutputShape = (typeof OUTPUT_SHAPES)[number];

/** The default start: a fixed instant, so `generate` output is a function of its flags only. */
export const DEFAULT_START = '2026-05-01T00:00:00Z';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `firedrill generate`: seeded, AWS-exact lines of one source, with its truth manifest, offline. */
export function register(program: Command): void {
  program
    .command('generate')
    .description('write AWS-exact log lines of one source (and an incident mode) from a seed, with the truth manifest beside them')
    .requiredOption('--source <name>', `log source: ${SOURCES.join(', ')}`)
    .option('--mode <kind>', 'incident kind to inject (over the middle 60% of the window)')
    .option('--count <n>', 'stop after N events')
    .option('--duration <d>', 'window length, e.g. 10m, 2h')
    .option('--rate <r>', 'background rate, e.g. 2000/s, 50/m', '100/s')
    .option('--seed <seed>', 'seed (same seed → byte-identical output)', '42')
    .option('--start <iso>', 'window start (virtual time)', DEFAULT_START)
    .option('--intensity <x>', 'incident intensity in (0, 1]', '1')
    .option('--option <key=value>', 'source option / incident param (repeatable), e.g. format="${version} ${srcaddr}"', collect, [])
    .option('--as <shape>', `output shape: ${OUTPUT_SHAPES.join(' | ')}`, 'native')
    .option('--out <file|->', 'output file, - for stdout', '-')
    .option('--truth <file>', 'truth manifest (default <out>.truth.ndjson)')
    .action(async (flags: Record<string, unknown>) => {
      const { generateCommand } = await import('../actions/generate.ts');
      await generateCommand(flags);
    });
}
