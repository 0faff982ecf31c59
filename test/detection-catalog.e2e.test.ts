import { describe, expect, it } from 'vitest';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import { compile, listCatalog, loadScenario } from '../scenarios/index.ts';
import { evaluateDrill, toEvaluationInput } from '../harness/evaluate/index.ts';
import { detectOffline } from './support/detect-offline.ts';
import type { DrillScorecard } from '../harness/evaluate/index.ts';

/**
 * Detection quality without AWS: every catalog drill on several seeds, generated, normalized with the
 * registered formats as the normalizer does, detected window by window and scored by the same evaluator
 * as `firedrill run` (remediation aside: there is no estate here). It needs no emulator; it sits in the e2e
 * project because it is a whole-catalog run. `npm run eval:detection` prints the same figures as a table.
 */
const SEEDS = [1, 2, 3];
const topology = defaultTopology();
const estate = syntheticEstate(topology, 'detection-catalog');
const cards: DrillScorecard[] = [];

describe('detection over the catalog (in memory)', () => {
  for (const entry of listCatalog()) {
    it(`${entry.id}: every incident detected in time, root causes right, no false positives (seeds ${SEEDS.join(', ')})`, async () => {
      for (const seed of SEEDS) {
        const plan = compile(await loadScenario(entry.file), estate, { topology, seed });
        const { findings, unparsed } = detectOffline(plan, estate, topology);
        const input = toEvaluationInput(plan);
        const card = evaluateDrill({ ...input, incidents: input.incidents.map((i) => ({ ...i, expectedRemediation: [] })), findings });
        cards.push(card);
        const where = `${entry.id} seed ${seed}`;
        expect(unparsed, `${where}: lines the formats could not parse`).toBe(0);
        expect(card.failures, `${where}:\n${card.failures.join('\n')}`).toEqual([]);
        expect(card.falsePositives, where).toBe(0);
      }
    }, 600_000);
  }

  it('meets the issue targets over all drills and seeds: recall 1, precision >= 0.95, median time to detect <= 60 s', () => {
    expect(cards.length).toBe(listCatalog().length * SEEDS.length);
    const incidents = cards.flatMap((c) => c.incidents);
    const findings = cards.reduce((n, c) => n + c.findingsTotal, 0);
    const fps = cards.reduce((n, c) => n + c.falsePositives, 0);
    const ttd = incidents.map((i) => i.timeToDetectSeconds).filter((x): x is number => x !== null).sort((a, b) => a - b);
    expect(incidents.filter((i) => i.detected).length / incidents.length).toBe(1);
    expect((findings - fps) / findings).toBeGreaterThanOrEqual(0.95);
    expect(ttd[ttd.length >> 1]).toBeLessThanOrEqual(60);
  });
});
