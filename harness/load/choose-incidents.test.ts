import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import type { IncidentKind } from '../../core/vocabulary.ts';
import type { IncidentSpec } from '../../scenarios/index.ts';
import { chooseIncidents, incidentTemplates, type IncidentTemplate } from './choose-incidents.ts';

const REGISTERED: IncidentKind[] = ['waf-http-flood', 'vpc-port-scan', 's3-mass-delete'];
const flood: IncidentSpec = { id: 'flood', kind: 'waf-http-flood', at: 'fault+1m', duration: '4m', intensity: 0.5, params: { rate: 30 } };
const scan: IncidentSpec = { id: 'scan', kind: 'vpc-port-scan', at: 'fault+2m', duration: '3m', intensity: 1 };

describe('incidentTemplates', () => {
  it("uses the scenario's incidents, without their place on the timeline", () => {
    const t = incidentTemplates({ incidents: [flood, scan] }, { anomalies: 'random', incidents: [] }, REGISTERED);
    expect(t).toEqual([
      { id: 'flood', kind: 'waf-http-flood', intensity: 0.5, params: { rate: 30 } },
      { id: 'scan', kind: 'vpc-port-scan', intensity: 1 },
    ]);
  });

  it("a kind named on the command line takes the scenario's settings for it, or the generator's defaults", () => {
    const t = incidentTemplates({ incidents: [flood] }, { anomalies: 'enforce', incidents: ['s3-mass-delete', 'waf-http-flood'] }, REGISTERED);
    expect(t).toEqual([
      { id: 's3-mass-delete', kind: 's3-mass-delete', intensity: 1 },
      { id: 'flood', kind: 'waf-http-flood', intensity: 0.5, params: { rate: 30 } },
    ]);
  });

  it('random without incidents anywhere draws from the catalog; none has nothing to draw from', () => {
    expect(incidentTemplates({ incidents: [] }, { anomalies: 'random', incidents: [] }, REGISTERED).map((t) => t.kind)).toEqual(REGISTERED);
    expect(incidentTemplates({ incidents: [flood] }, { anomalies: 'none', incidents: [] }, REGISTERED)).toEqual([]);
  });
});

describe('chooseIncidents', () => {
  const templates: IncidentTemplate[] = REGISTERED.map((kind) => ({ id: kind, kind, intensity: 1 }));

  it('enforce injects every template every tick, none never injects', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        expect(chooseIncidents('enforce', templates, 0, createRng(seed))).toEqual(templates);
        expect(chooseIncidents('none', templates, 1, createRng(seed))).toEqual([]);
      }),
    );
  });

  it('random picks at most one, and the same one for the same seed', () => {
    fc.assert(
      fc.property(fc.string(), fc.double({ min: 0, max: 1, noNaN: true }), (seed, p) => {
        const a = chooseIncidents('random', templates, p, createRng(seed));
        expect(a.length).toBeLessThanOrEqual(1);
        expect(chooseIncidents('random', templates, p, createRng(seed))).toEqual(a);
        for (const t of a) expect(templates).toContain(t);
      }),
    );
  });

  it('random injects with the given probability and draws every template', () => {
    const picks = Array.from({ length: 4_000 }, (_, k) => chooseIncidents('random', templates, 0.25, createRng(`run/tick-${k}`)));
    const injected = picks.filter((p) => p.length > 0);
    expect(injected.length / picks.length).toBeGreaterThan(0.22);
    expect(injected.length / picks.length).toBeLessThan(0.28);
    expect(new Set(injected.map((p) => p[0]!.kind))).toEqual(new Set(REGISTERED));
    expect(Array.from({ length: 200 }, (_, k) => chooseIncidents('random', templates, 0, createRng(k))).flat()).toEqual([]);
    expect(Array.from({ length: 200 }, (_, k) => chooseIncidents('random', templates, 1, createRng(k))).every((p) => p.length === 1)).toBe(true);
    expect(chooseIncidents('random', [], 1, createRng(1))).toEqual([]);
  });
});
