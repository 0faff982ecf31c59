import type { Rng } from '../../core/index.ts';
import { arrivals } from '../common/rate/index.ts';
import { AliasSampler } from '../common/sampler.ts';
import type { BackgroundGenerator, BackgroundRequest, EntityPools, GeneratedEvent } from '../types.ts';
import { EventQueue } from './event-queue.ts';
import { lambdaFunctions } from './function-model.ts';
import { invoke } from './invocation.ts';

/**
 * Lambda background: invocations of the estate's functions in proportion to their usual traffic, each in
 * an execution environment that stays warm for a few minutes (a cold start opens a new log stream and
 * reports Init Duration), with the function's usual duration, memory and rare errors. `req.rate` is
 * invocations per second across all functions; each invocation writes five to eight events.
 */
export const lambdaBackground: BackgroundGenerator = {
  source: 'lambda',
  *generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Generator<GeneratedEvent> {
    const fns = lambdaFunctions(pools);
    if (fns.length === 0) return;
    const c = rng.fork('content');
    const pick = new AliasSampler(fns.map((f) => f.profile.weight));
    const q = new EventQueue();
    const vars = { bucket: pools.estate.buckets.data };
    for (const t of arrivals(rng.fork('arrivals'), req.rate, req.window)) {
      yield* q.releaseUntil(t);
      const fn = fns[pick.sample(c)]!;
      const failed = c.chance(fn.profile.errorRate);
      invoke(c, fn, t, failed ? { outcome: 'error', error: c.pick(fn.profile.errors) } : { outcome: 'ok' }, q, vars);
    }
    yield* q.drain(req.window.end);
  },
};
