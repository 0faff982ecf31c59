import { probeEndpoint } from './moto-api.ts';
import { spawnPythonServer, watchdogPrelude } from './python-server.ts';

export { freePort, isPortFree } from './python-server.ts';

/**
 * moto 5.2.5 keeps every model instance it ever made in its class's `instances_tracked` list until a reset (for its
 * dashboard's `/moto-api/data.json` and to close S3 objects' buffers at reset): every CloudWatch Logs event, S3 object
 * and SQS message of a drill, deleted or not — at a million events, three quarters of a million log events of streams
 * deleted long before (about 0.7 KB each). Here a class keeps weak references instead: what moto still holds is
 * still listed (the dashboard and the reset see the same live resources), what it dropped is freed. Nothing else in
 * moto reads these lists.
 */
const TRACK_LIVE_INSTANCES_ONLY = [
  'import weakref',
  'from moto.core.common_models import BaseModel as _BaseModel',
  'class _TrackedWhileAlive:',
  '    def __init__(self):',
  '        self.refs = {}',
  // One callback for every reference (a closure each cost as much as the reference).
  '        self.forget = lambda r, refs=self.refs: refs.pop(id(r), None)',
  '    def append(self, o):',
  '        try:',
  '            r = weakref.ref(o, self.forget)',
  '        except TypeError:',
  '            r = lambda o=o: o',
  '        self.refs[id(r)] = r',
  '    def __iter__(self):',
  '        return (o for o in (r() for r in list(self.refs.values())) if o is not None)',
  '    def __len__(self):',
  '        return len(self.refs)',
  'def _tracked_new(cls, *args, **kwargs):',
  '    instance = super(_BaseModel, cls).__new__(cls)',
  // A reset puts a plain list back: it is replaced at the class's next instance.
  "    tracked = cls.__dict__.get('instances_tracked')",
  '    if not isinstance(tracked, _TrackedWhileAlive):',
  '        tracked = _TrackedWhileAlive()',
  '        cls.instances_tracked = tracked',
  '    tracked.append(instance)',
  '    return instance',
  '_BaseModel.__new__ = staticmethod(_tracked_new)',
];

/** moto's server under the stdin watchdog (see watchdogPrelude): it never outlives firedrill. */
const MOTO_SCRIPT = [
  watchdogPrelude(),
  // werkzeug logs one line per request: on a busy run that is measurable CPU in the emulator and in the pipe
  // reader here. Warnings and errors still come through (they are what the startup-failure tail shows).
  'import logging',
  'logging.getLogger("werkzeug").setLevel(logging.WARNING)',
  ...TRACK_LIVE_INSTANCES_ONLY,
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

/**
 * The environment of the moto server firedrill starts (never of an endpoint it was given: nothing of firedrill's
 * reaches that). MALLOC_ARENA_MAX=2 unless the user's environment sets it: moto's server is threaded (a thread per
 * request), and glibc gives a threaded program up to 8 malloc arenas per core, each keeping the memory freed into it
 * for that arena's next allocations instead of returning it to the system, so a server that has ever had many
 * requests in flight keeps the high-water mark of each arena. Two arenas share that reserve: moto peaked at ~335
 * against ~430 MB at 100k events and 590 against 696 MB at 1M, for no more CPU (README, "Production volume"). Set
 * here, not only by the command's launcher, since firedrill also runs without it (the library, the tests).
 * MOTO_PORT: Step Functions aws-sdk tasks call moto back at localhost:$MOTO_PORT.
 */
export function motoEnvironment(port: number, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: '2', ...env, MOTO_PORT: String(port) };
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
    env: motoEnvironment(port),
    ready: async () => (await probeEndpoint(endpoint, 1_000)).flavor === 'moto',
    what: `moto server on ${endpoint}`,
    startTimeoutMs: opts.startTimeoutMs ?? 30_000,
  });
  return { endpoint, port, ...server };
}
