import { probeEndpoint } from './moto-api.ts';
import { spawnPythonServer, watchdogPrelude } from './python-server.ts';

export { freePort, isPortFree } from './python-server.ts';

/** moto's server under the stdin watchdog (see watchdogPrelude): it never outlives firedrill. */
const MOTO_SCRIPT = [
  watchdogPrelude(),
  // werkzeug logs one line per request: on a busy run that is measurable CPU in the emulator and in the pipe
  // reader here. Warnings and errors still come through (they are what the startup-failure tail shows).
  'import logging',
  'logging.getLogger("werkzeug").setLevel(logging.WARNING)',
  'from moto.server import main',
  'main(sys.argv[1:])',
].join('\n');

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

/**
 * glibc malloc settings for the moto firedrill starts (a setting in the environment wins). moto's server answers
 * each request on a thread of its own, and glibc gives threads arenas of their own that keep what large transient
 * buffers (4 MiB Firehose batches, decoded raw objects) freed: during a long drill moto's RSS grew about 50 MB a
 * minute while the objects and log events it held stayed near 150 MB. Two arenas, and buffers from 128 KiB mapped
 * and unmapped rather than kept, bound what it retains; the data it holds is the same.
 */
const MOTO_MALLOC = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' } as const;

export interface SpawnMotoOptions {
  python: string;
  port: number;
  startTimeoutMs?: number;
}

/** Starts moto on 127.0.0.1:port and waits until its control API answers. Rejects if it exits first. */
export async function spawnMoto(opts: SpawnMotoOptions): Promise<MotoProcess> {
  const { port } = opts;
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await spawnPythonServer({
    name: 'moto',
    python: opts.python,
    script: MOTO_SCRIPT,
    args: ['-H', '127.0.0.1', '-p', String(port)],
    // MOTO_PORT: Step Functions aws-sdk tasks call moto back at localhost:$MOTO_PORT. MALLOC_*: see MOTO_MALLOC.
    env: { ...MOTO_MALLOC, ...process.env, MOTO_PORT: String(port) },
    ready: async () => (await probeEndpoint(endpoint, 1_000)).flavor === 'moto',
    what: `moto server on ${endpoint}`,
    startTimeoutMs: opts.startTimeoutMs ?? 30_000,
  });
  return { endpoint, port, ...server };
}
