import type { Rng } from '../../core/index.ts';
import type { IncidentKind } from '../../core/index.ts';
import type { EntityPools, GeneratedEvent, IncidentRequest } from '../types.ts';
import { ArrivalCursor } from '../common/rate/arrivals.ts';
import { rampRate } from '../common/rate/ramp.ts';
import { fastRng } from '../common/fast-rng.ts';
import { FlowWriter, flowOptions, vpcContext, type Eni, type VpcContext } from './model.ts';

export function numParam(req: IncidentRequest, name: string, dflt: number): number {
  const v = req.params?.[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${req.kind} param ${name}: expected a number, got ${JSON.stringify(v)}`);
  return v;
}

/** The interface an incident targets: the scenario's `eni` or `instance` entity, else the given default. */
export function targetEni(ctx: VpcContext, req: IncidentRequest, dflt: Eni): Eni {
  const { eni, instance } = req.entities;
  const found = ctx.enis.find((e) => (eni !== undefined && e.eniId === eni) || (instance !== undefined && e.instanceId === instance));
  if ((eni !== undefined || instance !== undefined) && !found) {
    throw new RangeError(`${req.kind}: no interface matches entities ${JSON.stringify(req.entities)}; known: ${ctx.enis.map((e) => `${e.eniId}/${e.instanceId}`).join(', ')}`);
  }
  return found ?? dflt;
}

/** One record of an incident: the interface it is logged on, and the line. */
export interface FlowOut {
  eni: Eni;
  line: string;
}

/**
 * Labelled flow events of an incident: arrivals ramp from 20% to the full rate over the first fifth of the
 * window, rate × intensity; `build` returns the interface and line for a start second. The flow-log format
 * and aggregation come from `params.format` / `params.aggregationSeconds`, as for the background.
 */
export function* vpcIncidentEvents(
  rng: Rng,
  pools: EntityPools,
  req: IncidentRequest,
  kind: IncidentKind,
  fullRatePerSec: number,
  build: (ctx: VpcContext, w: FlowWriter, r: Rng, start: number) => FlowOut,
): Generator<GeneratedEvent, void, undefined> {
  const ctx = vpcContext(pools);
  const w = new FlowWriter(ctx, flowOptions(req.params));
  const rate = fullRatePerSec * Math.max(0.05, req.intensity);
  const { start, end } = req.window;
  const cursor = new ArrivalCursor(fastRng(rng.fork('arrivals')), rampRate({ start, end: start + Math.max(1, (end - start) / 5), from: rate * 0.2, to: rate }), req.window);
  const r = fastRng(rng.fork('content'));
  const label = { incidentId: req.incidentId, kind };
  for (let t = cursor.next(); t >= 0; t = cursor.next()) {
    const s = Math.floor(t / 1000);
    const out = build(ctx, w, r, s);
    yield { time: s * 1000, source: 'vpcflow', dest: out.eni.dest, message: out.line, label };
  }
}
