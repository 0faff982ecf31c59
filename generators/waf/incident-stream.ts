import type { Rng } from '../../core/index.ts';
import type { IncidentKind } from '../../core/index.ts';
import { serializeWaf, type WafRecord } from '../../formats/index.ts';
import type { EntityPools, GeneratedEvent, IncidentRequest } from '../types.ts';
import { arrivals } from '../common/rate/arrivals.ts';
import { rampRate } from '../common/rate/ramp.ts';
import { fastRng } from '../common/fast-rng.ts';
import { wafContext, type WafContext } from './model.ts';

/** A number param of the request, or the default; a wrong type is the scenario's mistake, said plainly. */
export function numParam(req: IncidentRequest, name: string, dflt: number): number {
  const v = req.params?.[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${req.kind} param ${name}: expected a number, got ${JSON.stringify(v)}`);
  return v;
}

export function strParam(req: IncidentRequest, name: string, dflt: string): string {
  const v = req.params?.[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'string') throw new RangeError(`${req.kind} param ${name}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Labelled WAF events of an incident: arrivals ramp from 20% to the full rate over the first fifth of the
 * window (attacks build up), rate scaled by intensity; `build` makes one record per arrival.
 */
export function* wafIncidentEvents(
  rng: Rng,
  pools: EntityPools,
  req: IncidentRequest,
  kind: IncidentKind,
  fullRatePerSec: number,
  build: (ctx: WafContext, r: Rng, t: number) => WafRecord,
): Generator<GeneratedEvent, void, undefined> {
  const ctx = wafContext(pools);
  const rate = fullRatePerSec * Math.max(0.05, req.intensity);
  const { start, end } = req.window;
  const profile = rampRate({ start, end: start + Math.max(1, (end - start) / 5), from: rate * 0.2, to: rate });
  const r = fastRng(rng.fork('content'));
  const label = { incidentId: req.incidentId, kind };
  for (const t of arrivals(fastRng(rng.fork('arrivals')), profile, req.window)) {
    yield { time: t, source: 'waf', dest: ctx.dest, message: serializeWaf(build(ctx, r, t)), label };
  }
}
