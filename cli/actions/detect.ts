import { resolve } from 'node:path';
import { resolveScenarioArg } from '../../scenarios/index.ts';
import { renderScorecard } from '../../harness/reports/index.ts';
import { runDrills } from '../../harness/drill/index.ts';
import type { DrillProgress } from '../../harness/drill/index.ts';
import type { DrillScorecard } from '../../harness/evaluate/index.ts';
import { exitCodeOf } from './run.ts';

export interface DetectCommandOptions {
  scenario: string;
  endpoint?: string;
  seed?: string;
  json?: boolean;
  /** The system under test: a SUT file, or `builtin`. */
  sut?: string;
  reportDir?: string;
}

/** The detection part of a scorecard, in the shape `firedrill detect --json` promises. */
export function detectionSummary(card: DrillScorecard) {
  return {
    scenario: card.scenarioId,
    seed: card.seed,
    passed: card.passed,
    incidents: card.incidents.map((i) => ({
      id: i.id,
      kind: i.kind,
      detected: i.detected,
      detectedInTime: i.detectedInTime,
      timeToDetectSeconds: i.timeToDetectSeconds,
      ...(i.rootCauseCorrect !== undefined ? { rootCauseCorrect: i.rootCauseCorrect, rootCause: i.rootCauseObserved ?? null } : {}),
      findings: i.matchingFindingIds,
      failures: i.failures,
    })),
    falsePositives: card.falsePositives,
    falsePositiveBudget: card.falsePositiveBudget,
    falsePositiveFindings: card.falsePositiveFindings,
    precision: card.precision,
    recall: card.recall,
    f1: card.f1,
    ledger: card.ledger,
    failures: card.failures,
  };
}

/**
 * Ingest + detection on the emulator, no remediation: the detection scorecard of one drill. Exit code 1 when
 * a detection expectation (or the false-positive budget, or the ledger) fails.
 */
export async function detectCommand(opts: DetectCommandOptions): Promise<number> {
  const progress = (p: DrillProgress) => process.stderr.write(`[${p.drill} ${(p.elapsedMs / 1000).toFixed(1).padStart(5)}s] ${p.phase}: ${p.detail}\n`);
  const [card] = await runDrills([resolveScenarioArg(opts.scenario)], {
    target: 'moto',
    stage: 'detect',
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.sut ? { sut: opts.sut === 'builtin' ? 'builtin' : resolve(opts.sut) } : {}),
    ...(opts.reportDir ? { reportDir: opts.reportDir } : {}),
    onProgress: progress,
  });
  if (opts.json) process.stdout.write(`${JSON.stringify(card!.error ? { scenario: card!.scenarioId, passed: false, error: card!.error } : detectionSummary(card!), null, 2)}\n`);
  else process.stdout.write(`${renderScorecard(card!)}\n`);
  return exitCodeOf([card!]);
}
