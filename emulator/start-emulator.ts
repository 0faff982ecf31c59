import path from 'node:path';
import { errorMessage } from '../core/index.ts';
import { createLogger } from '../core/index.ts';
import { EmulatorUnavailableError } from './errors.ts';
import { configureMoto, probeEndpoint, resetMoto } from './moto-api.ts';
import { spawnMoto } from './moto-process.ts';
import { localStackRunRoot, pruneStaleRuns, spawnLocalStack } from './localstack-process.ts';
import { ensureLocalStackVenv, localStackVenvStatus, LOCALSTACK_REQUIREMENT } from './localstack-venv.ts';
import { freePort, isPortFree } from './python-server.ts';
import { runInThread } from './run-in-thread.ts';
import { endpointWaitMs, waitForEndpoint } from './wait-for-endpoint.ts';
import { ensureVenv, venvStatus, MOTO_VERSION } from './venv.ts';

const log = createLogger('firedrill:emulator');

/** Every way firedrill knows to get an emulator. */
export const EMULATOR_STRATEGIES = ['endpoint', 'moto', 'localstack', 'container'] as const;
export type EmulatorStrategy = (typeof EMULATOR_STRATEGIES)[number];
/** Tried in this order when none are given: an emulator given from outside, else moto, else a container. */
export const DEFAULT_EMULATOR_STRATEGIES: readonly EmulatorStrategy[] = ['endpoint', 'moto', 'container'];
/** For `--target localstack`: a LocalStack given from outside, else one from PyPI on the host, else its container. */
export const LOCALSTACK_STRATEGIES: readonly EmulatorStrategy[] = ['endpoint', 'localstack', 'container'];

/**
 * The order for `--target localstack`. With LOCALSTACK_AUTH_TOKEN the container comes before the host: the token
 * is for a Pro image (ECS, RDS, WAFv2), which `localstack-core` from PyPI is not.
 */
export function localStackStrategies(env: NodeJS.ProcessEnv = process.env): readonly EmulatorStrategy[] {
  return env.LOCALSTACK_AUTH_TOKEN ? ['endpoint', 'container', 'localstack'] : LOCALSTACK_STRATEGIES;
}

export interface EmulatorHandle extends AsyncDisposable {
  /** Base URL for every AWS service (one port for all). */
  readonly endpoint: string;
  /** Which strategy produced it. */
  readonly kind: EmulatorStrategy;
  /** What answers there. */
  readonly flavor: 'moto' | 'localstack' | 'unknown';
  /** Server process id when firedrill started it as a local process. */
  readonly pid: number | undefined;
  /** Wipes every resource and re-applies the emulator config (Step Functions execution). */
  reset(): Promise<void>;
  /** Stops what firedrill started (an endpoint given from outside is left running). Idempotent. */
  stop(): Promise<void>;
}

export interface StartEmulatorOptions {
  /** Strategies to try, in order (default: DEFAULT_EMULATOR_STRATEGIES). */
  strategies?: readonly EmulatorStrategy[];
  /** Which emulator the container strategy starts (default: LocalStack when FIREDRILL_EMULATOR=localstack or a token is set, else moto). */
  container?: 'moto' | 'localstack';
  /** LocalStack's virtualenv (default `<repo>/.firedrill/localstack/venv`). */
  localStackVenvDir?: string;
  /** Environment to read FIREDRILL_ENDPOINT / AWS_ENDPOINT_URL / LOCALSTACK_AUTH_TOKEN from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The moto virtualenv (default `<repo>/.venv`). */
  venvDir?: string;
  /** Create the venv when missing (default true; `npm run setup` normally did it already). */
  setup?: boolean;
  /** Preferred moto port; when taken, another free port is used. Default: any free port. */
  port?: number;
  startTimeoutMs?: number;
}

export interface StrategyFailure {
  strategy: EmulatorStrategy;
  reason: string;
  fix: string;
}

