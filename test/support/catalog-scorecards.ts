import { defaultTopology, syntheticEstate } from '../../core/topology/index.ts';
import { compile, isVolumeDrill, listCatalog, loadScenario } from '../../scenarios/index.ts';
import type { DrillScorecard, EvaluationInput, ExpectedIncident } from '../../harness/evaluate/index.ts';
import { toEvaluationInput } from '../../harness/evaluate/index.ts';
import type { Finding } from '../../core/finding.ts';
import { detectOffline } from './detect-offline.ts';

/** Seeds the catalog's scorecards are recorded for (the detection-catalog test runs the same ones). */
export const CATALOG_SEEDS = [1, 2, 3] as const;
/** A fixed "now" so every drill's window (and so every finding id) is the same on every run. */
export const CATALOG_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

/** One catalog drill on one seed, detected in memory: the evaluator's input (remediation aside) and the findings. */
export interface CatalogDetection {
  drill: string;
  seed: number;
  input: EvaluationInput;
  findings: Finding[];
  unparsed: number;
}

const topology = defaultTopology();
const estate = syntheticEstate(topology, 'detection-catalog');

/** One catalog drill on one seed, detected in memory as test/support/detect-offline.ts does (remediation aside). */
export async function detectCatalogDrill(entry: { id: string; file: string }, seed: number): Promise<CatalogDetection> {
  const plan = compile(await loadScenario(entry.file, { now: CATALOG_NOW }), estate, { topology, seed, now: CATALOG_NOW });
  const { findings, unparsed } = detectOffline(plan, estate, topology);
  const planned = toEvaluationInput(plan);
  return { drill: entry.id, seed, input: { ...planned, incidents: planned.incidents.map((i) => ({ ...i, expectedRemediation: [] })) }, findings, unparsed };
}

/** Every catalog drill on every seed. */
export async function catalogDetections(seeds: readonly number[] = CATALOG_SEEDS): Promise<CatalogDetection[]> {
  const out: CatalogDetection[] = [];
  // Production-volume drills are benchmarks (npm run drill:volume), not part of the recorded catalog.
  for (const entry of listCatalog().filter((c) => !isVolumeDrill(c))) for (const seed of seeds) out.push(await detectCatalogDrill(entry, seed));
  return out;
}

/** `inc` moved in event time so that `from`'s window start lands on `to`'s. */
function shifted(incidents: readonly ExpectedIncident[], from: number, to: number): ExpectedIncident[] {
  return incidents.map((i) => ({ ...i, window: { start: i.window.start - from + to, end: i.window.end - from + to } }));
}

/**
 * The scorings recorded for the catalog: each drill's findings against its own truth (all pass), and — so that
 * misses, false positives and explained-but-not-detecting findings are exercised on real findings — each drill's
 * findings against the bad-day drill's truth and the bad-day findings against each drill's truth (windows
 * aligned, same seed, same synthetic estate).
 */
export function catalogScorings(detections: readonly CatalogDetection[]): { key: string; input: EvaluationInput; findings: Finding[] }[] {
  const out: { key: string; input: EvaluationInput; findings: Finding[] }[] = [];
  for (const d of detections) {
    out.push({ key: `own ${d.drill}#${d.seed}`, input: d.input, findings: d.findings });
    const bad = detections.find((x) => x.drill === 'bad-day' && x.seed === d.seed);
    if (!bad || d.drill === 'bad-day') continue;
    out.push({ key: `${d.drill} findings vs bad-day truth#${d.seed}`, input: { ...bad.input, window: d.input.window, incidents: shifted(bad.input.incidents, bad.input.window.start, d.input.window.start) }, findings: d.findings });
    out.push({ key: `bad-day findings vs ${d.drill} truth#${d.seed}`, input: { ...d.input, window: bad.input.window, incidents: shifted(d.input.incidents, d.input.window.start, bad.input.window.start) }, findings: bad.findings });
  }
  return out;
}

/** What a scorecard decided, without the bulk (findings, timeline): compared exactly against the recorded one. */
export function scorecardDecisions(card: DrillScorecard): Record<string, unknown> {
  return {
    scenarioId: card.scenarioId,
    passed: card.passed,
    falsePositives: card.falsePositives,
    falsePositiveFindings: card.falsePositiveFindings.map((f) => f.findingId),
    findingsTotal: card.findingsTotal,
    precision: card.precision,
    recall: card.recall,
    f1: card.f1,
    failures: card.failures,
    incidents: card.incidents.map((i) => ({
      id: i.id,
      detected: i.detected,
      timeToDetectSeconds: i.timeToDetectSeconds,
      detectedInTime: i.detectedInTime,
      matchingFindingIds: i.matchingFindingIds,
      matchingKinds: i.matchingKinds,
      rootCauseExpected: i.rootCauseExpected,
      rootCauseObserved: i.rootCauseObserved,
      rootCauseCorrect: i.rootCauseCorrect,
      passed: i.passed,
      failures: i.failures,
    })),
  };
}
