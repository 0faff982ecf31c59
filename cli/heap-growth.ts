import { setFlagsFromString } from 'node:v8';
import { ConfigError } from '../core/errors.ts';

/**
 * How far V8 lets a heap grow past what the last full collection kept, in percent, for every isolate of the CLI's
 * process (its main thread and the handlers' worker threads). V8's own factor depends on the heap's limit: up to 4×
 * for the main thread's multi-gigabyte default, so a drill's process held several times its live data between two
 * full collections (measured: at 100k events the main thread kept ~90 MB live in a heap of ~160 MB). 50 % makes
 * those collections come sooner: at 1M events Node's peak went from ~770 to ~690 MB for ~5 % more CPU in Node
 * (20 % saved as much memory, for ~20 % more CPU). 30 %, the default since the production-volume work took the
rest of the drill path's memory down: at 1M events, two A/B pairs from the build, Node's peak 370–378 -> 346–350 MB
for ~7 % more CPU in Node (~4.5 % of the drill's CPU with moto's).
 *
 * Not a bound: a heap still grows to whatever its live data needs, up to the same limits as before, so a larger
 * scenario gets more collections, never an out-of-memory error it would not have had. (A `--max-old-space-size`
 * would be a bound — and V8 applies that flag over every worker's own `resourceLimits`, capping the handlers too.)
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 30;

/** FIREDRILL_HEAP_GROWING_PERCENT: an integer 0–400 (0: V8's own growing); unset: the default. */
export function heapGrowingPercent(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.FIREDRILL_HEAP_GROWING_PERCENT?.trim();
  if (raw === undefined || raw === '') return DEFAULT_HEAP_GROWING_PERCENT;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 400) {
    throw new ConfigError('FIREDRILL_HEAP_GROWING_PERCENT is not a percentage firedrill can use', {
      expected: 'an integer from 0 to 400 (0 leaves V8 its own heap growing)',
      seen: JSON.stringify(env.FIREDRILL_HEAP_GROWING_PERCENT),
      fix: `set it to e.g. ${DEFAULT_HEAP_GROWING_PERCENT}, or unset it for the default`,
    });
  }
  return n;
}

/**
 * Applies heapGrowingPercent to V8 (process-wide: isolates read it at each full collection, so workers started
 * later use it too). Returns the percent applied, 0 when V8 keeps its own growing.
 */
export function applyHeapGrowth(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const percent = heapGrowingPercent(env);
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