class StrategyUnavailable extends Error {
  constructor(
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Returns a running emulator: the first strategy that works wins. Use with `await using` (or call stop()).
 * Throws EmulatorUnavailableError listing every strategy tried, why it failed, and the fix.
 */
export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<EmulatorHandle> {
  const failures: StrategyFailure[] = [];
  const env = opts.env ?? process.env;
  let strategies = opts.strategies ?? DEFAULT_EMULATOR_STRATEGIES;
  // An endpoint named explicitly is used, or the start fails with the reason: falling back to a private moto would
  // let a drill "pass" against an emulator the user never asked for.
  if ((env.FIREDRILL_ENDPOINT || env.AWS_ENDPOINT_URL) && strategies.includes('endpoint')) strategies = ['endpoint'];
  for (const strategy of strategies) {
    try {
      const handle = await STARTERS[strategy](opts);
      log.info({ strategy, endpoint: handle.endpoint, flavor: handle.flavor }, 'emulator ready');
      return handle;
    } catch (err) {
      const fix = err instanceof StrategyUnavailable ? err.fix : 'see the reason';
      failures.push({ strategy, reason: errorMessage(err), fix });
      log.info({ strategy, reason: errorMessage(err) }, 'emulator strategy failed');
    }
  }
  throw unavailable(failures);
}

function unavailable(failures: StrategyFailure[]): EmulatorUnavailableError {
  const only = failures.length === 1 && failures[0]!.strategy === 'endpoint' ? failures[0]! : undefined;
  const err = only
    ? new EmulatorUnavailableError('the emulator endpoint given explicitly does not answer', { expected: 'a running moto or LocalStack at FIREDRILL_ENDPOINT (or AWS_ENDPOINT_URL)', seen: only.reason, fix: only.fix })
    : new EmulatorUnavailableError('no AWS emulator could be started', {
        expected: `one of the strategies to work: ${failures.map((f) => f.strategy).join(', ') || '(none were allowed)'}`,
        seen: failures.map((f) => `\n    - ${f.strategy}: ${f.reason.replace(/\n/g, '\n      ')}`).join(''),
        fix: failures.map((f) => `\n    - ${f.strategy}: ${f.fix}`).join(''),
      });
  return Object.assign(err, { failures });
}

function makeHandle(parts: Omit<EmulatorHandle, typeof Symbol.asyncDispose | 'stop'> & { stop: () => Promise<void> }): EmulatorHandle {
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= parts.stop());
  // Property descriptors, not a spread: a restarting strategy's `pid` is a getter and must stay one.
  return Object.assign(Object.defineProperties({}, Object.getOwnPropertyDescriptors(parts)) as typeof parts, { stop, [Symbol.asyncDispose]: stop });
}

const STARTERS: Record<EmulatorStrategy, (opts: StartEmulatorOptions) => Promise<EmulatorHandle>> = {
  async endpoint(opts) {
    const env = opts.env ?? process.env;
    const given = env.FIREDRILL_ENDPOINT || env.AWS_ENDPOINT_URL;
    const fix = 'set FIREDRILL_ENDPOINT (or AWS_ENDPOINT_URL) to a running moto or LocalStack, e.g. http://localhost:4566 after `docker compose up`';
    if (!given) throw new StrategyUnavailable('FIREDRILL_ENDPOINT and AWS_ENDPOINT_URL are not set', fix);
    const endpoint = given.replace(/\/+$/, '');
    const waitMs = endpointWaitMs(env);
    const probe = await (waitMs > 0 ? waitForEndpoint(endpoint, waitMs) : probeEndpoint(endpoint)).catch((err: unknown) => {
      throw new StrategyUnavailable(
        waitMs > 0 ? `${endpoint} was not ready within FIREDRILL_ENDPOINT_WAIT (${waitMs} ms): ${whyFetchFailed(err)}` : `nothing answers at ${endpoint}: ${whyFetchFailed(err)}`,
        `start the emulator there${waitMs > 0 ? ' or raise FIREDRILL_ENDPOINT_WAIT' : ' (FIREDRILL_ENDPOINT_WAIT=120s waits for one still starting)'}, or unset FIREDRILL_ENDPOINT/AWS_ENDPOINT_URL to let firedrill start moto itself`,
        { cause: err },
      );
    });
    if (probe.flavor === 'moto') await configureMoto(endpoint);
    return makeHandle({
      endpoint,
      kind: 'endpoint',
      flavor: probe.flavor,
      pid: undefined,
      reset: () => resetEndpoint(endpoint, probe.flavor),
      stop: async () => {},
    });
  },

  async moto(opts) {
    let status = await venvStatus(opts.venvDir);
    if (!status.ready) {
      if (opts.setup === false) {
        throw new StrategyUnavailable(`moto ${MOTO_VERSION} is not installed in ${status.paths.dir}`, 'run `npm run setup` (needs python3 with venv)');
      }
      status = await ensureVenv({ dir: opts.venvDir }).catch((err: unknown) => {
        throw new StrategyUnavailable(errorMessage(err), 'install python3 (with venv) and run `npm run setup`', { cause: err });
      });
    }
    let lastError: unknown;
    // A port can be taken between choosing it and moto binding it: choose again a few times.
    for (let attempt = 0; attempt < 3; attempt++) {
      const preferred = attempt === 0 ? (opts.port ?? numberOr(opts.env?.FIREDRILL_MOTO_PORT ?? process.env.FIREDRILL_MOTO_PORT)) : undefined;
      const port = preferred !== undefined && (await isPortFree(preferred)) ? preferred : await freePort();
      try {
        const proc = await spawnMoto({ python: status.paths.python, port, startTimeoutMs: opts.startTimeoutMs });
        try {
          await configureMoto(proc.endpoint);
          // One call per service, in a thread of its own that takes their SDK packages with it when it ends.
          await runInThread({ kind: 'warm-up', endpoint: proc.endpoint });
        } catch (err) {
          await proc.stop();
          throw err;
        }
        return makeHandle({
          endpoint: proc.endpoint,
          kind: 'moto',
          flavor: 'moto',
          pid: proc.pid,
          reset: () => resetMoto(proc.endpoint),
          stop: () => proc.stop(),
        });
      } catch (err) {
        lastError = err;
        if (!/address already in use|errno 98|eaddrinuse/i.test(errorMessage(err))) break;
      }
    }
    throw new StrategyUnavailable(`moto server from ${status.paths.dir} did not start: ${errorMessage(lastError)}`, `rm -rf ${status.paths.dir} && npm run setup; FIREDRILL_LOG_LEVEL=debug shows moto's output`, { cause: lastError });
  },

  async localstack(opts) {
    const env = opts.env ?? process.env;
    let status = await localStackVenvStatus(opts.localStackVenvDir);
    if (!status.ready) {
      if (opts.setup === false) {
        throw new StrategyUnavailable(`${LOCALSTACK_REQUIREMENT} is not installed in ${status.paths.dir}`, 'run `npm run setup` (needs a Python 3.13)');
      }
      // First use: install from the lock file (about a minute); `npm run setup` does it ahead when it can.
      status = await ensureLocalStackVenv({ dir: opts.localStackVenvDir, env }).catch((err: unknown) => {
        throw new StrategyUnavailable(errorMessage(err), (err as { fix?: string }).fix ?? 'see the reason', { cause: err });
      });
    }
    const python = status.paths.python;
    // Beside the venv, in the project's ignored .firedrill/ folder.
    const runs = path.dirname(status.paths.dir);
    await pruneStaleRuns(runs);
    let lastError: unknown;
    // A port can be taken between choosing it and LocalStack binding it: choose again a few times.
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      try {
        let proc = await spawnLocalStack({ python, port, root: localStackRunRoot(runs, port), env, startTimeoutMs: opts.startTimeoutMs });
        // LocalStack's community edition has no state reset API: a reset is a restart on the same port with an
        // empty FILESYSTEM_ROOT (about a second), so the endpoint every client holds stays valid.
        const reset = async () => {
          await proc.stop();
          proc = await spawnLocalStack({ python, port, root: localStackRunRoot(runs, port), env, startTimeoutMs: opts.startTimeoutMs });
        };
        const handle = makeHandle({
          endpoint: proc.endpoint,
          kind: 'localstack',
          flavor: 'localstack',
          get pid() {
            return proc.pid;
          },
          reset: () => serialReset(proc.endpoint, reset),
          stop: async () => {
            RESETTERS.delete(proc.endpoint);
            await proc.stop();
          },
        });
        RESETTERS.set(proc.endpoint, handle.reset);
        return handle;
      } catch (err) {
        lastError = err;
        if (!/address already in use|errno 98|eaddrinuse/i.test(errorMessage(err))) break;
      }
    }
    throw new StrategyUnavailable(
      `LocalStack from ${status.paths.dir} did not start: ${errorMessage(lastError)}`,
      `rm -rf ${status.paths.dir} && npm run setup; FIREDRILL_LOG_LEVEL=debug shows LocalStack's output`,
      { cause: lastError },
    );
  },

