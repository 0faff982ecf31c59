import { pino, type Logger } from 'pino';

/**
 * pino, because it is the fastest structured logger for Node and writes JSON a log pipeline can read.
 * Level from FIREDRILL_LOG_LEVEL (default `warn`, so CLI output stays the scorecard, not chatter).
 * Logs go to stderr: stdout is reserved for results (`--json`, `--out -`).
 */
export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.FIREDRILL_LOG_LEVEL ?? 'warn' }, pino.destination(2));
}

export type { Logger };
