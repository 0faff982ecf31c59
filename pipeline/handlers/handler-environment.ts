import { createAwsClients, type AwsClients } from '../../core/aws/index.ts';
import { topologyFromEnv, type Topology } from '../../core/topology/index.ts';

/**
 * The environment variables infra/ renders on each Lambda entry point (beyond the AWS runtime's own AWS_REGION and
 * credentials), exactly these, so a handler that starts needing another one fails the infra test. Optional ones a
 * handler also reads when present: FIREDRILL_ESTATE (normalizer, detector: the declared estate, when the topology
 * has one; dispatcher: the estate's ids, else read from the state bucket), FIREDRILL_DECLARATION (dispatcher: the
 * declared estate, when the topology has one), FIREDRILL_NORMALIZER_STATE_MB and FIREDRILL_NORMALIZER_BATCH_MB
 * (normalizer: its memory bounds, see normalizerLimits), FIREDRILL_STATE_MACHINES (dispatcher:
 * else the state machines deploy names) and the analyzer's FIREDRILL_ANALYZER* (detector: offline when unset).
 */
export const HANDLER_ENVIRONMENT = {
  normalizer: ['FIREDRILL_PREFIX', 'FIREDRILL_LOG_LEVEL'],
  detector: ['FIREDRILL_PREFIX', 'FIREDRILL_LOG_LEVEL', 'FIREDRILL_ALERTS_TOPIC_ARN'],
  dispatcher: ['FIREDRILL_PREFIX', 'FIREDRILL_LOG_LEVEL', 'FIREDRILL_TARGET', 'FIREDRILL_DRY_RUN', 'FIREDRILL_AWS_ACCOUNT_ALLOWLIST', 'FIREDRILL_MAX_ACTIONS_PER_RESOURCE_PER_HOUR'],
} as const;
export type HandlerName = keyof typeof HANDLER_ENVIRONMENT;

/**
 * What the normalizer and the detector build once per cold start: clients (AWS_ENDPOINT_URL points them at an
 * emulator; on Lambda the SDK's own endpoints and the function role, in the function's region) and the declared
 * topology (FIREDRILL_ESTATE, FIREDRILL_PREFIX).
 */
export function handlerContext(env: NodeJS.ProcessEnv = process.env): { clients: AwsClients; topology: Topology } {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  const clients = createAwsClients({ ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}), ...(region ? { region } : {}) });
  return { clients, topology: topologyFromEnv(env) };
}
