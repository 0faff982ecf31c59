import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { pollUntil } from '../core/index.ts';
import { createLogger } from '../core/index.ts';
import { probeEndpoint } from './moto-api.ts';

const log = createLogger('firedrill:moto');

/**
 * Runs moto's server inside a small wrapper whose thread blocks on stdin: when the parent Node process dies
 * in any way (even SIGKILL) the pipe closes, the read returns EOF and the server exits. No orphan survives.
 * (A raw os.read, not sys.stdin: a buffered reader's lock makes interpreter shutdown abort on SIGTERM.)
 */
const WATCHDOG = [
  'import os, sys, threading',
  'def _watch():',
  '    try:',
  '        while os.read(0, 1024):',
  '            pass',
  '    except Exception:',
  '        pass',
  '    os._exit(0)',
  'threading.Thread(target=_watch, daemon=True).start()',
  // werkzeug logs one line per request: on a busy run that is measurable CPU in the emulator and in the pipe
  // reader here. Warnings and errors still come through (they are what the startup-failure tail shows).
  'import logging',
  'logging.getLogger("werkzeug").setLevel(logging.WARNING)',
  'from moto.server import main',
  'main(sys.argv[1:])',
].join('\n');

const live = new Set<ChildProcess>();
let hooksInstalled = false;

/** Kills every server this process started; synchronous so it also works in an `exit` handler. */
function killAll(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
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

export interface MotoProcess {
  endpoint: string;
  port: number;
  pid: number;
  /** Resolves when the process has exited (for any reason). */
  exited: Promise<void>;
  /** The last lines the server printed (for error messages). */
  tail(): string;
  stop(): Promise<void>;
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

export interface SpawnMotoOptions {
  python: string;
  port: number;
  startTimeoutMs?: number;
}

/** Starts moto on 127.0.0.1:port and waits until its control API answers. Rejects if it exits first. */
export async function spawnMoto(opts: SpawnMotoOptions): Promise<MotoProcess> {
  installExitHooks();
  const { port } = opts;
  const endpoint = `http://127.0.0.1:${port}`;
  // MOTO_PORT: Step Functions aws-sdk tasks call moto back at localhost:$MOTO_PORT.
  // detached: its own process group, so the Ctrl-C a terminal sends to the whole foreground group reaches only
  // firedrill, which decides when the server stops (the exit hooks, stop(), or the watchdog when it dies).
  const child = spawn(opts.python, ['-c', WATCHDOG, '-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, MOTO_PORT: String(port), PYTHONUNBUFFERED: '1' },
  });
  live.add(child);
  const lines: string[] = [];
  const keep = (d: Buffer) => {
    for (const line of d.toString().split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 40) lines.shift();
      log.debug({ port }, line);
    }
  };
  // The output must be drained or moto blocks once the pipe buffer is full (tracebacks can be long).
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
    // Closing stdin makes the watchdog call os._exit at once. SIGTERM is not enough: moto's handler only
    // ends the main thread, and a running Step Functions execution thread keeps the interpreter alive.
    // The child is unref'd, so hold the event loop open until its exit has really been seen.
    child.ref();
    child.stdin!.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  };
  // pollUntil retries failed probes until its deadline; a server that already exited must end it at once.
  const died = new AbortController();
  void exited.then(() => died.abort(new Error(`moto ${exitInfo}${spawnError ? '' : `; last output:\n${tail()}`}`)));
  try {
    await pollUntil(async () => (await probeEndpoint(endpoint, 1_000)).flavor === 'moto', {
      timeoutMs: opts.startTimeoutMs ?? 30_000,
      intervalMs: 100,
      maxIntervalMs: 300,
      what: `moto server on ${endpoint}`,
      signal: died.signal,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, port, pid: child.pid!, exited, tail, stop };
}
