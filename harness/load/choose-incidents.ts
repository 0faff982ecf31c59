import type { Rng } from '../../core/index.ts';
import type { IncidentKind } from '../../core/index.ts';
import type { IncidentSpec, Scenario } from '../../scenarios/index.ts';
import type { LoadSettings } from './load-settings.ts';

/** An incident as the scenario (or the catalog) describes it, without its place on the drill's timeline. */
export type IncidentTemplate = Omit<IncidentSpec, 'at' | 'duration'>;

/** A kind with nothing chosen: the generator's defaults, entities drawn from the pools. */
const bare = (kind: IncidentKind): IncidentTemplate => ({ id: kind, kind, intensity: 1 });

/**
 * The incidents a run may inject. The scenario's own incidents come first, with their params, entities and
 * intensity: a kind named on the command line uses the scenario's incident of that kind when it has one.
 * `random` with neither falls back to every kind the generator registry knows (the catalog's kinds).
 */
export function incidentTemplates(scenario: Pick<Scenario, 'incidents'>, settings: Pick<LoadSettings, 'anomalies' | 'incidents'>, registered: readonly IncidentKind[]): IncidentTemplate[] {
  if (settings.anomalies === 'none') return [];
  const own = scenario.incidents.map(({ at: _at, duration: _duration, ...rest }) => rest);
  if (settings.incidents.length > 0) return settings.incidents.map((kind) => own.find((t) => t.kind === kind) ?? bare(kind));
  return own.length > 0 ? own : registered.map(bare);
}

/**
 * What one tick injects: enforce → every template; none → nothing; random → with `probability`, one template
 * drawn uniformly. Draws only from `rng`, which is forked from the tick's seed, so it is reproducible.
 */
export function chooseIncidents(mode: LoadSettings['anomalies'], templates: readonly IncidentTemplate[], probability: number, rng: Rng): IncidentTemplate[] {
  switch (mode) {
    case 'none':
      return [];
    case 'enforce':
      return [...templates];
    case 'random':
      return templates.length > 0 && rng.chance(probability) ? [rng.pick(templates)] : [];
  }
}
