import { basename } from 'node:path';
import { ConfigError, FormatError, errorMessage } from '../../core/index.ts';
import { assertEndpointAnswers, localStackStrategies, startEmulator, type EmulatorHandle } from '../../emulator/index.ts';
import type { DrillScorecard } from '../evaluate/types.ts';
import type { DrillEvent } from './drill-events.ts';
import { runDrill, type DrillProgress, type DrillTarget } from './run-drill.ts';

export interface RunDrillsOptions {
  target: DrillTarget;
  seed?: string | number;
  onProgress?: (p: DrillProgress) => void;
  /** See RunDrillOptions.onEvent; a drill that crashes ends with a scorecard event carrying its error. */
  onEvent?: (e: DrillEvent) => void;
  /** An endpoint already running (tests: vitest's shared emulator). */
  endpoint?: string;
  /** See RunDrillOptions.stage. */
  stage?: 'detect' | 'full';
  /** The system under test of every drill: a SUT file, or `builtin` (default). */
  sut?: string;
  /** Each drill's truth.json, findings.jsonl and run.json go to `<reportDir>/<scenario id>/`. */
  reportDir?: string;
}

/**
 * Several drills on one emulator: started once (or taken from FIREDRILL_ENDPOINT / AWS_ENDPOINT_URL by
 * startEmulator's first strategy), reset between drills by runDrill, always stopped at the end.
 */
export async function runDrills(files: string[], opts: RunDrillsOptions): Promise<DrillScorecard[]> {
  if (files.length === 0) throw new ConfigError('no drill to run', { expected: 'one or more scenario files, or --all', seen: 'none', fix: 'firedrill run scenarios/bad-day.yaml (firedrill list shows the catalog)' });
  let emulator: EmulatorHandle | undefined;
  let endpoint = opts.endpoint;
  // Checked once, before any drill: a dead endpoint is an environment error of the whole run, not of each drill.
  if (endpoint) await assertEndpointAnswers(endpoint);
  if (!endpoint && opts.target !== 'aws') {
    emulator = await startEmulator(opts.target === 'localstack' ? { strategies: localStackStrategies(), container: 'localstack' } : {});
    endpoint = emulator.endpoint;
  }
  try {
    const cards: DrillScorecard[] = [];
    for (const file of files) {
      try {
        const { card } = await runDrill(file, {
          target: opts.target,
          ...(opts.stage ? { stage: opts.stage } : {}),
          ...(endpoint ? { endpoint } : {}),
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
          ...(opts.sut ? { sut: opts.sut } : {}),
          ...(opts.reportDir ? { reportDir: opts.reportDir } : {}),
          // Only an emulator started here is throwaway: one reached by --endpoint / FIREDRILL_ENDPOINT is someone's.
          pruneConsumed: emulator !== undefined && emulator.kind !== 'endpoint',
        });
        cards.push(card);
      } catch (err) {
        // One drill that crashes must not cost the others their run, nor the reports their record of it.
        const errored = erroredScorecard(file, err);
        cards.push(errored);
        opts.onEvent?.({ type: 'scorecard', drill: errored.scenarioId, passed: false, precision: null, recall: null, falsePositives: 0, findingsTotal: 0, error: errored.failures[0] ?? 'error' });
        opts.onProgress?.({ drill: basename(file).replace(/\.ya?ml$/, ''), phase: 'done', detail: `error: ${errorMessage(err).split('\n')[0]}`, elapsedMs: 0 });
      }
    }
    return cards;
  } finally {
    await emulator?.stop();
  }
}

/** The scorecard of a drill that could not be judged: no incidents, not passed, and the error that stopped it. */
export function erroredScorecard(file: string, err: unknown): DrillScorecard {
  const id = basename(file).replace(/\.ya?ml$/, '');
  const message = errorMessage(err);
  return {
    scenarioId: id,
    title: `${id} (did not run to the end)`,
    seed: '',
    window: { start: 0, end: 0 },
    passed: false,
    incidents: [],
    falsePositives: 0,
    falsePositiveBudget: 0,
    falsePositiveFindings: [],
    findingsTotal: 0,
    precision: 0,
    recall: 0,
    f1: 0,
    unlabelled: false,
    findings: [],
    failures: [`error: ${message.split('\n')[0]}`],
    unsupported: [],
    error: { message, type: err instanceof Error ? err.name : typeof err, usage: err instanceof ConfigError || err instanceof FormatError },
  };
}
