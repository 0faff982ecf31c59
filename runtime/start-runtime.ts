import { randomUUID } from 'node:crypto';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createAwsClients, type AwsClients, type AwsTarget } from '../core/aws/index.ts';
import { createLogger, errorMessage, pollUntil } from '../core/index.ts';
import { emptyStats, type EventSource, type HandlerStats, type Invoke, type StopOptions } from './event-source.ts';
import { functionIdentity, handlerEnvironment, type FunctionIdentity, type RuntimeTarget } from './function-identity.ts';
import { validateHandlerSpecs, type HandlerSpec, type TriggerType } from './handler-spec.ts';
import { startInlineInvoker } from './inline-invoker.ts';
import { HandlerInitError, InvocationError, serializeError, type HandlerLogLine, type Invoker, type SerializedError } from './invoker.ts';
import { startKinesisEventSource } from './kinesis-event-source.ts';
import { startLogsEventSource } from './logs-event-source.ts';
import { startNodeInvoker } from './node-invoker.ts';
import { startPythonInvoker } from './python-invoker.ts';
import { ensurePythonVenv, type PythonVenv } from './python-venv.ts';
import { parseScheduleExpression, type ScheduleExpression } from './schedule-expression.ts';
import { ScheduleSource, type ScheduleFire } from './schedule-source.ts';
import { startSnsEventSource } from './sns-event-source.ts';
import { startSqsEventSource } from './sqs-event-source.ts';

const log = createLogger('local-runtime');

export interface StartRuntimeOptions {
  /** Clients for the runtime's own calls (SQS, Kinesis, Logs, SNS, STS); handlers get their endpoint and region. */
  clients?: AwsClients;
  /** Or where to make them: the runtime then owns its clients and closes them at stop(). */
  target?: AwsTarget;
  handlers: readonly HandlerSpec[];
  /** The SUT the handlers belong to: names errors and Python venvs (default `sut`). */
  sut?: string;
  /** Account id for ARNs and envelopes (default: STS GetCallerIdentity on the target). */
  account?: string;
  /** Event time after which schedules are due (the drill's start); default: the first tick's time. */
  eventTimeStartMs?: number;
  /** Every invocation when it ends, with its result (the `returns` tap) or error. */
  onInvocation?: (record: InvocationRecord) => void;
  /** Every line the handlers print, and Lambda's START/END/REPORT lines (default: the runtime's debug log). */
  onLog?: (line: HandlerLogLine) => void;
  /**
   * Resolve only when every handler has loaded (default true): a handler that cannot load fails the start with
   * what to fix, rather than every invocation. false lets the loading overlap the caller's next steps.
   */
  waitReady?: boolean;
  /** Where Python venvs live (default `.firedrill/venvs` under the working directory). */
  venvRoot?: string;
  /** The interpreter that makes Python venvs (default FIREDRILL_PYTHON, else python3). */
  python?: string;
}

/** One invocation, as the `returns` tap and the run's log see it. */
export interface InvocationRecord {
  handler: string;
  trigger: TriggerType;
  requestId: string;
  /** Wall time the invocation started, epoch ms. */
  startedAt: number;
  durationMs: number;
  /** Records in its event. */
  records: number;
  /** For a schedule: the occurrence's (event) time. */
  eventTimeMs?: number;
  outcome: 'ok' | 'error' | 'timeout';
  /** The event it was invoked with (remediation functions are attributed to incidents by what it names). */
  event?: unknown;
  /** The handler's return value (JSON), when it returned. */
  result?: unknown;
  error?: SerializedError;
}

