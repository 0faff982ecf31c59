import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../../core/index.ts';
import type { LedgerSummary, RemediationObservation, Timeline } from '../evaluate/index.ts';

/**
 * `run.json`: what a run observed besides the findings — remediation read back from the estate, the delivery
 * ledger, the events timeline, the wall time — so that `firedrill score` rebuilds the run's scorecard exactly.
 * Without it, score judges detection only (remediation expectations are left out, and said so).
 */
export interface RunRecord {
  remediation?: RemediationObservation[];
  ledger?: LedgerSummary;
  timeline?: Timeline;
  wallSeconds?: number;
}

export const RUN_FORMAT = 'firedrill-run';

export async function writeRunRecord(path: string, run: RunRecord): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify({ format: RUN_FORMAT, version: 1, ...run }, null, 2)}\n`);
}

export async function readRunRecord(path: string): Promise<RunRecord> {
  let data: { format?: unknown; version?: unknown } & RunRecord;
  try {
    data = JSON.parse(await readFile(path, 'utf8')) as typeof data;
  } catch (err) {
    throw new ConfigError(`cannot read ${path}`, { expected: 'the run.json a firedrill run writes', seen: (err as Error).message });
  }
  if (data.format !== RUN_FORMAT || data.version !== 1) throw new ConfigError(`${path}: not a firedrill run record`, { expected: `{ "format": "${RUN_FORMAT}", "version": 1, … }`, seen: `format ${JSON.stringify(data.format)}, version ${JSON.stringify(data.version)}` });
  const { format: _f, version: _v, ...run } = data;
  return run;
}
