import type { IncidentGenerator } from '../types.ts';
import { SPIKE_ERRORS } from './data.ts';
import { labelOf, describeFn, incidentInvocations } from './incident-support.ts';

/**
 * Most invocations failing with one dominant cause: console.error stack traces (one event each) and
 * the runtime's `Invoke Error` JSON line. describe(): function.
 */
export const lambdaErrorSpike: IncidentGenerator = {
  kind: 'lambda-error-spike',
  sources: ['lambda'],
  describe: describeFn,
  generate(rng, pools, req) {
    const label = labelOf(req);
    const cause = rng.fork('cause').pick(SPIKE_ERRORS);
    const pError = Math.min(0.95, 0.45 + 0.45 * req.intensity);
    return incidentInvocations(rng, pools, req, Math.max(0.2, 3 * req.intensity), (c, fn) => {
      if (!c.chance(pError)) return { outcome: 'ok', label };
      // One cause dominates a spike; the function's everyday errors still show up now and then.
      const err = c.chance(0.85) ? cause : c.pick(fn.profile.errors);
      return { outcome: 'error', label, error: err, durationMs: 3 + c.logNormal(3, 0.6) };
    });
  },
};
