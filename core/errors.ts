/**
 * Errors that tell a person what was expected, what was seen and how to fix it. Every error firedrill
 * raises on purpose is a FiredrillError (or a subclass ending in `Error`), carrying `cause` when it wraps one.
 */
export interface ErrorDetails {
  expected?: string;
  seen?: string;
  fix?: string;
  cause?: unknown;
}

export class FiredrillError extends Error {
  readonly expected: string | undefined;
  readonly seen: string | undefined;
  readonly fix: string | undefined;

  constructor(summary: string, details: ErrorDetails = {}) {
    const lines = [summary];
    if (details.expected) lines.push(`  expected: ${details.expected}`);
    if (details.seen) lines.push(`  seen:     ${details.seen}`);
    if (details.fix) lines.push(`  fix:      ${details.fix}`);
    super(lines.join('\n'), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.expected = details.expected;
    this.seen = details.seen;
    this.fix = details.fix;
  }
}

/** A line or record that does not match its AWS format. The message is the quarantine reason. */
export class FormatError extends FiredrillError {}

/** Input a person wrote (scenario files, CLI flags, environment) is wrong. */
export class ConfigError extends FiredrillError {}

/** A deadline passed while waiting for something to become true. */
export class TimeoutError extends FiredrillError {}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
