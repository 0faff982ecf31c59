import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isVolumeDrill, listCatalog } from '../scenarios/index.ts';
import { evaluateDrill } from '../harness/evaluate/index.ts';
import { createMapper } from '../harness/observe/index.ts';
import type { DrillScorecard } from '../harness/evaluate/index.ts';
import { CATALOG_SEEDS, catalogScorings, detectCatalogDrill, scorecardDecisions, type CatalogDetection } from './support/catalog-scorecards.ts';

/**
 * Detection quality without AWS: every catalog drill on several seeds, generated, normalized with the
 * registered formats as the normalizer does, detected window by window and scored by the same evaluator
 * as `firedrill run` (remediation aside: there is no estate here). It needs no emulator; it sits in the e2e
 * project because it is a whole-catalog run. `npm run eval:detection` prints the same figures as a table.
 */
const cards: DrillScorecard[] = [];
const detections: CatalogDetection[] = [];

describe('detection over the catalog (in memory)', () => {
  // Production-volume drills run in `npm run drill:volume`, not in the suite.
  for (const entry of listCatalog().filter((c) => !isVolumeDrill(c))) {
    it(`${entry.id}: every incident detected in time, root causes right, no false positives (seeds ${CATALOG_SEEDS.join(', ')})`, async () => {
      for (const seed of CATALOG_SEEDS) {
        const d = await detectCatalogDrill(entry, seed);
        detections.push(d);
        const card = evaluateDrill({ ...d.input, findings: d.findings });
        cards.push(card);
        const where = `${entry.id} seed ${seed}`;
        expect(d.unparsed, `${where}: lines the formats could not parse`).toBe(0);
        expect(card.failures, `${where}:\n${card.failures.join('\n')}`).toEqual([]);
        expect(card.falsePositives, where).toBe(0);
      }
    }, 600_000);
  }

  it('meets the issue targets over all drills and seeds: recall 1, precision >= 0.95, median time to detect <= 60 s', () => {
    expect(cards.length).toBe(listCatalog().filter((c) => !isVolumeDrill(c)).length * CATALOG_SEEDS.length);
    const incidents = cards.flatMap((c) => c.incidents);
    const findings = cards.reduce((n, c) => n + c.findingsTotal, 0);
    const fps = cards.reduce((n, c) => n + c.falsePositives, 0);
    const ttd = incidents.map((i) => i.timeToDetectSeconds).filter((x): x is number => x !== null).sort((a, b) => a - b);
    expect(incidents.filter((i) => i.detected).length / incidents.length).toBe(1);
    expect((findings - fps) / findings).toBeGreaterThanOrEqual(0.95);
    expect(ttd[ttd.length >> 1]).toBeLessThanOrEqual(60);
  });

  it('scores the findings table through the firedrill preset exactly as the Finding-based evaluator did (own truth, and cross-scored against bad-day)', () => {
    // test/fixtures/catalog-scorecards.json was written by the evaluator before scoring moved to observations
    // (test/support/write-catalog-scorecards.ts): the builtin's findings, read as the findings tap reads the table,
    // must be scored the same, misses, false positives and root causes included.
    const recorded = JSON.parse(readFileSync(new URL('./fixtures/catalog-scorecards.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const tap = createMapper('dynamodb:findings', 'firedrill', {});
    const scorings = catalogScorings(detections);
    expect(scorings.map((s) => s.key).sort()).toEqual(Object.keys(recorded).sort());
    const fps = { own: 0, cross: 0 };
    for (const s of scorings) {
      const observations = s.findings.map((f) => tap({ id: `finding#${f.findingId}`, raw: { pk: `finding#${f.findingId}`, sk: 'finding', updatedAt: s.input.window.end, ...f } }, Date.now()));
      const card = evaluateDrill({ ...s.input, observations });
      expect(JSON.parse(JSON.stringify(scorecardDecisions(card))), s.key).toEqual(recorded[s.key]);
      fps[s.key.startsWith('own ') ? 'own' : 'cross'] += card.falsePositives;
    }
    // The cross-scorings are there to exercise misses and false positives: make sure they do.
    expect(fps).toMatchObject({ own: 0 });
    expect(fps.cross).toBeGreaterThan(100);
  });
});
