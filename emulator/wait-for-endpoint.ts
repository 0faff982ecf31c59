import { ConfigError, parseDuration, pollUntil } from '../core/index.ts';
import { localStackReady } from './localstack-process.ts';
import { probeEndpoint, type Probe } from './moto-api.ts';

/**
 * How long to wait for an endpoint named from outside to become ready: FIREDRILL_ENDPOINT_WAIT (`120s`, `2m`, or
 * seconds). Unset or 0: one probe, so a wrong URL fails within seconds; a container started beside firedrill
 * (docker compose, a CI service) sets it, because LocalStack answers minutes after its container starts.
 */
export function endpointWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FIREDRILL_ENDPOINT_WAIT?.trim();
  if (!raw || raw === '0') return 0;
  try {
    const ms = parseDuration(raw);
    if (ms > 0) return ms;
  } catch {
    // reported below
  }
  throw new ConfigError(`invalid FIREDRILL_ENDPOINT_WAIT ${JSON.stringify(raw)}`, {
    expected: 'a duration such as 120s or 2m (or a number of seconds); 0 or unset probes once',
    seen: raw,
    fix: 'e.g. FIREDRILL_ENDPOINT_WAIT=120s',
  });
}

/**
 * Probes `endpoint` until it is ready or `timeoutMs` passes: moto when its config API answers, LocalStack when its
 * health API answers and its READY stage is complete (health answers a little before). Returns the last probe.
 */
export async function waitForEndpoint(endpoint: string, timeoutMs: number): Promise<Probe> {
  return pollUntil(
    async () => {
      const probe = await probeEndpoint(endpoint);
      if (probe.flavor === 'moto') return probe;
      if (probe.flavor === 'localstack') return (await localStackReady(endpoint)) ? probe : undefined;
      return undefined;
    },
    { timeoutMs, intervalMs: 500, maxIntervalMs: 2_000, what: `the emulator at ${endpoint} to be ready` },
  );
}