export interface LocalRuntime extends AsyncDisposable {
  /**
   * Resolves when every trigger's source is drained (queues empty, streams and log groups read to their end, no
   * schedule firing) and no invocation is in flight, seen twice in a row; rejects with a TimeoutError after
   * `timeoutMs` (default 120 s).
   */
  idle(opts?: { timeoutMs?: number }): Promise<void>;
  /** Fires every schedule occurrence due up to `eventTimeMs` (event time); resolves when those invocations are done. */
  tick(eventTimeMs: number): Promise<ScheduleFire[]>;
  /** Fires the schedules on wall time from now on (for `load`), until stop(). */
  startWallClockSchedules(): void;
  /** The invocations that end from now on, until stop(). */
  invocations(): AsyncIterable<InvocationRecord>;
  /**
   * What waits at the sources whose triggers declare a most (SqsTrigger.maxBacklog), each against that most: a
   * drill holds its delivery while one is over (harness/deliver's gateOnBacklog). Empty when none declares one.
   */
  backlog(): Promise<{ source: string; waiting: number; max: number }[]>;
  stats(): HandlerStats[];
  /** Stops every trigger and handler (the first call's options apply; later calls share its end). */
  stop(opts?: StopOptions): Promise<void>;
}

interface Bound {
  spec: HandlerSpec;
  id: FunctionIdentity;
  invoker: Invoker;
  stats: HandlerStats;
  invoke: Invoke;
  schedule?: ScheduleExpression;
}

/**
 * Starts the local stand-ins for what an emulator cannot run: each handler loaded in its own runtime (a worker
 * thread for Node, processes of its venv's Python) and its trigger polled as Lambda's event source mapping, SNS
 * subscription, Logs subscription or EventBridge schedule would invoke it. SUT-agnostic: everything it runs comes
 * from the specs.
 */
