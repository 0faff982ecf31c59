import { ConfigError } from '../../core/index.ts';
import { startEmulator, type EmulatorHandle } from '../../emulator/index.ts';
import type { DrillScorecard } from '../evaluate/types.ts';
import { runDrill, type DrillProgress, type DrillTarget } from './run-drill.ts';

export interface RunDrillsOptions {
  target: DrillTarget;
  seed?: string | number;
  onProgress?: (p: DrillProgress) => void;
  /** An endpoint already running (tests: vitest's shared emulator). */
  endpoint?: string;
  /** See RunDrillOptions.stage. */
  stage?: 'detect' | 'full';
}

/**
 * Several drills on one emulator: started once (or taken from FIREDRILL_ENDPOINT / AWS_ENDPOINT_URL by
 * startEmulator's first strategy), reset between drills by runDrill, always stopped at the end.
 */
export async function runDrills(files: string[], opts: RunDrillsOptions): Promise<DrillScorecard[]> {
  if (files.length === 0) throw new ConfigError('no drill to run', { expected: 'one or more scenario files, or --all', seen: 'none', fix: 'firedrill run scenarios/bad-day.yaml (firedrill list shows the catalog)' });
  let emulator: EmulatorHandle | undefined;
  let endpoint = opts.endpoint;
  if (!endpoint && opts.target !== 'aws') {
    emulator = await startEmulator(opts.target === 'localstack' ? { strategies: ['endpoint', 'container'] } : {});
    endpoint = emulator.endpoint;
  }
  try {
    const cards: DrillScorecard[] = [];
    for (const file of files) {
      const { card } = await runDrill(file, { target: opts.target, ...(opts.stage ? { stage: opts.stage } : {}), ...(endpoint ? { endpoint } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
      cards.push(card);
    }
    return cards;
  } finally {
    await emulator?.stop();
  }
}
