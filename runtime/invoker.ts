import { FiredrillError } from '../core/index.ts';

/** An error as a Lambda runtime reports it (errorType, errorMessage, stackTrace). */
export interface SerializedError {
  errorType: string;
  errorMessage: string;
  stackTrace?: string[];
}

/** One invocation that did not return a result: the handler threw, timed out, or its runtime died or could not start. */
export class InvocationError extends Error {
  constructor(
    readonly handler: string,
    readonly kind: 'error' | 'timeout' | 'crash' | 'init',
    readonly error: SerializedError,
  ) {
    super(`${handler}: ${error.errorType}: ${error.errorMessage}`);
    this.name = 'InvocationError';
  }
}

/**
 * A handler that could not be loaded (import failed, export missing, venv or pip failed): names the handler, the
 * SUT, the step and the fix.
 */
export class HandlerInitError extends FiredrillError {}

/** Lambda's own words for a timeout. */
export function timeoutError(handler: string, timeoutMs: number): InvocationError {
  return new InvocationError(handler, 'timeout', { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds` });
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) return { errorType: err.name || 'Error', errorMessage: err.message, stackTrace: (err.stack ?? '').split('\n').slice(1).map((l) => l.trim()) };
  return { errorType: typeof err, errorMessage: String(err) };
}

/** A handler's line of output (its prints and logs, and the START/END/REPORT lines Lambda writes around them). */
export interface HandlerLogLine {
  handler: string;
  stream: 'stdout' | 'stderr' | 'platform';
  line: string;
  timeMs: number;
}

/** A handler made runnable: loaded once (cold start), invoked many times, closed at the end. */
export interface Invoker {
  /**
   * Starts an environment when none runs (a cold start) and resolves once the code is loaded and ready; rejects with
   * a HandlerInitError that says what to fix.
   */
  ready(): Promise<void>;
  /** Runs one invocation; rejects with an InvocationError. Enforces the function's timeout. */
  invoke(event: unknown, requestId: string): Promise<unknown>;
  /** Times the code was loaded (the first start and every restart after a crash or timeout). */
  coldStarts(): number;
  /**
   * The most memory the handler was seen to hold, as Lambda's `Max Memory Used` (undefined before its first
   * invocation, or when the invoker cannot tell). A Node handler's thread shares its process with the others, so
   * this is its isolate's share: V8 heap resident plus the memory its objects own outside it, as each invocation
   * ends — not the process's RSS.
   */
  maxMemoryUsedMb?(): number | undefined;
  /**
   * The init this invocation waited for, in ms, when it started a cold environment (Lambda's `Init Duration` on the
   * REPORT line); undefined when it ran in a warm one. Read once, after the invocation ends.
   */
  initDurationMs?(requestId: string): number | undefined;
  close(): Promise<void>;
}
