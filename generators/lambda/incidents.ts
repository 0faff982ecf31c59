import type { Rng } from '../../core/rng.ts';
import type { Entities } from '../../core/vocabulary.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest, TruthLabel } from '../types.ts';
import { MEMORY_LINES, SPIKE_ERRORS } from './data.ts';
import { EventQueue } from './event-queue.ts';
import { lambdaFunctions, pickFunction, type LambdaFunction } from './function-model.ts';
import { invoke, type InvocationSpec } from './invocation.ts';

function labelOf(req: IncidentRequest): TruthLabel {
  return { incidentId: req.incidentId, kind: req.kind };
}

/** Which function each incident hits by default: the one whose workload makes that failure likely. */
const DEFAULT_TARGET: Record<string, RegExp> = {
  'lambda-timeout-storm': /thumbnailer/,
  'lambda-error-spike': /order-events/,
  'lambda-memory-exhaustion': /report-builder/,
};

function target(pools: EntityPools, req: IncidentRequest): LambdaFunction {
  return pickFunction(lambdaFunctions(pools), req.entities.function, DEFAULT_TARGET[req.kind] ?? /./);
}

function describeFn(_rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
  const fn = target(pools, req);
  return { function: fn.name };
}

/** Runs `decide` for each incident invocation of the target function, at `rate` invocations per second. */
function* incidentInvocations(rng: Rng, pools: EntityPools, req: IncidentRequest, rate: number, decide: (c: Rng, fn: LambdaFunction, t: number) => InvocationSpec): Generator<GeneratedEvent> {
  const fn = target(pools, req);
  const c = rng.fork('content');
  const q = new EventQueue();
  const vars = { bucket: pools.estate.buckets.data, acct: pools.estate.accountId, region: pools.estate.region, fn: fn.name, role: (pools.estate.roles.lambda ?? '').split('/').pop() ?? 'lambda-role' };
  for (const t of arrivals(rng.fork('arrivals'), constantRate(rate), req.window)) {
    yield* q.releaseUntil(t);
    invoke(c, fn, t, decide(c, fn, t), q, vars);
  }
  yield* q.drain(req.window.end);
}

/** `legacy` | `report` | `both` (default): which timeout wording(s) the storm uses. */
function legacyShare(req: IncidentRequest, param: string): number {
  const form = req.params?.[param];
  return form === 'legacy' ? 1 : form === 'report' ? 0 : 0.5;
}

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
