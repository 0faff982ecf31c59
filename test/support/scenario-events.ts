import { formats } from '../../formats/registry.ts';
import { backgroundGenerators } from '../../generators/registry.ts';
import type { EstateIds, Topology } from '../../core/topology/types.ts';
import type { WireEvent } from '../../harness/deliver/types.ts';
import { compile, loadScenario } from '../../scenarios/index.ts';

/**
 * A catalog scenario's events as the sinks get them (labels stripped), limited to the sources that have both
 * a generator and a format registered — the registries fill up while the project grows.
 */
export async function scenarioEvents(file: string, topology: Topology, estate: EstateIds, opts: { seed?: number; limit?: number } = {}): Promise<WireEvent[]> {
  const scenario = await loadScenario(file);
  const usable = scenario.background.filter((b) => b.source in backgroundGenerators && b.source in formats);
  const plan = compile({ ...scenario, background: usable, incidents: [] }, estate, { topology, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  const out: WireEvent[] = [];
  for (const e of plan.events()) {
    out.push({ time: e.time, source: e.source, dest: e.dest, message: e.message });
    if (opts.limit !== undefined && out.length >= opts.limit) break;
  }
  return out;
}

/** `source\nmessage` per event, sorted: two runs delivered the same events exactly when these are equal. */
export function eventMultiset(events: { source: string; message: string }[]): string[] {
  return events.map((e) => `${e.source}\n${e.message}`).sort();
}
