import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DYNAMODB_PROVIDER } from './localstack-venv.ts';
import { spawnPythonServer, watchdogPrelude } from './python-server.ts';

/** `python -m localstack.runtime.main` under the stdin watchdog, which takes LocalStack's helper processes along. */
const LOCALSTACK_SCRIPT = [watchdogPrelude({ killGroup: true }), 'import runpy', "runpy.run_module('localstack.runtime.main', run_name='__main__', alter_sys=True)"].join('\n');

export interface LocalStackProcess {
  endpoint: string;
  port: number;
  pid: number;
  /** Its FILESYSTEM_ROOT (state, caches, its own tmp); removed by stop(). */
  root: string;
  exited: Promise<void>;
  tail(): string;
  stop(): Promise<void>;
}

export interface SpawnLocalStackOptions {
  python: string;
  port: number;
  /** FILESYSTEM_ROOT: a folder of its own, wiped before start and after stop. */
  root: string;
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

/**
 * The environment LocalStack runs on the host with. Everything listens on 127.0.0.1:port only; nothing is
 * downloaded at start (no SSL certificate, no analytics events); the DNS server stays off (it wants port 53 and an
 * upstream resolver); DynamoDB is served by moto's backend (firedrill_localstack.py says why) unless
 * FIREDRILL_LOCALSTACK_DYNAMODB=native asks for LocalStack's own (Java + DynamoDB Local, which it downloads).
 */
export function localStackEnv(port: number, root: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const native = (base.FIREDRILL_LOCALSTACK_DYNAMODB ?? '').toLowerCase() === 'native';
  return {
    ...base,
    OVERRIDE_IN_DOCKER: '0',
    GATEWAY_LISTEN: `127.0.0.1:${port}`,
    // The host and port LocalStack writes into the URLs it returns (queue URLs and the like).
    LOCALSTACK_HOST: `127.0.0.1:${port}`,
    SQS_ENDPOINT_STRATEGY: 'path',
    DISABLE_EVENTS: '1',
    SKIP_SSL_CERT_DOWNLOAD: '1',
    DNS_ADDRESS: '0',
    FILESYSTEM_ROOT: root,
    // One log line per request costs CPU on both ends of the pipe; warnings and errors still come through.
    LS_LOG: base.LS_LOG ?? 'warn',
    ...(native ? {} : { PROVIDER_OVERRIDE_DYNAMODB: DYNAMODB_PROVIDER }),
  };
}

/** Starts LocalStack on 127.0.0.1:port and waits until its health API answers. Rejects if it exits first. */
export async function spawnLocalStack(opts: SpawnLocalStackOptions): Promise<LocalStackProcess> {
  const { port, root } = opts;
  const endpoint = `http://127.0.0.1:${port}`;
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  try {
    const server = await spawnPythonServer({
      name: 'LocalStack',
      python: opts.python,
      script: LOCALSTACK_SCRIPT,
      env: localStackEnv(port, root, opts.env),
      ready: () => localStackReady(endpoint),
      what: `LocalStack on ${endpoint}`,
      startTimeoutMs: opts.startTimeoutMs ?? 60_000,
    });
    const stop = async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    };
    return { endpoint, port, root, pid: server.pid, exited: server.exited, tail: server.tail, stop };
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    throw err;
  }
}

/**
 * True once the health API answers and LocalStack has finished its READY stage (health answers a little before).
 * Not probeEndpoint: LocalStack would take its `/moto-api/config` for an S3 request and load S3 just to answer it.
 */
export async function localStackReady(endpoint: string): Promise<boolean> {
  for (const p of ['/_localstack/health', '/_localstack/init/ready']) {
    const res = await fetch(`${endpoint}${p}`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
    if (!res?.ok) {
      await res?.body?.cancel();
      return false;
    }
    const body = (await res.json().catch(() => ({}))) as { completed?: boolean; services?: object };
    if (p.endsWith('/ready') ? body.completed !== true : typeof body.services !== 'object') return false;
  }
  return true;
}

/** Where a LocalStack started by this process keeps its FILESYSTEM_ROOT. */
export function localStackRunRoot(base: string, port: number): string {
  return path.join(base, 'runs', `${process.pid}-${port}`);
}

/**
 * Removes the run folders of LocalStacks whose firedrill process is gone (killed before it could clean up); the
 * watchdog already ended the servers themselves.
 */
export async function pruneStaleRuns(base: string): Promise<void> {
  const runs = path.join(base, 'runs');
  for (const name of await readdir(runs).catch(() => [] as string[])) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) await rm(path.join(runs, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
