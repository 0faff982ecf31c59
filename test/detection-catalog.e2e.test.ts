import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.ts';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import { formats } from '../formats/registry.ts';
import type { LineOrigin, NormalizedRecord } from '../formats/types.ts';
import { createDetectorState, detectWindow } from '../pipeline/detect/index.ts';
import { compile, evaluateDrill, listCatalog, loadScenario, toEvaluationInput } from '../scenarios/index.ts';
import type { DrillScorecard } from '../scenarios/evaluate/index.ts';

/**
 * Detection quality without AWS: every catalog drill, on several seeds, generated (background + incidents),
 * normalized with the registered formats exactly as the normalizer does per line, run through detectWindow
 * window by window, and scored by the scenarios' evaluator against the truth kept aside. Remediation is not
 * part of this (no estate), so only detection, timing, root cause and false positives are asserted.
 * It needs no emulator; it lives in the e2e project because it is a whole-catalog run.
 */
const SEEDS = [1, 2, 3];
const W = 60_000;
const topology = defaultTopology();
const estate = syntheticEstate(topology, 'detection-catalog');

async function drill(file: string, seed: number): Promise<DrillScorecard> {
  const plan = compile(await loadScenario(file), estate, { topology, seed });
  const records: NormalizedRecord[] = [];
  let n = 0;
  for (const e of plan.events()) {
    const fmt = formats[e.source];
    if (!fmt) continue;
    const origin = (e.dest.kind === 'cwl' ? { logGroup: e.dest.logGroup, logStream: e.dest.logStream } : e.dest.kind === 'firehose' ? { deliveryStream: e.dest.deliveryStream } : { key: e.dest.prefix }) as LineOrigin;
    const x = fmt.normalize(fmt.parse(e.message, origin), origin);
    records.push({ id: `r${n++}`, source: e.source, time: x.time, ...(origin.logGroup ? { logGroup: origin.logGroup, logStream: origin.logStream } : {}), entities: x.entities, fields: x.fields, message: e.message });
  }
  records.sort((a, b) => a.time - b.time);
  let state = createDetectorState();
  const latest = new Map<string, Finding>();
  let i = 0;
  // Two windows past the end so episode tails and late links are finalized, as the ticker would.
  for (let s = Math.floor(plan.window.start / W) * W; s < plan.window.end + 2 * W; s += W) {
    const win: NormalizedRecord[] = [];
    while (i < records.length && records[i]!.time < s + W) win.push(records[i++]!);
    const r = detectWindow(state, win, { start: s, end: s + W }, topology);
    state = r.state;
    for (const f of r.findings) latest.set(f.findingId, f);
  }
  return evaluateDrill({ ...toEvaluationInput(plan), findings: [...latest.values()] });
}

const cards: DrillScorecard[] = [];

describe('detection over the catalog (in memory)', () => {
  for (const entry of listCatalog()) {
    it(`${entry.id}: every incident detected in time, root causes right, no false positives (seeds ${SEEDS.join(', ')})`, async () => {
      for (const seed of SEEDS) {
        const card = await drill(entry.file, seed);
        cards.push(card);
        const where = `${entry.id} seed ${seed}`;
        for (const inc of card.incidents) {
          expect(inc.detected, `${where}: ${inc.id} ${inc.failures.join('; ')}`).toBe(true);
          expect(inc.detectedInTime, `${where}: ${inc.id} detected after ${inc.timeToDetectSeconds} s`).toBe(true);
          if (inc.rootCauseCorrect !== undefined) expect(inc.rootCauseCorrect, `${where}: ${inc.id} root cause ${JSON.stringify(inc.rootCauseObserved)}`).toBe(true);
        }
        expect(card.falsePositiveFindings.map((f) => `${where}: ${f.kind} ${f.summary}`)).toEqual([]);
      }
    }, 600_000); // bad-day is ~90k events per seed
  }

  it('meets the issue targets over all drills and seeds: recall 1, precision >= 0.95, median time to detect <= 60 s', () => {
    expect(cards.length).toBe(listCatalog().length * SEEDS.length);
    const incidents = cards.flatMap((c) => c.incidents);
    const recall = incidents.filter((r) => r.detected).length / incidents.length;
    const tp = cards.reduce((a, c) => a + c.findingsTotal - c.falsePositives, 0);
    const all = cards.reduce((a, c) => a + c.findingsTotal, 0);
    const ttd = incidents.map((r) => r.timeToDetectSeconds ?? Infinity).sort((a, b) => a - b);
    expect(recall).toBe(1);
    expect(tp / all).toBeGreaterThanOrEqual(0.95);
    expect(ttd[ttd.length >> 1]).toBeLessThanOrEqual(60);
  });
});
