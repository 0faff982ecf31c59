/**
 * moto's own control API (`/moto-api/*`): one place that knows its paths. Every call has a short deadline
 * so a dead server shows up as an error, not a hang.
 */
export const MOTO_CONFIG = { stepfunctions: { execute_state_machine: true } } as const;

export interface Probe {
  flavor: 'moto' | 'localstack' | 'unknown';
  detail: string;
}

async function call(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 5_000) });
}

/**
 * Identifies what answers at `endpoint`: LocalStack (its health API), moto (its config API), or anything HTTP.
 * LocalStack is asked first: it would take `/moto-api/config` for an S3 request and load S3 (seconds) to answer it,
 * while moto answers an unknown path at once.
 */
export async function probeEndpoint(endpoint: string, timeoutMs = 3_000): Promise<Probe> {
  const base = endpoint.replace(/\/+$/, '');
  const ls = await call(`${base}/_localstack/health`, { timeoutMs }).catch((err: unknown) => err as Error);
  if (ls instanceof Error) throw ls;
  if (ls.ok) {
    const body = (await ls.json().catch(() => undefined)) as { version?: string; services?: unknown } | undefined;
    if (body && typeof body.services === 'object') return { flavor: 'localstack', detail: `LocalStack ${body.version ?? '(version unknown)'}` };
  } else {
    await ls.body?.cancel();
  }
  const moto = await call(`${base}/moto-api/config`, { timeoutMs });
  if (moto.ok && (moto.headers.get('content-type') ?? '').includes('json')) {
    // moto answers its (possibly partial, e.g. only `batch`/`lambda`) user config as a JSON object.
    const body = (await moto.json().catch(() => undefined)) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return { flavor: 'moto', detail: JSON.stringify(body) };
  } else {
    await moto.body?.cancel();
  }
  return { flavor: 'unknown', detail: `HTTP ${moto.status} from ${base}/moto-api/config` };
}

/** Enables real Step Functions execution. Must run before any state machine is created. */
export async function configureMoto(endpoint: string): Promise<void> {
  const res = await call(`${endpoint}/moto-api/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(MOTO_CONFIG) });
  await res.body?.cancel();
  // moto 5.2.5 never echoes `stepfunctions` in its answer (get_config returns batch/lambda only), so the
  // status is all there is to check here; the Step Functions e2e test proves the setting took effect.
  if (!res.ok) throw new Error(`moto refused ${JSON.stringify(MOTO_CONFIG)} with HTTP ${res.status}`);
}

/** Wipes every resource (moto keeps its config across resets, but firedrill re-applies it anyway). */
export async function resetMoto(endpoint: string): Promise<void> {
  const res = await call(`${endpoint}/moto-api/reset`, { method: 'POST', timeoutMs: 30_000 });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`POST ${endpoint}/moto-api/reset answered HTTP ${res.status}`);
  await configureMoto(endpoint);
}
