import { CommanderError } from 'commander';
import { ConfigError, FormatError } from '../core/errors.ts';

/** What a firedrill exit code means; CI gates read them. */
export const EXIT = {
  /** Every expectation held. */
  passed: 0,
  /** The drill ran and an expectation failed (the system under test missed something). */
  failed: 1,
  /** Usage or configuration: a flag, a scenario or SUT file, a variable is wrong. Fix the input and rerun. */
  usage: 2,
  /** A crash or the environment: no emulator, no credentials, a dead endpoint, a bug. Nothing was judged. */
  crash: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code an error ends the CLI with: bad input is 2, everything else that stops a run is 3. */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.passed : EXIT.usage;
  if (err instanceof ConfigError || err instanceof FormatError) return EXIT.usage;
  return EXIT.crash;
}

/** Several drills: a crash outranks bad input, which outranks a failed expectation. */
export function worstExit(codes: readonly number[]): number {
  const rank = [EXIT.passed, EXIT.failed, EXIT.usage, EXIT.crash];
  return codes.reduce((worst, c) => (rank.indexOf(c as ExitCode) > rank.indexOf(worst as ExitCode) ? c : worst), EXIT.passed);
}
