import type { Worker } from 'node:worker_threads';
import { moduleThread } from '../core/index.ts';
import type { FunctionIdentity } from './function-identity.ts';
import type { HandlerWorkerData, HandlerWorkerReply, HandlerWorkerRequest } from './handler-worker-main.ts';
import type { NodeHandlerSpec } from './handler-spec.ts';
import { forEachLine } from './lines.ts';
import { needsTypeScriptLoader } from './typescript-loader.ts';
import { HandlerInitError, InvocationError, timeoutError, type HandlerLogLine, type Invoker } from './invoker.ts';

interface Pending {
  resolve: (r: unknown) => void;
  reject: (e: InvocationError) => void;
  timer: NodeJS.Timeout;
}

interface Generation {
  worker: Worker;
  ready: Promise<void>;
  /** Set once it is ready: ms from the thread's start until its module was loaded (Lambda's Init Duration). */
  initMs?: number;
  pending: Map<number, Pending>;
}

/**
 * A handler thread's V8 limits. The old generation is the function's declared memory. The young generation is
 * capped at 8 MB: V8's default on this class of machine is 48 MB, of which 32 MB stays resident per thread even
 * when idle (measured: new space 31–32 MB physical in each of the builtin's three handler threads), so three
 * threads paid ~100 MB of RSS for nursery space. A smaller nursery only means more frequent, cheaper scavenges.
 */
export const HANDLER_YOUNG_GENERATION_MB = 8;
export function handlerHeapLimits(memoryMb: number): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } {
  return { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(HANDLER_YOUNG_GENERATION_MB, Math.max(1, Math.floor(memoryMb / 4))) };
}

/** This module runs from the TypeScript sources (through tsx or vitest), not from the compiled build. */
const RUNTIME_FROM_SOURCES = import.meta.url.endsWith('.ts');

/**
 * A Node handler in a worker thread of its own, as a Lambda runs in its own runtime: its own `process.env` (the
 * Worker `env` option), its own module instance and SDK clients, and its CPU work on another core than the
 * harness's. The module named by `file#export` is loaded once (the cold start) and serves every invocation; the
 * invocations of a trigger's concurrency share it, each one an async call (unlike Lambda, which would start one
 * environment per concurrent invocation — a handler's own in-process locks therefore hold across them).
 *
 * When it starts is Lambda's: on the first invocation (or ready()), which waits for the init, unless the function
 * is provisioned (`provisionedConcurrency` above 0), whose thread starts at once and is ready before its first
 * event. A thread costs 30-40 MB of the process's memory at rest (its isolate, code, SDK), so a function invoked
 * late in a drill, or never (a dispatcher in a drill without findings), costs nothing until then.
 *
 * A handler that throws fails its invocation. A timeout ends the worker (the only way to stop a handler that does
 * not yield), which fails every invocation in flight with it; a worker that dies does the same. The next invocation
 * starts a new worker, like a cold start.
 */
