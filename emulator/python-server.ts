import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createLogger, pollUntil } from '../core/index.ts';

/**
 * The first lines of every server script firedrill runs: a thread blocks on stdin, and when the parent Node
 * process dies in any way (even SIGKILL) the pipe closes, the read returns EOF and the server ends. No orphan
 * survives. With `killGroup` it takes its whole process group along (LocalStack may start helper processes);
 * the server is started detached, so that group is the server and its children only.
 * (A raw os.read, not sys.stdin: a buffered reader's lock makes interpreter shutdown abort on SIGTERM.)
 */
export function watchdogPrelude(opts: { killGroup?: boolean } = {}): string {
  return [
    'import os, sys, threading',
    'def _watch():',
    '    try:',
    '        while os.read(0, 1024):',
    '            pass',
    '    except Exception:',
    '        pass',
    ...(opts.killGroup ? ['    try:', '        os.killpg(os.getpgid(0), 9)', '    except Exception:', '        pass'] : []),
    '    os._exit(0)',
    'threading.Thread(target=_watch, daemon=True).start()',
  ].join('\n');
}

const live = new Set<ChildProcess>();
let hooksInstalled = false;

/** Kills every server this process started (with its group); synchronous so it also works in an `exit` handler. */
function killAll(): void {
  for (const child of live) killGroup(child);
  live.clear();
}

function killGroup(child: ChildProcess): void {
  try {
    // Detached: the child leads its own process group, so -pid reaches it and whatever it started.
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      // When nobody else handles the signal, behave as Node would have without us: die by it, servers first.
      // A command that handles it (`up`, `load` finishing its tick) still needs its server, and stops it itself;
      // should the process die anyway, the watchdog pipe ends the server.
      if (process.listenerCount(signal) > 0) return;
      killAll();
      process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}

/** True when nothing listens on 127.0.0.1:port (we could bind it). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface PythonServer {
  pid: number;
  /** Resolves when the process has exited (for any reason). */
  exited: Promise<void>;
  /** The last lines the server printed (for error messages). */
  tail(): string;
  stop(): Promise<void>;
}

export interface SpawnPythonServerOptions {
  /** Name in logs and errors (`moto`, `LocalStack`). */
  name: string;
  python: string;
  /** `python -c <script> ...args`; starts with watchdogPrelude(). */
  script: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  /** True once the server answers; polled until `startTimeoutMs`. */
  ready: () => Promise<boolean>;
  /** What is awaited, for the timeout message. */
  what: string;
  startTimeoutMs: number;
  /** Lines of output kept for error messages. */
  keepLines?: number;
}

/**
 * Starts a Python server under the stdin watchdog and waits until `ready()` says so. Rejects (and kills it) if it
 * exits first or the deadline passes. The server never outlives this process: the exit hooks kill it, and the
 * watchdog ends it even when this process is SIGKILLed.
 */
export async function spawnPythonServer(opts: SpawnPythonServerOptions): Promise<PythonServer> {
  installExitHooks();
  const log = createLogger(`firedrill:${opts.name.toLowerCase()}`);
  // detached: its own process group, so the Ctrl-C a terminal sends to the whole foreground group reaches only
  // firedrill, which decides when the server stops (the exit hooks, stop(), or the watchdog when it dies).
  const child = spawn(opts.python, ['-c', opts.script, ...(opts.args ?? [])], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...opts.env, PYTHONUNBUFFERED: '1' },
  });
  live.add(child);
  const keepLines = opts.keepLines ?? 40;
  const lines: string[] = [];
  const keep = (d: Buffer) => {
    for (const line of d.toString().split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > keepLines) lines.shift();
      log.debug(line);
    }
  };
  // The output must be drained or the server blocks once the pipe buffer is full (tracebacks can be long).
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exitInfo: string | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      spawnError = err;
      exitInfo = `could not start: ${err.message}`;
      live.delete(child);
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitInfo = `exited with ${code ?? signal}`;
      live.delete(child);
      resolve();
    });
  });
  // A finished handle must not keep the CLI alive; stop() or the exit hooks end the server.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
  child.stdin!.on('error', () => {}); // EPIPE after the server died is expected

  const tail = () => lines.slice(-8).join('\n');
  const stop = async () => {
    if (exitInfo !== undefined) return;
    // Closing stdin makes the watchdog end the server at once. SIGTERM is not enough: moto's handler only ends
    // the main thread, and a running Step Functions execution thread keeps the interpreter alive.
    // The child is unref'd, so hold the event loop open until its exit has really been seen.
    child.ref();
    child.stdin!.end();
    const timer = setTimeout(() => killGroup(child), 3_000);
    await exited;
    clearTimeout(timer);
  };
  // pollUntil retries failed probes until its deadline; a server that already exited must end it at once.
  const died = new AbortController();
  void exited.then(() => died.abort(new Error(`${opts.name} ${exitInfo}${spawnError ? '' : `; last output:\n${tail()}`}`)));
  try {
    await pollUntil(async () => await opts.ready(), {
      timeoutMs: opts.startTimeoutMs,
      intervalMs: 100,
      maxIntervalMs: 300,
      what: opts.what,
      signal: died.signal,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { pid: child.pid!, exited, tail, stop };
}
