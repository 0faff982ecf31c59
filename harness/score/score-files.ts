import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createAwsClients } from '../../core/aws/index.ts';
import { ConfigError } from '../../core/index.ts';
import { EndpointUnreachableError } from '../../core/aws/index.ts';
import { probeEndpoint } from '../../emulator/index.ts';
import { evaluateDrill, type DrillScorecard } from '../evaluate/index.ts';
import { openTaps, type Observation } from '../observe/index.ts';
import { loadSutFile, prepareSutTaps } from '../sut/index.ts';
import { readObservations } from './findings-file.ts';
import { loadTruthToDrill, parseLoadTruth } from './load-truth.ts';
import { readRunRecord, type RunRecord } from './run-record.ts';
import { parseTruthJson, type DrillTruth } from './truth-file.ts';

export interface ScoreOptions {
  /** A drill's truth.json, or a load run's truth file (JSON lines). */
  truth: string;
  /** findings.jsonl, or a SUT file whose taps are read now at `endpoint` (or AWS). */
  findings: string;
  /** The emulator for a SUT file's taps; none: the real AWS endpoints. */
  endpoint?: string;
  region?: string;
  /** run.json (remediation, ledger, timeline); default: the one beside the truth file, when there is one. */
  run?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ScoreResult {
  card: DrillScorecard;
  /** What was read: the truth's kind, where the findings came from, and notes a person should see. */
  truthKind: 'drill' | 'load';
  observations: number;
  notes: string[];
}

/** A drill's truth.json or a load run's JSON lines, told apart by their content. */
export async function readAnyTruth(file: string): Promise<{ kind: 'drill' | 'load'; truth: DrillTruth }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the truth file ${file}`, { expected: 'truth.json of a run, or the truth file of `firedrill load`', seen: (err as Error).message });
  }
  // A drill's truth.json is one JSON object; a load truth file is one tick object per line.
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = undefined;
  }
  if (whole && typeof whole === 'object' && !('tick' in whole)) return { kind: 'drill', truth: parseTruthJson(text, file) };
  return { kind: 'load', truth: loadTruthToDrill(parseLoadTruth(text, file), file) };
}

/** The findings a SUT's taps hold now (everything, not only what is new), read once and closed. */
async function readSutTaps(sutFile: string, truth: DrillTruth, opts: ScoreOptions, notes: string[]): Promise<{ observations: Observation[]; matching: { skewMs: number; graceMs: number } }> {
  const sut = await loadSutFile(sutFile);
  if (opts.endpoint) {
    await probeEndpoint(opts.endpoint).catch((err: unknown) => {
      throw new EndpointUnreachableError(`the endpoint ${opts.endpoint} does not answer`, { expected: 'the emulator the run used, still running', seen: (err as Error).message, fix: 'start it again (`npx firedrill up`), or pass the right --endpoint', cause: err });
    });
  }
  const clients = createAwsClients({ ...(opts.endpoint ? { endpoint: opts.endpoint } : {}), ...(opts.region ?? truth.region ? { region: opts.region ?? truth.region } : {}) });
  try {
    const prepared = await prepareSutTaps({ sut, clients, prefix: truth.prefix ?? 'firedrill', env: opts.env ?? process.env });
    const returns = prepared.findings.filter((t) => t.source.type === 'returns');
    if (returns.length) notes.push(`handler return values are seen only during a run: ${returns.map((t) => t.name).join(', ')} read from the run's findings.jsonl instead`);
    const warn = (m: string) => notes.push(m);
    const taps = await openTaps(prepared.findings.filter((t) => t.source.type !== 'returns'), { clients, account: prepared.account, from: 'all', warn });
    try {
      const observations = await taps.poll();
      notes.push(`read ${observations.length} finding(s) from the SUT's taps now: a tap without its own time stamps (a DynamoDB item, a handler's return) is placed by the time the SUT states, if any`);
      return { observations, matching: prepared.matching };
    } finally {
      await taps.close();
    }
  } finally {
    clients.destroy();
  }
}

/**
 * `firedrill score`: a scorecard from a truth file and the SUT's findings, without running anything. From a
 * run's truth.json + findings.jsonl (+ run.json) it is the run's own scorecard, exactly; from a load run's truth
 * file, every tick's incidents are scored together; from a SUT file, its taps are read now.
 */
export async function scoreFiles(opts: ScoreOptions): Promise<ScoreResult> {
  const notes: string[] = [];
  const { kind, truth } = await readAnyTruth(opts.truth);
  let observations: Observation[];
  let matching = truth.matching;
  if (/\.ya?ml$/i.test(opts.findings)) {
    const live = await readSutTaps(opts.findings, truth, opts, notes);
    observations = live.observations;
    matching = live.matching;
  } else {
    observations = await readObservations(opts.findings);
  }
  const runFile = opts.run ?? (kind === 'drill' && existsSync(join(dirname(opts.truth), 'run.json')) ? join(dirname(opts.truth), 'run.json') : undefined);
  const run: RunRecord = runFile ? await readRunRecord(runFile) : {};
  let incidents = truth.incidents;
  if (!runFile && incidents.some((i) => i.expectedRemediation.length)) {
    incidents = incidents.map((i) => ({ ...i, expectedRemediation: [] }));
    notes.push('no run.json: remediation is not scored (it was read back from the estate during the run)');
  }
  const card = evaluateDrill({
    scenarioId: truth.scenarioId,
    title: truth.title,
    seed: truth.seed,
    window: truth.window,
    incidents,
    falsePositiveBudget: truth.falsePositiveBudget,
    observations,
    matching: { ...(matching ?? {}), ...(truth.wallEnd !== undefined ? { wallEnd: truth.wallEnd } : {}) },
    ...(run.remediation ? { remediation: run.remediation } : {}),
    ...(run.ledger ? { ledger: run.ledger } : {}),
    ...(run.timeline ? { timeline: run.timeline } : {}),
    ...(run.wallSeconds !== undefined ? { wallSeconds: run.wallSeconds } : {}),
  });
  return { card, truthKind: kind, observations: observations.length, notes };
}