export function startNodeInvoker(spec: NodeHandlerSpec, id: FunctionIdentity, env: Record<string, string>, onLog: (l: HandlerLogLine) => void, owner: string): Invoker {
  const data: HandlerWorkerData = {
    file: spec.entry.file,
    typescript: needsTypeScriptLoader(spec.entry.file, RUNTIME_FROM_SOURCES),
    exportName: spec.entry.export,
    context: { functionName: id.name, invokedFunctionArn: id.arn, memoryLimitInMB: String(id.memoryMb), logGroupName: id.logGroupName, logStreamName: id.logStreamName },
  };
  let current: Generation | undefined;
  let seq = 0;
  let starts = 0;
  let closed = false;
  let maxMemoryMb: number | undefined;
  // The init an invocation waited for (a cold start), by request id, until the REPORT line takes it.
  const initWaited = new Map<string, number>();

  const fail = (g: Generation, err: InvocationError) => {
    for (const p of g.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    g.pending.clear();
  };

  const spawn = (): Generation => {
    starts++;
    const t0 = performance.now();
    // The function's memory is its thread's heap limit, as Lambda bounds a function by its memory size: without one a
    // thread's old generation may grow to V8's default for this machine (gigabytes) before it collects.
    const worker = moduleThread(new URL('./handler-worker.mjs', import.meta.url), { workerData: data, env, stdout: true, stderr: true, resourceLimits: handlerHeapLimits(id.memoryMb) });
    forEachLine(worker.stdout, (line) => onLog({ handler: id.name, stream: 'stdout', line, timeMs: Date.now() }));
    forEachLine(worker.stderr, (line) => onLog({ handler: id.name, stream: 'stderr', line, timeMs: Date.now() }));
    const g: Generation = { worker, pending: new Map(), ready: undefined as unknown as Promise<void> };
    g.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: HandlerWorkerReply) => {
        if (reply.type === 'ready') {
          // From the thread's start, not only the module's import (reply.initMs): what an invocation waits for.
          g.initMs = performance.now() - t0;
          onLog({ handler: id.name, stream: 'platform', line: `INIT_REPORT Init Duration: ${g.initMs.toFixed(2)} ms`, timeMs: Date.now() });
          resolve();
        } else if (reply.type === 'init-error') {
          reject(
            new HandlerInitError(`handler ${id.name} of ${owner} could not be loaded (import)`, {
              expected: `${spec.entry.file} to load and export a function named ${spec.entry.export}`,
              seen: `${reply.error.errorType}: ${reply.error.errorMessage}`,
              fix:
                reply.error.errorType === 'Runtime.HandlerNotFound'
                  ? `export the function as ${spec.entry.export}, or name the one it exports (file#export)`
                  : 'fix the module so that `node` can import it (missing packages: install them where the module resolves them)',
            }),
          );
        } else {
          maxMemoryMb = Math.max(maxMemoryMb ?? 0, reply.memoryMb);
          const p = g.pending.get(reply.id);
          if (!p) return;
          g.pending.delete(reply.id);
          clearTimeout(p.timer);
          if (reply.type === 'result') p.resolve(reply.result);
          else p.reject(new InvocationError(id.name, 'error', reply.error));
        }
      });
      const died = (why: string) => {
        if (current === g) current = undefined;
        reject(new HandlerInitError(`handler ${id.name} of ${owner} could not be loaded (import)`, { expected: 'its worker to start', seen: why, fix: 'see the handler log for what it printed' }));
        fail(g, new InvocationError(id.name, 'crash', { errorType: 'Runtime.ExitError', errorMessage: `RequestId: the runtime exited: ${why}` }));
      };
      worker.on('error', (err) => died(`${err.name}: ${err.message}`));
      worker.on('exit', (code) => died(`exit code ${code}`));
    });
    // A rejected readiness is reported through ready() or the invocation that awaits it, never as unhandled.
    g.ready.catch(() => {});
    // An idle worker must not keep a CLI run alive.
    worker.unref();
    return g;
  };

  const start = (): Generation => {
    if (closed) throw new InvocationError(id.name, 'crash', { errorType: 'Runtime.Closed', errorMessage: 'the runtime was stopped' });
    return (current ??= spawn());
  };
  // Provisioned: loading the module overlaps the runtime's start and the first deliveries, as a provisioned Lambda is
  // ready before its first event. Otherwise the first invocation starts it (a cold start).
  if ((spec.provisionedConcurrency ?? 0) > 0) start();

  return {
    ready: () => start().ready,
    coldStarts: () => starts,
    maxMemoryUsedMb: () => maxMemoryMb,
    initDurationMs(requestId) {
      const ms = initWaited.get(requestId);
      initWaited.delete(requestId);
      return ms;
    },
    async invoke(event, requestId) {
      // This invocation's cold start: it started the environment it then waits for (a provisioned one that is still
      // loading is not one; its wait shows in the invocation's duration).
      const cold = current === undefined;
      const g = start();
      await g.ready.catch((err: unknown) => {
        // An init failure is this invocation's failure; the next one tries a cold start again, as Lambda does.
        if (current === g) current = undefined;
        throw new InvocationError(id.name, 'init', { errorType: 'Runtime.InitError', errorMessage: err instanceof Error ? err.message : String(err) });
      });
      if (cold && g.initMs !== undefined) initWaited.set(requestId, g.initMs);
      return new Promise((resolve, reject) => {
        const rid = ++seq;
        const timer = setTimeout(() => {
          g.pending.delete(rid);
          reject(timeoutError(id.name, id.timeoutMs));
          // Lambda ends the execution environment after a timeout; the others in flight in it fail with it.
          if (current === g) current = undefined;
          fail(g, new InvocationError(id.name, 'crash', { errorType: 'Runtime.ExitError', errorMessage: `the runtime was restarted after another invocation timed out after ${(id.timeoutMs / 1000).toFixed(2)} seconds` }));
          void g.worker.terminate();
        }, id.timeoutMs);
        g.pending.set(rid, { resolve, reject, timer });
        g.worker.postMessage({ id: rid, event, requestId, deadlineMs: Date.now() + id.timeoutMs } satisfies HandlerWorkerRequest);
      });
    },
    async close() {
      closed = true;
      const g = current;
      current = undefined;
      if (!g) return;
      const exited = new Promise<void>((r) => g.worker.once('exit', () => r()));
      g.worker.postMessage('close');
      // The worker ends once its port closes; terminate() is the fallback when the module keeps it busy.
      const timer = setTimeout(() => void g.worker.terminate(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
