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
    // MOTO_PORT: Step Functions aws-sdk tasks call moto back at localhost:$MOTO_PORT.
    env: { ...process.env, MOTO_PORT: String(port) },
    ready: async () => (await probeEndpoint(endpoint, 1_000)).flavor === 'moto',
    what: `moto server on ${endpoint}`,
    startTimeoutMs: opts.startTimeoutMs ?? 30_000,
  });
  return { endpoint, port, ...server };
}