  async container(opts) {
    const env = opts.env ?? process.env;
    const fix = 'start a Docker engine (or set DOCKER_HOST), or use the moto strategy (`npm run setup`)';
    // Loaded only here: testcontainers is heavy and most runs never need it.
    const tc = await import('testcontainers');
    await tc.getContainerRuntimeClient().catch((err: unknown) => {
      throw new StrategyUnavailable(`no Docker engine reachable: ${errorMessage(err)}`, fix, { cause: err });
    });
    const wantLocalStack = opts.container ? opts.container === 'localstack' : (env.FIREDRILL_EMULATOR ?? '').toLowerCase() === 'localstack' || Boolean(env.LOCALSTACK_AUTH_TOKEN);
    if (wantLocalStack) {
      // Images after 2026-03-23 refuse to start without an auth token; 4.14.0 is the last that does.
      const image = env.FIREDRILL_LOCALSTACK_IMAGE ?? (env.LOCALSTACK_AUTH_TOKEN ? 'localstack/localstack:latest' : 'localstack/localstack:4.14.0');
      const container = await new tc.GenericContainer(image)
        .withExposedPorts(4566)
        .withEnvironment(env.LOCALSTACK_AUTH_TOKEN ? { LOCALSTACK_AUTH_TOKEN: env.LOCALSTACK_AUTH_TOKEN } : {})
        .withWaitStrategy(tc.Wait.forHttp('/_localstack/health', 4566))
        .withStartupTimeout(opts.startTimeoutMs ?? 120_000)
        .start();
      const endpoint = `http://${container.getHost()}:${container.getMappedPort(4566)}`;
      return makeHandle({ endpoint, kind: 'container', flavor: 'localstack', pid: undefined, reset: () => resetEndpoint(endpoint, 'localstack'), stop: async () => void (await container.stop()) });
    }
    // Inside the container moto listens on 5000, and its Step Functions tasks call back on that port.
    const container = await new tc.GenericContainer(`motoserver/moto:${MOTO_VERSION}`)
      .withExposedPorts(5000)
      .withEnvironment({ MOTO_PORT: '5000' })
      .withWaitStrategy(tc.Wait.forHttp('/moto-api/config', 5000))
      .withStartupTimeout(opts.startTimeoutMs ?? 60_000)
      .start();
    const endpoint = `http://${container.getHost()}:${container.getMappedPort(5000)}`;
    await configureMoto(endpoint);
    return makeHandle({ endpoint, kind: 'container', flavor: 'moto', pid: undefined, reset: () => resetMoto(endpoint), stop: async () => void (await container.stop()) });
  },
};

