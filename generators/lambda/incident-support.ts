/** Helpers the incident generators of this source share. */
import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentRequest, TruthLabel } from '../types.ts';
import { EventQueue } from './event-queue.ts';
import { lambdaFunctions, pickFunction, type LambdaFunction } from './function-model.ts';
import { invoke, type InvocationSpec } from './invocation.ts';

export function labelOf(req: IncidentRequest): TruthLabel {
  return { incidentId: req.incidentId, kind: req.kind };
}

/** Which function each incident hits by default: the one whose workload makes that failure likely. */
const DEFAULT_TARGET: Record<string, RegExp> = {
  'lambda-timeout-storm': /thumbnailer/,
  'lambda-error-spike': /order-events/,
  'lambda-memory-exhaustion': /report-builder/,
};

export function target(pools: EntityPools, req: IncidentRequest): LambdaFunction {
  return pickFunction(lambdaFunctions(pools), req.entities.function, DEFAULT_TARGET[req.kind] ?? /./);
}

export function describeFn(_rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
  const fn = target(pools, req);
  return { function: fn.name };
}

/** Runs `decide` for each incident invocation of the target function, at `rate` invocations per second. */
export function* incidentInvocations(rng: Rng, pools: EntityPools, req: IncidentRequest, rate: number, decide: (c: Rng, fn: LambdaFunction, t: number) => InvocationSpec): Generator<GeneratedEvent> {
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
export function legacyShare(req: IncidentRequest, param: string): number {
  const form = req.params?.[param];
  return form === 'legacy' ? 1 : form === 'report' ? 0 : 0.5;
}
