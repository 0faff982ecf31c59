import type { IncidentGenerator } from '../types.ts';
import { MEMORY_LINES } from './data.ts';
import { labelOf, describeFn, incidentInvocations, legacyShare } from './incident-support.ts';

/**
 * Invocations running out of memory: Max Memory Used = Memory Size, `Status: error	Error Type:
 * Runtime.OutOfMemory` or the older `Runtime exited with error: signal: killed` (`params.oomForm`); the
 * environment dies, so the next invocation starts cold. describe(): function.
 */
export const lambdaMemoryExhaustion: IncidentGenerator = {
  kind: 'lambda-memory-exhaustion',
  sources: ['lambda'],
  describe: describeFn,
  generate(rng, pools, req) {
    const label = labelOf(req);
    const share = legacyShare(req, 'oomForm');
    const pOom = Math.min(0.9, 0.4 + 0.5 * req.intensity);
    return incidentInvocations(rng, pools, req, Math.max(0.1, req.intensity), (c, fn) => {
      const extra = MEMORY_LINES.map((text) => ({ level: 'INFO' as const, text }));
      if (c.chance(pOom)) return { outcome: 'oom', label, legacyShare: share, extra, durationMs: fn.timeoutMs * (0.1 + 0.3 * c.next()) };
      // Those that survive run right at the limit.
      return { outcome: 'ok', label, extra, memoryUsedMb: fn.memoryMb - c.int(1, 4) };
    });
  },
};
