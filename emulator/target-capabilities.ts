import { AWS_SERVICES, fullCapabilities, type TargetCapabilities } from '../core/index.ts';
import { probeEndpoint } from './moto-api.ts';

/** LocalStack's `/_localstack/health` answer (the parts read here). */
export interface LocalStackHealth {
  services?: Record<string, string>;
  edition?: string;
  version?: string;
}

/** Service states in the health answer that mean the service answers requests. */
const WORKING = new Set(['available', 'running']);

/**
 * What a LocalStack has, from its own health answer: a service it does not list (or lists as disabled or in
 * error) is missing. The free edition lists no ECS, RDS, WAFv2 or EKS; a Pro edition (LOCALSTACK_AUTH_TOKEN) lists
 * them, and then they run.
 */
export function capabilitiesFromHealth(health: LocalStackHealth): TargetCapabilities {
  const version = health.version ?? '(version unknown)';
  const pro = /pro|enterprise|team/i.test(health.edition ?? '');
  const edition = pro ? health.edition! : 'community';
  const services = health.services ?? {};
  const missing = AWS_SERVICES.filter((s) => !WORKING.has(services[s] ?? '')).map((service) => ({
    service,
    reason:
      service in services
        ? `LocalStack ${version} reports ${service} as ${services[service]}`
        : pro
          ? `not in LocalStack ${version} (${edition})`
          : `not in LocalStack ${version}'s free edition; a Pro edition (LOCALSTACK_AUTH_TOKEN) has it`,
  }));
  return { target: `LocalStack ${version} (${edition})`, missing };
}

/**
 * Asks the target which services it has (`flavor` when the caller already knows what answers there). Real AWS (no endpoint) and moto have all of firedrill's; LocalStack says
 * in its health API; anything else is taken to have them all (its errors will then say otherwise).
 */
export async function detectCapabilities(endpoint: string | undefined, flavor?: 'moto' | 'localstack' | 'unknown'): Promise<TargetCapabilities> {
  if (!endpoint) return fullCapabilities('AWS');
  const known = flavor ?? (await probeEndpoint(endpoint)).flavor;
  if (known === 'moto') return fullCapabilities('moto');
  if (known === 'localstack') {
    const res = await fetch(`${endpoint.replace(/\/+$/, '')}/_localstack/health`, { signal: AbortSignal.timeout(5_000) });
    return capabilitiesFromHealth((await res.json()) as LocalStackHealth);
  }
  return fullCapabilities(`the emulator at ${endpoint}`);
}
