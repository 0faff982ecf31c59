import path from 'node:path';
import { ConfigError } from '../core/index.ts';

/**
 * What the local runtime needs to run one function the target cannot run itself, as a Lambda would run it: its
 * code, its configuration and the one trigger that invokes it. Identifiers are resolved (queue URLs, topic ARNs,
 * absolute paths): reading a SUT file and interpolating it is the harness's business, not the runtime's.
 */
export type HandlerSpec = NodeHandlerSpec | PythonHandlerSpec | InlineHandlerSpec;

interface HandlerSpecBase {
  /** Unique within one runtime; the Lambda function name (AWS_LAMBDA_FUNCTION_NAME, ARNs, log lines). */
  name: string;
  /** The function's own environment (Lambda's Environment.Variables). The AWS_* variables are firedrill's. */
  environment?: Record<string, string>;
  /** Lambda's Timeout, in ms (default 3 s, as Lambda's). An invocation over it fails and its runtime restarts. */
  timeoutMs?: number;
  /** Lambda's MemorySize, in MB (default 128): informative (context, environment, REPORT lines), not enforced. */
  memoryMb?: number;
  /**
   * Execution environments initialized before the first invocation, as Lambda's provisioned concurrency (default 0:
   * an environment starts on the invocation that needs it, a cold start whose init the invocation waits for). A
   * Node handler runs in one environment whatever its concurrency, so any value above 0 starts it at once; a Python
   * handler starts that many of its processes (at most one per unit of its trigger's concurrency).
   */
  provisionedConcurrency?: number;
  trigger: TriggerSpec;
}

/** A Node function: `export` of the module `file` (ESM or CommonJS; TypeScript through tsx), in its own worker. */
export interface NodeHandlerSpec extends HandlerSpecBase {
  runtime: 'node';
  entry: { file: string; export: string };
}

/** A Python function: `module.function` under `codeDir`, in long-lived processes of the project's Python. */
export interface PythonHandlerSpec extends HandlerSpecBase {
  runtime: 'python';
  entry: { codeDir: string; handler: string };
  python?: {
    /** The function's requirements file (pip's format); the venv is built from it. None: a venv with nothing. */
    requirements?: string;
    /** Names the venv directory and errors (the SUT's name; default the handler's). */
    owner?: string;
  };
}

/**
 * A function given as a value, called in this thread. Not how a SUT is bound (a SUT's code runs isolated, as
 * `node` or `python`); for tests and for callers that build a handler around live objects.
 */
export interface InlineHandlerSpec extends HandlerSpecBase {
  runtime: 'inline';
  fn: (event: unknown, context: LambdaContextLike) => Promise<unknown> | unknown;
}

/** What an inline handler gets as its context (the fields of Node's Lambda context that make sense here). */
export interface LambdaContextLike {
  functionName: string;
  awsRequestId: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  getRemainingTimeInMillis(): number;
}

export type TriggerSpec = SqsTrigger | KinesisTrigger | LogsTrigger | ScheduleTrigger | SnsTrigger;
export type TriggerType = TriggerSpec['type'];

/** An SQS event source mapping. */
export interface SqsTrigger {
  type: 'sqs';
  queueUrl: string;
  /** Messages per invocation (BatchSize; default 10). Above 10 needs a batching window. */
  batchSize?: number;
  /** MaximumBatchingWindowInSeconds, in ms (default 0). */
  batchWindowMs?: number;
  /** Invocations in flight at once (ScalingConfig.MaximumConcurrency; default 1). */
  concurrency?: number;
  /**
   * Lambda leaves a failed message invisible for the rest of the queue's visibility timeout; locally that can be
   * minutes. Set to make failed messages visible again after this many seconds (retry semantics unchanged).
   */
  failedVisibilitySeconds?: number;
  /** FunctionResponseTypes [ReportBatchItemFailures] (default false, as Lambda's: a returned value is ignored). */
  reportBatchItemFailures?: boolean;
  /** Long-poll wait per receive (default 1 s; stop() waits for the polls in flight). */
  waitTimeSeconds?: number;
  /** Messages that may wait in the queue before a drill holds its delivery (LocalRuntime.backlog). */
  maxBacklog?: number;
}

/** A Kinesis event source mapping (one batch per shard at a time, in order). */
export interface KinesisTrigger {
  type: 'kinesis';
  /** The stream, by name or ARN (one of them). */
  streamName?: string;
  streamArn?: string;
  /** Records per invocation (default 100, as Lambda's). */
  batchSize?: number;
  /** Where reading starts (default LATEST, as Lambda's: records put before the runtime started are not read). */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  /** For AT_TIMESTAMP: epoch ms. */
  startingPositionTimestampMs?: number;
  /** MaximumRetryAttempts (default -1: retry a failing batch until it succeeds, as Lambda's default). */
  maxRetryAttempts?: number;
  /** BisectBatchOnFunctionError: split a failing batch in two and retry the halves (default false). */
  bisectOnError?: boolean;
  /** FunctionResponseTypes [ReportBatchItemFailures]: resume from the first failed sequence number. */
  reportBatchItemFailures?: boolean;
}

