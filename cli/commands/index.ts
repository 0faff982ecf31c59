import type { Command } from 'commander';

/** Each command lives in its own file and registers itself here (one line each). */
export const commands: ((program: Command) => void)[] = [];
