import { FiredrillError } from '../../core/index.ts';
import { explainAwsError } from '../../core/aws/index.ts';

/** Retrying a call failed for good: the last error is the cause. */
export class SendFailedError extends FiredrillError {}

export interface RetryOptions {
  /** Attempts in all, the first included (default 10). */
  attempts?: number;
  /** Backoff base and cap, ms (defaults 50 and 3,000). */
  baseMs?: number;
  maxMs?: number;
  /** Called before each retry (the call ledger counts them). */
  onRetry?: (err: unknown, attempt: number) => void;
  /** Test seam for the jitter; defaults to Math.random (jitter need not be reproducible). */
  random?: () => number;
}

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalServerError',
  'InternalError',
  'RequestTimeout',
  'RequestTimeoutException',
  'SlowDown',
  'TimeoutError',
  'LimitExceededException',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * What AWS's own SDKs retry: throttling, 5xx and connection failures. Validation errors are not retried —
 * sending the same bad request again cannot help.
 */
export function isRetryable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; message?: string; cause?: unknown };
  if (e.name && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e.$retryable) return true;
  if (typeof e.message === 'string' && /socket hang up|ECONNRESET|EPIPE|premature close|aborted|Deserialization error/i.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err ? isRetryable(e.cause) : false;
}

/** Exponential backoff with full jitter (the AWS Architecture Blog's recommendation). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

/** Runs `fn` until it succeeds, a non-retryable error occurs, or attempts run out. */
export async function withRetry<T>(what: string, fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 10;
  const baseMs = opts.baseMs ?? 50;
  const maxMs = opts.maxMs ?? 3_000;
  let last: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      last = err;
      if (!isRetryable(err) || attempt === attempts - 1) break;
      opts.onRetry?.(err, attempt + 1);
      await new Promise((r) => setTimeout(r, backoffDelay(attempt, baseMs, maxMs, opts.random)));
    }
  }
  // Credentials, region and permissions (real AWS) say so, with their fix.
  const access = explainAwsError(last, what);
  throw new SendFailedError(`${what} failed${access ? `: ${access.summary}` : ''}`, {
    expected: access?.expected ?? `${what} to succeed within ${attempts} attempts`,
    seen: last instanceof Error ? `${last.name}: ${last.message}` : String(last),
    fix: access?.fix ?? (isRetryable(last) ? 'the endpoint kept failing: check that the emulator is up (or, on AWS, the service health and your quotas), or lower the fault rate' : 'the request itself is wrong; see the cause'),
    cause: last,
  });
}