/** A CloudWatch Logs subscription filter whose destination is the function. */
export interface LogsTrigger {
  type: 'logs';
  logGroupName: string;
  /** The subscription's filter pattern (applied by FilterLogEvents; default: every event). */
  filterPattern?: string;
  /** The subscription filter's name as the envelope's `subscriptionFilters` shows it (default `<handler>-subscription`). */
  filterName?: string;
  /** Only events with a timestamp at or after this (epoch ms; default 0: every event the group holds or gets). */
  startTimeMs?: number;
  /** Attempts after a failed invocation before the events are dropped (async invocation; default 2, as Lambda's). */
  maxRetryAttempts?: number;
}

/** An EventBridge schedule rule whose target is the function. */
export interface ScheduleTrigger {
  type: 'schedule';
  /** `rate(…)` or `cron(…)`, EventBridge's syntax, UTC. */
  expression: string;
  /**
   * Event time only: when several occurrences are due at once, fire the first, then one per `coalesce` occurrences,
   * and the last one due (for a handler that catches up on every window since its last run by itself). Default 1.
   */
  coalesce?: number;
  /** The rule's name in the event's `resources` (default `<handler>-schedule`). */
  ruleName?: string;
  /** Attempts after a failed invocation (async invocation; default 2, as Lambda's). */
  maxRetryAttempts?: number;
}

/** An SNS subscription of the function. The runtime subscribes a queue of its own and removes it at stop(). */
export interface SnsTrigger {
  type: 'sns';
  topicArn: string;
  /** Attempts after a failed invocation before the message is dropped (async invocation; default 2). */
  maxRetryAttempts?: number;
}

export const DEFAULT_TIMEOUT_MS = 3_000;
export const DEFAULT_MEMORY_MB = 128;

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks what the types cannot: names, paths, one source per trigger. Errors name the handler and the fix. */
export function validateHandlerSpecs(specs: readonly HandlerSpec[]): void {
  const seen = new Set<string>();
  for (const s of specs) {
    const bad = (what: string, expected: string, seen: string, fix: string) => new ConfigError(`handler ${JSON.stringify(s.name)}: ${what}`, { expected, seen, fix });
    if (!NAME.test(s.name)) throw bad('invalid name', 'a Lambda function name: 1-64 letters, digits, - or _', JSON.stringify(s.name), 'rename the handler');
    if (seen.has(s.name)) throw bad('declared twice', 'unique handler names', `two handlers named ${s.name}`, 'rename one of them');
    seen.add(s.name);
    if (s.timeoutMs !== undefined && !(s.timeoutMs > 0)) throw bad('invalid timeout', 'a timeout above 0 ms', String(s.timeoutMs), 'set timeout to e.g. 30s');
    if (s.provisionedConcurrency !== undefined && !(Number.isInteger(s.provisionedConcurrency) && s.provisionedConcurrency >= 0)) {
      throw bad('invalid provisioned concurrency', 'a whole number of 0 or more', String(s.provisionedConcurrency), 'set provisionedConcurrency to how many environments start before the first event (0: on demand)');
    }
    if (s.runtime === 'node') {
      if (!path.isAbsolute(s.entry.file)) throw bad('relative entry file', 'an absolute path to the module', s.entry.file, 'resolve the path against the SUT file before starting the runtime');
      if (!s.entry.export) throw bad('no export name', 'file#export', `${s.entry.file}#`, 'name the exported function, e.g. handler.mjs#handler');
    }
    if (s.runtime === 'python') {
      if (!path.isAbsolute(s.entry.codeDir)) throw bad('relative code directory', 'an absolute path', s.entry.codeDir, 'resolve the path against the SUT file before starting the runtime');
      if (!/^[A-Za-z_][\w./]*\.[A-Za-z_]\w*$/.test(s.entry.handler)) throw bad('invalid handler', 'module.function, e.g. handler.lambda_handler', s.entry.handler, 'write the Python handler as Lambda does: <module>.<function>');
      if (s.python?.requirements && !path.isAbsolute(s.python.requirements)) throw bad('relative requirements file', 'an absolute path', s.python.requirements, 'resolve the path against the SUT file');
    }
    const t = s.trigger;
    if (t.type === 'kinesis' && !t.streamName === !t.streamArn) throw bad('kinesis trigger', 'exactly one of streamName and streamArn', JSON.stringify(t), 'name the stream once');
    if (t.type === 'sqs' && (t.batchSize ?? 10) > 10 && !t.batchWindowMs) {
      throw bad('sqs trigger', 'a batching window for a batch size above 10 (as Lambda requires)', `batchSize ${t.batchSize}, no batchWindow`, 'set batchWindow, e.g. 500ms');
    }
    if (t.type === 'schedule' && t.coalesce !== undefined && !(Number.isInteger(t.coalesce) && t.coalesce >= 1)) {
      throw bad('schedule trigger', 'coalesce: a whole number of 1 or more', String(t.coalesce), 'set coalesce to how many occurrences one invocation may cover');
    }
  }
}
