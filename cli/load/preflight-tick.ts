import { FiredrillError } from '../../core/errors.ts';
import type { EstateIds, Topology } from '../../core/topology/types.ts';
import { compile, type Scenario } from '../../scenarios/index.ts';
import type { IncidentTemplate } from './choose-incidents.ts';
import { planTick } from './plan-tick.ts';
import { tickScenario } from './tick-scenario.ts';

export interface PreflightOptions {
  scenario: Scenario;
  file: string;
  topology: Topology;
  estate: EstateIds;
  sliceMs: number;
  seed: string;
  templates: readonly IncidentTemplate[];
  now: number;
}

/**
 * Generates (and discards) one slice with every incident the run may inject, before the schedule starts: an
 * incident that cannot fit a slice (a cascade whose lags are longer than it) then fails at once with the fix, not
 * at some random tick hours later. Nothing is sent; returns the number of events a full tick would make.
 */
export function preflightTick(opts: PreflightOptions): number {
  const plan = planTick(0, opts.now, opts.sliceMs, opts.seed);
  const kinds = opts.templates.map((t) => t.kind).join(', ');
  try {
    const compiled = compile(tickScenario(opts.scenario, plan, opts.templates), opts.estate, { topology: opts.topology, file: opts.file, seed: opts.seed });
    let n = 0;
    for (const _e of compiled.events()) n++;
    return n;
  } catch (err) {
    if (!(err instanceof FiredrillError)) throw err;
    throw new FiredrillError(`${opts.scenario.id} cannot be generated in slices of ${opts.sliceMs / 1000}s${kinds ? ` with ${kinds}` : ''}:\n${err.message}`, {
      fix: 'give a longer --slice (and a schedule to match), or leave that incident out with --incident <other kinds>',
      cause: err,
    });
  }
}
