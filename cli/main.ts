import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';
// Only what `--help` needs is imported here: each command loads its own modules when it runs.
import { FiredrillError } from '../core/errors.ts';
import { exitCodeFor } from './exit-codes.ts';
import { applyHeapGrowth } from './heap-growth.ts';
import { packageVersion } from './package-version.ts';

/** Builds the parser; exported so tests can parse argv without running anything. */
export function buildProgram(): Command {
  const program = new Command('firedrill')
    .description('Fire drills for AWS log anomaly detection and auto-remediation pipelines')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI and returns the exit code (never calls process.exit, so servers and handles close). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    // Before any command starts its threads (see heap-growth.ts): the process's heaps stay close to their live data.
    applyHeapGrowth();
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const code = exitCodeFor(err);
    // commander has already printed its own usage message.
    if (err instanceof CommanderError) return code;
    if (err instanceof FiredrillError) process.stderr.write(`firedrill: ${err.message}\n`);
    else process.stderr.write(`firedrill: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    return code;
  }
}
