import type { BackgroundSpec, IncidentSpec, Scenario } from '../../scenarios/index.ts';
import type { IncidentTemplate } from './choose-incidents.ts';
import type { TickPlan } from './plan-tick.ts';

/** Ids and stream names follow the scenario's id rule (at most 63 characters), with the tick appended. */
const perTick = (base: string, tick: number, index = 0) => {
  const suffix = `-t${tick}${index > 0 ? `-${index}` : ''}`;
  return `${base.slice(0, 63 - suffix.length)}${suffix}`;
};

/**
 * Ramps and bursts are placed on the drill's timeline (`fault+2m`), which a load run does not have; base rate,
 * diurnal curve (UTC hours, so it follows the wall clock) and jitter carry over.
 */
function forTick(b: BackgroundSpec, tick: number): BackgroundSpec {
  const name = perTick(b.name ?? b.source, tick);
  if (b.rate === undefined || typeof b.rate === 'string') return { ...b, name };
  const { ramps: _ramps, bursts: _bursts, ...rate } = b.rate;
  return { ...b, name, rate };
}

/**
 * The scenario cut down to one tick: the slice is the whole drill (no warm-up), the chosen incidents run through
 * the whole slice, and no expectations (a load run scores nothing; the truth file says what was injected).
 * Compiled with the run's seed it yields that tick's events through the ordinary compiler and generators. The
 * compiler forks each stream's randomness by stream name, and every name here carries the tick, so each tick's
 * traffic is new yet depends only on (seed, tick); the entity pools (clients, users) fork from the seed alone, so
 * the same population keeps coming back tick after tick, as real users do.
 */
export function tickScenario(scenario: Scenario, plan: TickPlan, chosen: readonly IncidentTemplate[]): Scenario {
  const length = `${plan.end - plan.start}ms`;
  const incidents: IncidentSpec[] = chosen.map((t, i) => ({ ...t, id: perTick(t.id, plan.tick, i), at: '0ms', duration: length }));
  return {
    ...scenario,
    start: new Date(plan.start).toISOString(),
    duration: length,
    phases: { warmup: '0ms' },
    background: scenario.background.map((b) => forTick(b, plan.tick)),
    incidents,
    expect: { detect: [], rootCause: [], remediation: [], falsePositives: { max: 0 } },
  };
}
