import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FunctionIdentity } from './function-identity.ts';
import type { PythonHandlerSpec } from './handler-spec.ts';
import { peakRssMb } from './peak-rss.ts';
import { forEachLine } from './lines.ts';
import { HandlerInitError, InvocationError, timeoutError, type HandlerLogLine, type Invoker, type SerializedError } from './invoker.ts';

const BOOTSTRAP = fileURLToPath(new URL('./python/bootstrap.py', import.meta.url));

type Reply = { ready: true; initMs: number } | { initError: SerializedError } | { id: number; result: unknown } | { id: number; error: string; type: string; stack?: string[] };

interface Proc {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  /** The invocation running in it (one at a time, as in a Lambda execution environment). */
  current?: { id: number; resolve: (r: unknown) => void; reject: (e: InvocationError) => void; timer: NodeJS.Timeout };
  /** The last lines it wrote to stderr, for the error when it dies or cannot start. */
  tail: string[];
  /** Set once it is ready: ms from its spawn until the handler was imported (Lambda's Init Duration). */
  initMs?: number;
  /** Started on demand and not yet used: its first invocation is a cold start. */
  cold: boolean;
}

/**
 * A Python handler in long-lived processes of its venv's interpreter running runtime/python/bootstrap.py (no
 * bytecode written: the SUT's code directory is left as it is, as Lambda's is read-only): one
 * process per unit of concurrency, each a warm execution environment that imports the handler once and serves one
 * invocation at a time over JSON lines. As Lambda starts environments, a process starts when an invocation finds none
 * free (a cold start, which that invocation waits for), except the `provisionedConcurrency` first ones, started at
 * once and ready before the first event. A timeout kills the process (Lambda's words: `Task timed out after N
 * seconds`); a process that dies fails its invocation; either way the next invocation starts a new one (a cold
 * start).
 */
