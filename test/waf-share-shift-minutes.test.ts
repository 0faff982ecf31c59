import { describe, expect, it } from 'vitest';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import { compile, listCatalog, loadScenario } from '../scenarios/index.ts';
import { detectOffline } from './support/detect-offline.ts';

/**
 * seeds/003's claim, minute by minute: with the drill's clock aligned to the detector's one-minute windows, every
 * minute of an anomaly mode (BLOCK, front door "-", unknown countries, DELETE at ~85% of the requests) is flagged,
 * and no normal minute after the warm-up is. The e2e catalog loop runs the same drill through the pipeline.
 */
const topology = defaultTopology();
const estate = syntheticEstate(topology, 'share-shift-minutes');
const entry = listCatalog().find((c) => c.id === 'waf-share-shift')!;

describe('waf-share-shift minute by minute', () => {
  for (const seed of [1, 2]) {
    it(`flags every anomaly-mode minute and no normal one (seed ${seed})`, async () => {
      const scenario = await loadScenario(entry.file);
      // now − duration − 5m is the drill start: a whole minute, so incident minutes are detector windows.
      const plan = compile(scenario, estate, { topology, seed, now: Date.UTC(2026, 10, 21, 12, 0, 0) });
      expect(plan.window.start % 60_000).toBe(0);
      const det = detectOffline(plan, estate, topology);
      const flagged = new Set(det.flagged.map((w) => w.start));
      const warmupEnd = plan.window.start + 6 * 60_000;
      const modeMinutes: number[] = [];
      const normalMinutes: number[] = [];
      for (let t = warmupEnd; t < plan.window.end; t += 60_000) {
        const inMode = plan.incidents.some((inc) => inc.window.start < t + 60_000 && inc.window.end > t);
        (inMode ? modeMinutes : normalMinutes).push(t);
      }
      expect(modeMinutes).toHaveLength(4);
      const minute = (t: number) => (t - plan.window.start) / 60_000;
      expect(modeMinutes.filter((t) => !flagged.has(t)).map(minute), 'anomaly-mode minutes not flagged').toEqual([]);
      expect(normalMinutes.filter((t) => flagged.has(t)).map(minute), 'normal minutes flagged').toEqual([]);
      expect(det.flagged.flatMap((w) => w.kinds).every((k) => k === 'share-shift' || k === 'waf-geo-anomaly')).toBe(true);
    }, 120_000);
  }
});
