import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FiredrillError } from '../../core/errors.ts';
import { defaultTopology, syntheticEstate } from '../../core/topology/index.ts';
import { loadScenario } from '../../scenarios/index.ts';
import { incidentTemplates } from './choose-incidents.ts';
import { preflightTick, type PreflightOptions } from './preflight-tick.ts';

const file = resolve('scenarios/bad-day.yaml');
const topology = defaultTopology();
const estate = syntheticEstate(topology);
const NOW = Date.parse('2026-11-21T12:00:00Z');

async function options(sliceMs: number, strict: boolean): Promise<PreflightOptions> {
  const scenario = await loadScenario(file);
  const templates = incidentTemplates(scenario, { anomalies: 'random', incidents: [] }, []);
  return { scenario, file, topology, estate, sliceMs, seed: 'pre', templates, strict, now: NOW };
}

describe('preflightTick', () => {
  it("leaves out the scenario's incidents that cannot fit a short slice and says why", async () => {
    const r = preflightTick(await options(5_000, false));
    expect(r.dropped.map((d) => d.kind)).toContain('rds-app-ecs-cascade');
    expect(r.dropped.find((d) => d.kind === 'rds-app-ecs-cascade')!.reason).toMatch(/too short/);
    expect(r.templates.map((t) => t.kind)).not.toContain('rds-app-ecs-cascade');
    expect(r.templates.length).toBeGreaterThan(0);
  });

  it('refuses a kind named on the command line that cannot fit, with the fix', async () => {
    const opts = await options(5_000, true);
    expect(() => preflightTick(opts)).toThrow(FiredrillError);
    expect(() => preflightTick(opts)).toThrow(/--slice/);
  });

  it('keeps every incident of bad-day in 3-minute slices', async () => {
    const opts = await options(180_000, true);
    expect(preflightTick(opts).templates).toEqual(opts.templates);
  });
});