export function startPythonInvoker(
  spec: PythonHandlerSpec,
  id: FunctionIdentity,
  env: Record<string, string>,
  python: string,
  concurrency: number,
  onLog: (l: HandlerLogLine) => void,
  sut: string,
): Invoker {
  const slots: (Proc | undefined)[] = Array.from({ length: Math.max(1, concurrency) }, () => undefined);
  const idle: Proc[] = [];
  const waiting: { resolve: (p: Proc) => void; reject: (e: InvocationError) => void }[] = [];
  let seq = 0;
  let starts = 0;
  let closed = false;
  const staticContext = JSON.stringify({
    handler: spec.entry.handler,
    taskRoot: spec.entry.codeDir,
    functionName: id.name,
    invokedFunctionArn: id.arn,
    memoryLimitInMB: String(id.memoryMb),
    logGroupName: id.logGroupName,
    logStreamName: id.logStreamName,
  });

  const initError = (seen: string, trace: string[]): HandlerInitError => {
    const missing = /No module named '([^']+)'/.exec(seen)?.[1];
    const requirements = spec.python?.requirements;
    // Where it failed: the innermost frame of the traceback, not the whole of it.
    const frame = [...trace.join('\n').matchAll(/File "([^"]+)", line (\d+)/g)].at(-1);
    return new HandlerInitError(`handler ${id.name} of ${sut} could not be loaded (import)`, {
      expected: `${spec.entry.codeDir} to provide ${spec.entry.handler} and its venv every package it imports`,
      seen: frame ? `${seen} (at ${frame[1]}:${frame[2]})` : seen,
      fix: missing
        ? `add ${missing.split('.')[0]} to ${requirements ?? 'a requirements file for the handler'} (the venv is rebuilt when that file changes)${/^(boto3|botocore)/.test(missing) ? '; Lambda\'s Python runtime ships boto3, a venv has only what the file lists' : ''}`
        : `check the handler (<module>.<function>, relative to ${spec.entry.codeDir}) and that the module imports cleanly with the venv's python`,
    });
  };

  const spawnProc = (slot: number, cold: boolean): Proc => {
    starts++;
    const t0 = performance.now();
    const child = spawn(python, ['-u', BOOTSTRAP, staticContext], { cwd: spec.entry.codeDir, env: { ...env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', TZ: 'UTC' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const proc: Proc = { child, tail: [], cold, ready: undefined as unknown as Promise<void> };
    forEachLine(child.stderr, (line) => {
      proc.tail.push(line);
      if (proc.tail.length > 20) proc.tail.shift();
      onLog({ handler: id.name, stream: 'stderr', line, timeMs: Date.now() });
    });
    proc.ready = new Promise<void>((resolve, reject) => {
      forEachLine(child.stdout, (line) => {
        let reply: Reply;
        try {
          reply = JSON.parse(line) as Reply;
        } catch {
          onLog({ handler: id.name, stream: 'stdout', line, timeMs: Date.now() });
          return;
        }
        if ('ready' in reply) {
          // From the spawn, not only the handler's import (reply.initMs): what an invocation waits for.
          proc.initMs = performance.now() - t0;
          onLog({ handler: id.name, stream: 'platform', line: `INIT_REPORT Init Duration: ${proc.initMs.toFixed(2)} ms`, timeMs: Date.now() });
          resolve();
        } else if ('initError' in reply) {
          reject(initError(`${reply.initError.errorType}: ${reply.initError.errorMessage}`, reply.initError.stackTrace ?? []));
        } else {
          const cur = proc.current;
          if (!cur || cur.id !== reply.id) return;
          proc.current = undefined;
          clearTimeout(cur.timer);
          if ('error' in reply) cur.reject(new InvocationError(id.name, 'error', { errorType: reply.type, errorMessage: reply.error, stackTrace: reply.stack ?? [] }));
          else cur.resolve(reply.result);
          release(proc);
        }
      });
      child.on('error', (err) => reject(initError(`cannot start ${python}: ${err.message}`, [])));
      // 'close', not 'exit': by then stdout is read to its end, so an init error line comes before this.
      child.on('close', (code, signal) => {
        if (slots[slot] === proc) slots[slot] = undefined;
        const i = idle.indexOf(proc);
        if (i >= 0) idle.splice(i, 1);
        const why = `exit ${signal ? `signal: ${signal}` : `status ${code}`}`;
        reject(initError(`the Python process ended before it was ready (${why}); its last output: ${proc.tail.slice(-3).join(' | ') || '(none)'}`, []));
        const cur = proc.current;
        if (cur) {
          proc.current = undefined;
          clearTimeout(cur.timer);
          cur.reject(new InvocationError(id.name, 'crash', { errorType: 'Runtime.ExitError', errorMessage: `RequestId: the runtime exited: ${why}`, stackTrace: proc.tail.slice(-5) }));
        }
        // A process that ended (killed after a timeout, crashed) frees its slot for the invocations that wait.
        drainWaiting();
      });
    });
    proc.ready.catch(() => {});
    // A broken pipe after the process ended is reported through its exit.
    child.stdin.on('error', () => {});
    slots[slot] = proc;
    return proc;
  };

  const release = (proc: Proc) => {
    const next = waiting.shift();
    if (next) next.resolve(proc);
    else idle.push(proc);
  };

  /** Gives free capacity (an idle process, or an empty slot for a new one) to the invocations that wait. */
  const drainWaiting = () => {
    while (waiting.length) {
      const free = idle.shift() ?? (() => {
        const empty = slots.findIndex((s) => s === undefined);
        return empty >= 0 && !closed ? spawnProc(empty, true) : undefined;
      })();
      if (!free) return;
      waiting.shift()!.resolve(free);
    }
  };

  const acquire = (): Promise<Proc> => {
    if (closed) return Promise.reject(new InvocationError(id.name, 'crash', { errorType: 'Runtime.Closed', errorMessage: 'the runtime was stopped' }));
    return new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      drainWaiting();
    });
  };

  // The largest execution environment seen: each process's own peak RSS, read while it is alive.
  let maxMemoryMb: number | undefined;
  const maxMemoryUsedMb = () => {
    for (const p of slots) {
      const mb = peakRssMb(p?.child.pid);
      if (mb !== undefined) maxMemoryMb = Math.max(maxMemoryMb ?? 0, mb);
    }
    return maxMemoryMb;
  };

  // The provisioned ones start warm; the others when an invocation needs them.
  for (let i = 0; i < Math.min(spec.provisionedConcurrency ?? 0, slots.length); i++) idle.push(spawnProc(i, false));
  // The init an invocation waited for (a cold start), by request id, until the REPORT line takes it.
  const initWaited = new Map<string, number>();

  return {
    ready: async () => {
      // One environment at least (a cold start when none runs yet), into the free ones invocations take.
      if (!closed && slots.every((p) => p === undefined)) idle.push(spawnProc(0, false));
      await Promise.all(slots.flatMap((p) => (p ? [p.ready] : [])));
    },
    coldStarts: () => starts,
    maxMemoryUsedMb,
    initDurationMs(requestId) {
      const ms = initWaited.get(requestId);
      initWaited.delete(requestId);
      return ms;
    },
    async invoke(event, requestId) {
      const proc = await acquire();
      const cold = proc.cold;
      proc.cold = false;
      try {
        await proc.ready;
        if (cold && proc.initMs !== undefined) initWaited.set(requestId, proc.initMs);
      } catch (err) {
        // Lambda tries the init again on the next invocation: this process is gone, its slot free.
        const i = slots.indexOf(proc);
        if (i >= 0) slots[i] = undefined;
        drainWaiting();
        throw new InvocationError(id.name, 'init', { errorType: 'Runtime.InitError', errorMessage: err instanceof Error ? err.message : String(err) });
      }
      return new Promise((resolve, reject) => {
        const rid = ++seq;
        const timer = setTimeout(() => {
          if (proc.current?.id !== rid) return;
          proc.current = undefined;
          reject(timeoutError(id.name, id.timeoutMs));
          proc.child.kill('SIGKILL');
        }, id.timeoutMs);
        proc.current = { id: rid, resolve, reject, timer };
        proc.child.stdin.write(`${JSON.stringify({ id: rid, event, requestId, deadlineMs: Date.now() + id.timeoutMs })}\n`);
      });
    },
    async close() {
      closed = true;
      for (const w of waiting.splice(0)) w.reject(new InvocationError(id.name, 'crash', { errorType: 'Runtime.Closed', errorMessage: 'the runtime was stopped' }));
      await Promise.all(
        slots.map(async (p) => {
          if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
          const exited = new Promise<void>((r) => p.child.once('close', () => r()));
          // End of input ends the bootstrap's loop; a handler that does not return is killed.
          p.child.stdin.end();
          const timer = setTimeout(() => p.child.kill('SIGKILL'), 2_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}
