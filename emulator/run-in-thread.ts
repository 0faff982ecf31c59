import { FiredrillError, moduleThread, type TargetCapabilities } from '../core/index.ts';
import type { EstateIds, Topology } from '../core/topology/index.ts';
import { BootstrapError } from './errors.ts';

/** A task a thread of its own runs (thread-tasks.ts); its fields are structured-cloneable. */
export type ThreadTask =
  | { kind: 'warm-up'; endpoint: string }
  | { kind: 'bootstrap'; endpoint: string | undefined; region: string; topology: Topology; capabilities: TargetCapabilities | undefined };

/** What a task thread posts back. */
export type ThreadReply =
  | { type: 'log'; line: string }
  | { type: 'result'; value: unknown }
  | { type: 'error'; error: { name: string; message: string; stack?: string | undefined; expected?: string | undefined; seen?: string | undefined; fix?: string | undefined } };

/** The error a thread reported, as the class it was when it is one of firedrill's (its message already holds its details). */
function rebuild(e: Extract<ThreadReply, { type: 'error' }>['error']): Error {
  const err: Error = e.expected !== undefined || e.seen !== undefined || e.fix !== undefined ? Object.create((e.name === 'BootstrapError' ? BootstrapError : FiredrillError).prototype as object) : new Error();
  Object.defineProperties(err, {
    message: { value: e.message, writable: true, configurable: true },
    name: { value: e.name, writable: true, configurable: true },
    stack: { value: e.stack ?? `${e.name}: ${e.message}`, writable: true, configurable: true },
    ...(err instanceof FiredrillError ? { expected: { value: e.expected }, seen: { value: e.seen }, fix: { value: e.fix } } : {}),
  });
  return err;
}

/**
 * Runs one emulator task in a thread of its own that ends with it. The estate's bootstrap and moto's warm-up call
 * most of AWS's services once, at the start of a drill; in the caller's thread, their SDK packages (EC2's alone is
 * ~7.6 MB of heap) would stay loaded, and counted in V8's heap limits, for the whole drill, since a module is never
 * unloaded. A thread's isolate goes, with what it loaded, when the thread ends. Costs the thread's start (tens of ms).
 */
export function runInThread<T>(task: ThreadTask, log?: (line: string) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = moduleThread(new URL('./task-thread.mjs', import.meta.url), { workerData: task });
    let settled = false;
    worker.on('message', (reply: ThreadReply) => {
      if (reply.type === 'log') log?.(reply.line);
      else if (!settled) {
        settled = true;
        // Nothing more is wanted from it: whatever it still has open (a socket being closed) goes with its isolate.
        void worker.terminate();
        if (reply.type === 'result') resolve(reply.value as T);
        else reject(rebuild(reply.error));
      }
    });
    worker.on('error', (err) => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
    worker.on('exit', (code) => {
      if (!settled) {
        settled = true;
        reject(new FiredrillError(`the emulator's ${task.kind} thread ended without an answer (exit ${code})`, { expected: 'a result or an error from the thread', seen: `exit code ${code}`, fix: 'run again; if it persists, report it with the command you ran' }));
      }
    });
  });
}

/** bootstrap() in a thread of its own (see runInThread), with clients made there for the same endpoint and region. */
export function bootstrapInThread(target: { endpoint: string | undefined; region: string }, topology: Topology, opts: { capabilities?: TargetCapabilities; log?: (line: string) => void } = {}): Promise<EstateIds> {
  return runInThread<EstateIds>({ kind: 'bootstrap', endpoint: target.endpoint, region: target.region, topology, capabilities: opts.capabilities }, opts.log);
}