export async function startRuntime(opts: StartRuntimeOptions): Promise<LocalRuntime> {
  validateHandlerSpecs(opts.handlers);
  const schedules = new Map<string, ScheduleExpression>();
  for (const h of opts.handlers) {
    if (h.trigger.type !== 'schedule') continue;
    try {
      schedules.set(h.name, parseScheduleExpression(h.trigger.expression));
    } catch (err) {
      throw new HandlerInitError(`handler ${h.name} of ${opts.sut ?? 'the SUT'}: ${errorMessage(err)}`, { cause: err });
    }
  }
  const owned = opts.clients ? undefined : createAwsClients(opts.target ?? {});
  const clients = opts.clients ?? owned!;
  const sut = opts.sut ?? 'sut';
  const bound: Bound[] = [];
  const sources: EventSource[] = [];
  const scheduleSources: ScheduleSource[] = [];
  const subscribers = new Set<(r: InvocationRecord | undefined) => void>();
  const onLog = opts.onLog ?? ((l: HandlerLogLine) => log.debug({ handler: l.handler, stream: l.stream }, l.line));

  const stopAll = async (so?: StopOptions) => {
    for (const s of scheduleSources) await s.stop();
    await Promise.allSettled(sources.map((s) => s.stop(so)));
    await Promise.allSettled(bound.map((b) => b.invoker.close()));
    for (const notify of subscribers) notify(undefined);
    subscribers.clear();
    owned?.destroy();
  };

  try {
    const account = opts.account ?? (await accountOf(clients));
    const options = clients.target.options;
    const target: RuntimeTarget = {
      endpoint: clients.target.endpoint,
      region: clients.target.region,
      account,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    };
    const venvs = new Map<string, Promise<PythonVenv>>();

    for (const spec of opts.handlers) {
      const id = functionIdentity(spec, target);
      const env = handlerEnvironment(spec, id, target, { AWS_EXECUTION_ENV: spec.runtime === 'python' ? 'AWS_Lambda_python3.11' : 'AWS_Lambda_nodejs20.x' });
      let invoker: Invoker;
      if (spec.runtime === 'node') invoker = startNodeInvoker(spec, id, env, onLog, sut);
      else if (spec.runtime === 'inline') invoker = startInlineInvoker(spec, id);
      else {
        const owner = spec.python?.owner ?? sut;
        const key = `${owner}\0${spec.python?.requirements ?? ''}`;
        if (!venvs.has(key)) {
          venvs.set(
            key,
            ensurePythonVenv({
              owner,
              handler: `${spec.name} of ${sut}`,
              ...(spec.python?.requirements ? { requirements: spec.python.requirements } : {}),
              ...(opts.venvRoot ? { root: opts.venvRoot } : {}),
              ...(opts.python ? { python: opts.python } : {}),
            }),
          );
        }
        const venv = await venvs.get(key)!;
        const concurrency = spec.trigger.type === 'sqs' ? (spec.trigger.concurrency ?? 1) : 1;
        invoker = startPythonInvoker(spec, id, env, venv.python, concurrency, onLog, sut);
      }
      const stats = emptyStats(spec.name, spec.trigger.type);
      const b: Bound = { spec, id, invoker, stats, invoke: undefined as unknown as Invoke };
      b.invoke = invocationOf(b, id.memoryMb, onLog, (r) => {
        opts.onInvocation?.(r);
        for (const notify of subscribers) notify(r);
      });
      bound.push(b);
    }
    if (opts.waitReady !== false) await Promise.all(bound.map((b) => b.invoker.ready()));

    for (const b of bound) {
      const { spec, stats, invoke } = b;
      const t = spec.trigger;
      const where = `handler ${spec.name} of ${sut}: could not start its ${t.type} trigger`;
      try {
        if (t.type === 'sqs') sources.push(await startSqsEventSource({ sqs: clients.sqs, region: target.region, trigger: t, invoke, stats }));
        else if (t.type === 'kinesis') sources.push(await startKinesisEventSource({ kinesis: clients.kinesis, region: target.region, roleArn: b.id.roleArn, trigger: t, invoke, stats }));
        else if (t.type === 'logs') sources.push(await startLogsEventSource({ logs: clients.logs, account, handler: spec.name, trigger: t, invoke, stats }));
        else if (t.type === 'sns') sources.push(await startSnsEventSource({ sns: clients.sns, sqs: clients.sqs, handler: spec.name, trigger: t, invoke, stats }));
        else {
          scheduleSources.push(
            new ScheduleSource({ handler: spec.name, trigger: t, schedule: schedules.get(spec.name)!, invoke, stats, account, region: target.region, ...(opts.eventTimeStartMs !== undefined ? { startMs: opts.eventTimeStartMs } : {}) }),
          );
        }
      } catch (err) {
        throw new HandlerInitError(where, { expected: `the ${t.type} source to exist on the target`, seen: errorMessage(err), fix: 'create the resource first (the SUT file\'s resources), or fix its name', cause: err });
      }
    }
  } catch (err) {
    await stopAll();
    throw err;
  }

  let stopped: Promise<void> | undefined;
  const stop = (so?: StopOptions) => (stopped ??= stopAll(so));
  return {
    async idle(o = {}) {
      let streak = 0;
      await pollUntil(
        async () => {
          const drained = (await Promise.all(sources.map((s) => s.drained()))).every(Boolean) && scheduleSources.every((s) => s.drained());
          streak = drained ? streak + 1 : 0;
          return streak >= 2;
        },
        { timeoutMs: o.timeoutMs ?? 120_000, intervalMs: 100, maxIntervalMs: 200, what: `the local runtime to drain ${[...sources, ...scheduleSources].map((s) => s.describe).join(', ') || '(no triggers)'}` },
      );
    },
    async tick(eventTimeMs) {
      const fired = await Promise.all(scheduleSources.map((s) => s.tick(eventTimeMs)));
      return fired.flat().sort((a, b) => a.timeMs - b.timeMs);
    },
    startWallClockSchedules() {
      for (const s of scheduleSources) s.startWallClock();
    },
    invocations() {
      return subscribe(subscribers, stopped !== undefined);
    },
    backlog: () => Promise.all(sources.flatMap((s) => (s.backlog ? [s.backlog().then((b) => ({ source: s.describe, ...b }))] : []))),
    stats: () =>
      bound.map((b) => {
        const memory = b.invoker.maxMemoryUsedMb?.();
        return { ...b.stats, coldStarts: b.invoker.coldStarts(), ...(memory !== undefined ? { maxMemoryUsedMb: Math.ceil(memory) } : {}) };
      }),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** The invocation function a trigger calls: a request id, the platform's log lines, the stats and the record. */
function invocationOf(b: Bound, memoryMb: number, onLog: (l: HandlerLogLine) => void, onRecord: (r: InvocationRecord) => void): Invoke {
  const { spec, stats, invoker } = b;
  const platform = (line: string) => onLog({ handler: spec.name, stream: 'platform', line, timeMs: Date.now() });
  return async (event, meta) => {
    const requestId = randomUUID();
    const startedAt = Date.now();
    const t0 = performance.now();
    stats.invocations++;
    platform(`START RequestId: ${requestId} Version: $LATEST`);
    const record: InvocationRecord = { handler: spec.name, trigger: spec.trigger.type, requestId, startedAt, durationMs: 0, records: meta.records, outcome: 'ok', event, ...(meta.eventTimeMs !== undefined ? { eventTimeMs: meta.eventTimeMs } : {}) };
    try {
      const result = await invoker.invoke(event, requestId);
      record.result = result;
      return result;
    } catch (err) {
      const e = err instanceof InvocationError ? err : new InvocationError(spec.name, 'error', serializeError(err));
      stats.errors++;
      if (e.kind === 'timeout') stats.timeouts++;
      record.outcome = e.kind === 'timeout' ? 'timeout' : 'error';
      record.error = e.error;
      platform(e.kind === 'timeout' ? `${new Date().toISOString()} ${requestId} ${e.error.errorMessage}` : `${new Date().toISOString()} ${requestId} ERROR Invoke Error ${JSON.stringify(e.error)}`);
      log.warn({ handler: spec.name, trigger: spec.trigger.type, records: meta.records, error: `${e.error.errorType}: ${e.error.errorMessage}` }, 'invocation failed; the trigger retries it as Lambda would');
      throw e;
    } finally {
      const ms = performance.now() - t0;
      record.durationMs = ms;
      stats.durationMs += ms;
      stats.maxDurationMs = Math.max(stats.maxDurationMs, ms);
      platform(`END RequestId: ${requestId}`);
      // A cold start's REPORT line says its Init Duration and, as Lambda's, a Duration without it; the record and the
      // stats keep the whole wall time the trigger waited.
      const initMs = invoker.initDurationMs?.(requestId);
      platform(reportLine(requestId, ms - (initMs ?? 0), memoryMb, invoker.maxMemoryUsedMb?.(), initMs));
      onRecord(record);
    }
  };
}

/**
 * Lambda's REPORT line; `Max Memory Used` when the invoker can tell (see Invoker.maxMemoryUsedMb), `Init Duration`
 * when the invocation was a cold start (see Invoker.initDurationMs).
 */
export function reportLine(requestId: string, ms: number, memoryMb: number, maxMemoryUsedMb: number | undefined, initMs?: number): string {
  const used = maxMemoryUsedMb === undefined ? '' : `\tMax Memory Used: ${Math.ceil(maxMemoryUsedMb)} MB`;
  const init = initMs === undefined ? '' : `\tInit Duration: ${initMs.toFixed(2)} ms`;
  return `REPORT RequestId: ${requestId}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.ceil(ms)} ms\tMemory Size: ${memoryMb} MB${used}${init}`;
}

async function accountOf(clients: AwsClients): Promise<string> {
  try {
    return (await clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '123456789012';
  } catch (err) {
    log.warn({ err }, 'GetCallerIdentity failed; ARNs use the emulators\' default account 123456789012');
    return '123456789012';
  }
}

/** An async iterable over the records published from now on; it ends when the runtime stops. */
function subscribe(subscribers: Set<(r: InvocationRecord | undefined) => void>, ended: boolean): AsyncIterable<InvocationRecord> {
  return {
    [Symbol.asyncIterator]() {
      const queue: (InvocationRecord | undefined)[] = ended ? [undefined] : [];
      let wake: (() => void) | undefined;
      const notify = (r: InvocationRecord | undefined) => {
        queue.push(r);
        wake?.();
      };
      if (!ended) subscribers.add(notify);
      return {
        async next(): Promise<IteratorResult<InvocationRecord>> {
          while (queue.length === 0) await new Promise<void>((r) => (wake = r));
          wake = undefined;
          const r = queue.shift();
          if (r === undefined) {
            subscribers.delete(notify);
            return { done: true, value: undefined };
          }
          return { done: false, value: r };
        },
        async return(): Promise<IteratorResult<InvocationRecord>> {
          subscribers.delete(notify);
          return { done: true, value: undefined };
        },
      };
    },
  };
}