async function resetEndpoint(endpoint: string, flavor: EmulatorHandle['flavor']): Promise<void> {
  if (flavor === 'moto') return resetMoto(endpoint);
  if (flavor === 'localstack') {
    const res = await fetch(`${endpoint}/_localstack/state/reset`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
    await res.body?.cancel();
    if (res.ok) return;
    throw new EmulatorUnavailableError(`LocalStack at ${endpoint} refused to reset`, {
      expected: 'POST /_localstack/state/reset to succeed',
      seen: `HTTP ${res.status}`,
      fix: 'restart the LocalStack container, or use a fresh resource prefix (FIREDRILL_PREFIX)',
    });
  }
  throw new EmulatorUnavailableError(`cannot reset the emulator at ${endpoint}`, {
    expected: 'moto or LocalStack',
    seen: 'an endpoint that answers neither /moto-api/config nor /_localstack/health',
    fix: 'use a fresh resource prefix (FIREDRILL_PREFIX) instead of reset()',
  });
}

/** Resets of emulators this process started that have no reset API of their own (LocalStack from PyPI), by endpoint. */
const RESETTERS = new Map<string, () => Promise<void>>();
const resetting = new Map<string, Promise<void>>();

/** One reset at a time per endpoint: a second caller waits for the running one instead of restarting twice. */
function serialReset(endpoint: string, reset: () => Promise<void>): Promise<void> {
  const running = resetting.get(endpoint);
  if (running) return running;
  const p = reset().finally(() => resetting.delete(endpoint));
  resetting.set(endpoint, p);
  return p;
}

function numberOr(v: string | undefined): number | undefined {
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

/** fetch's own message is only "fetch failed"; the reason (ECONNREFUSED, a timeout …) is its cause. */
function whyFetchFailed(err: unknown): string {
  return err instanceof Error && err.cause ? `${err.message}: ${errorMessage(err.cause)}` : errorMessage(err);
}

/**
 * Probes an endpoint someone named (a flag, a variable, a test's shared emulator) and throws
 * EmulatorUnavailableError within a few seconds when nothing answers there: never a silent fallback.
 */
export async function assertEndpointAnswers(endpoint: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const base = endpoint.replace(/\/+$/, '');
  // FIREDRILL_ENDPOINT_WAIT: wait (with that deadline) for an emulator still starting beside firedrill.
  const waitMs = endpointWaitMs(env);
  await (waitMs > 0 ? waitForEndpoint(base, waitMs) : probeEndpoint(base)).catch((err: unknown) => {
    throw new EmulatorUnavailableError(waitMs > 0 ? `the emulator endpoint ${base} was not ready within ${waitMs} ms` : `the emulator endpoint ${base} does not answer`, {
      expected: waitMs > 0 ? 'a moto or LocalStack there, ready within FIREDRILL_ENDPOINT_WAIT' : 'a running moto or LocalStack there',
      seen: whyFetchFailed(err),
      fix: 'start the emulator there (e.g. `docker compose up`, `firedrill up`), fix the URL, set FIREDRILL_ENDPOINT_WAIT=120s to wait for one still starting, or leave the endpoint out to let firedrill start moto itself',
      cause: err,
    });
  });
}

/**
 * Resets whatever emulator answers at `endpoint` (tests only get the endpoint through vitest's inject, not
 * the handle). Same effect as handle.reset().
 */
export async function resetEmulatorAt(endpoint: string): Promise<void> {
  const base = endpoint.replace(/\/+$/, '');
  const own = RESETTERS.get(base);
  if (own) return own();
  const probe = await probeEndpoint(base);
  await resetEndpoint(base, probe.flavor);
}
