import { FiredrillError, errorMessage } from '../../core/index.ts';
import type { EstateIds, Topology } from '../../core/topology/index.ts';
import type { IncidentKind } from '../../core/index.ts';
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
  /** Kinds named on the command line: one that cannot fit is an error, not left out. */
  strict: boolean;
  now: number;
}

export interface PreflightResult {
  /** The templates that fit a slice. */
  templates: IncidentTemplate[];
  /** Templates left out (only when not strict), with the generator's reason. */
  dropped: { kind: IncidentKind; reason: string }[];
}

const FIX = 'give a longer --slice (and a schedule to match), or name the kinds to inject with --incident';

/** Generates one slice of `scenario` and throws away the events: generator errors surface here. */
function generateOnce(opts: PreflightOptions, scenario: Scenario, templates: readonly IncidentTemplate[]): void {
  const plan = planTick(0, opts.now, opts.sliceMs, opts.seed);
  const compiled = compile(tickScenario(scenario, plan, templates), opts.estate, { topology: opts.topology, file: opts.file, seed: opts.seed });
  for (const _e of compiled.events());
}

/**
 * Generates (and discards) one slice of the background and one of each incident the run may inject, before the
 * schedule starts: an incident that cannot fit a slice (a cascade whose lags are longer than it) then fails at
 * once with the fix, not at some random tick hours later. Kinds the person named are an error; kinds taken from
 * the scenario or the catalog are left out and reported. Nothing is sent.
 */
export function preflightTick(opts: PreflightOptions): PreflightResult {
  const slice = `${opts.sliceMs / 1000}s`;
  try {
    generateOnce(opts, opts.scenario, []);
  } catch (err) {
    if (!(err instanceof FiredrillError)) throw err;
    throw new FiredrillError(`the background of ${opts.scenario.id} cannot be generated in slices of ${slice}:\n${err.message}`, { fix: 'give a longer --slice (and a schedule to match)', cause: err });
  }
  const incidentsOnly = { ...opts.scenario, background: [] };
  const result: PreflightResult = { templates: [], dropped: [] };
  for (const t of opts.templates) {
    try {
      generateOnce(opts, incidentsOnly, [t]);
      result.templates.push(t);
    } catch (err) {
      if (!(err instanceof FiredrillError)) throw err;
      if (opts.strict) throw new FiredrillError(`${t.kind} cannot be injected in slices of ${slice}:\n${err.message}`, { fix: FIX, cause: err });
      result.dropped.push({ kind: t.kind, reason: errorMessage(err).split('\n')[0]! });
    }
  }
  if (opts.templates.length > 0 && result.templates.length === 0) {
    throw new FiredrillError(`no incident of ${opts.scenario.id} can be injected in slices of ${slice}`, { seen: result.dropped.map((d) => `${d.kind}: ${d.reason}`).join('; '), fix: FIX });
  }
  return result;
}
