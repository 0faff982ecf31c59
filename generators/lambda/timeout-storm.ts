import type { IncidentGenerator } from '../types.ts';
import { labelOf, describeFn, incidentInvocations, legacyShare } from './incident-support.ts';

/**
 * Invocations hanging on a slow downstream until the function times out, in BOTH wordings: the older
 * `<ts> <id> Task timed out after N seconds` line and the newer `REPORT … Status: timeout`
 * (`params.timeoutForm`: legacy | report | both). describe(): function.
 */
export const lambdaTimeoutStorm: IncidentGenerator = {
  kind: 'lambda-timeout-storm',
  sources: ['lambda'],
  describe: describeFn,
  generate(rng, pools, req) {
    const label = labelOf(req);
    const share = legacyShare(req, 'timeoutForm');
    const pTimeout = Math.min(0.95, 0.5 + 0.4 * req.intensity);
    return incidentInvocations(rng, pools, req, Math.max(0.2, 2 * req.intensity), (c, fn) => {
      const slow = { level: 'WARN' as const, text: `Downstream ${fn.profile.downstream} still pending after {ms}0 ms` };
      if (c.chance(pTimeout)) return { outcome: 'timeout', label, legacyShare: share, extra: [slow] };
      // The rest squeak through just under the limit.
      return { outcome: 'ok', label, durationMs: fn.timeoutMs * (0.75 + 0.2 * c.next()), extra: [slow] };
    });
  },
};
