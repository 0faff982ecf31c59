import cron from 'node-cron';
import { parseDuration, DAY } from '../../core/index.ts';
import { ConfigError } from '../../core/index.ts';
import type { IncidentKind } from '../../core/index.ts';
import { closest } from '../../scenarios/index.ts';
import { DEFAULT_PROBABILITY, DEFAULT_SCHEDULE } from './load-defaults.ts';

export const ANOMALY_MODES = ['random', 'enforce', 'none'] as const;
export type AnomalyMode = (typeof ANOMALY_MODES)[number];

export { DEFAULT_PROBABILITY, DEFAULT_SCHEDULE };

/** What a person typed (commander hands strings over). */
export interface RawLoadOptions {
  schedule?: string;
  slice?: string;
  anomalies?: string;
  incident?: string[];
  probability?: string;
  ticks?: string;
}

/** Checked settings of one `firedrill load` run. */
export interface LoadSettings {
  /** node-cron expression (5 fields, or 6 with seconds first). */
  schedule: string;
  /** Scenario (event) time generated per tick. */
  sliceMs: number;
  anomalies: AnomalyMode;
  /** enforce: injected every tick; random: the only kinds drawn from (empty = the scenario's or the catalog's). */
  incidents: IncidentKind[];
  probability: number;
  /** Stop after this many ticks; undefined = until SIGINT/SIGTERM. */
  ticks: number | undefined;
}

const MIN_SLICE_MS = 1_000;
// A slice ends "now"; anything longer than CloudWatch Logs' 14-day window would be partly refused, and a day is
// already far beyond what one tick should generate.
const MAX_SLICE_MS = DAY;

/** Time between the next two runs of a cron expression: the default slice, so ticks tile the wall clock. */
export function scheduleIntervalMs(schedule: string): number {
  const task = cron.createTask(schedule, () => {});
  try {
    const [a, b] = task.getNextRuns(2);
    if (!a || !b) throw new ConfigError(`--schedule ${JSON.stringify(schedule)} does not repeat`, { expected: 'a schedule that fires at least twice', seen: schedule, fix: 'e.g. --schedule "* * * * *" (every minute)' });
    return b.getTime() - a.getTime();
  } finally {
    void task.destroy();
  }
}

function checkSchedule(schedule: string): void {
  const v = cron.validateDetailed(schedule);
  if (v.valid) return;
  const fields = schedule.trim().split(/\s+/).length;
  const seen = v.errors.length ? `${schedule} (${v.errors.map((e) => `${e.field}: ${e.message}`).join('; ')})` : schedule;
  throw new ConfigError(`invalid --schedule ${JSON.stringify(schedule)}`, {
    expected: 'a cron expression of 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first',
    seen: fields < 5 || fields > 6 ? `${fields} field(s): ${schedule}` : seen,
    fix: 'e.g. --schedule "* * * * *" (every minute) or --schedule "*/15 * * * * *" (every 15 seconds)',
  });
}

function parseSlice(text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (err) {
    throw new ConfigError(`invalid --slice ${JSON.stringify(text)}`, { expected: 'a duration such as 30s, 1m or 5m', seen: text, fix: 'e.g. --slice 1m', cause: err });
  }
  if (ms < MIN_SLICE_MS || ms > MAX_SLICE_MS) {
    throw new ConfigError(`--slice out of range`, { expected: 'between 1s and 1d of scenario time per tick', seen: text, fix: 'leave --slice out to match the schedule, or give e.g. --slice 1m' });
  }
  return ms;
}

function parseKinds(raw: string[] | undefined, known: readonly IncidentKind[]): IncidentKind[] {
  const names = (raw ?? []).flatMap((r) => r.split(',')).map((s) => s.trim()).filter(Boolean);
  const out: IncidentKind[] = [];
  for (const name of names) {
    const kind = known.find((k) => k === name);
    if (!kind) {
      const guess = closest(name, known);
      throw new ConfigError(`unknown incident kind ${JSON.stringify(name)}`, {
        expected: `one of ${known.join(', ')}`,
        seen: name,
        fix: guess ? `did you mean --incident ${guess}?` : '`firedrill list` shows the catalog; its incidents use these kinds',
      });
    }
    if (!out.includes(kind)) out.push(kind);
  }
  return out;
}

/** Turns the CLI's strings into settings, or throws a ConfigError saying what was expected, seen and how to fix it. */
export function parseLoadSettings(raw: RawLoadOptions, knownKinds: readonly IncidentKind[]): LoadSettings {
  const schedule = raw.schedule ?? DEFAULT_SCHEDULE;
  checkSchedule(schedule);
  const sliceMs = raw.slice === undefined ? Math.min(Math.max(scheduleIntervalMs(schedule), MIN_SLICE_MS), MAX_SLICE_MS) : parseSlice(raw.slice);

  const mode = raw.anomalies ?? 'random';
  if (!(ANOMALY_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(`unknown --anomalies ${JSON.stringify(mode)}`, { expected: ANOMALY_MODES.join(' | '), seen: mode, fix: '--anomalies enforce --incident waf-http-flood injects that incident every tick' });
  }
  const anomalies = mode as AnomalyMode;
  const incidents = parseKinds(raw.incident, knownKinds);
  if (anomalies === 'enforce' && incidents.length === 0) {
    throw new ConfigError('--anomalies enforce needs --incident', { expected: 'at least one --incident <kind> to inject every tick', seen: 'no --incident', fix: `e.g. --anomalies enforce --incident ${knownKinds[0] ?? 'waf-http-flood'}` });
  }
  if (anomalies === 'none' && incidents.length > 0) {
    throw new ConfigError('--anomalies none injects nothing', { expected: 'no --incident with --anomalies none', seen: `--incident ${incidents.join(',')}`, fix: 'drop --incident, or use --anomalies enforce / random' });
  }

  const probability = raw.probability === undefined ? DEFAULT_PROBABILITY : Number(raw.probability);
  if (!(Number.isFinite(probability) && probability >= 0 && probability <= 1)) {
    throw new ConfigError('invalid --probability', { expected: 'a number from 0 to 1 (chance that a tick injects an incident in random mode)', seen: String(raw.probability), fix: 'e.g. --probability 0.25' });
  }

  let ticks: number | undefined;
  if (raw.ticks !== undefined) {
    ticks = Number(raw.ticks);
    if (!(Number.isInteger(ticks) && ticks > 0)) {
      throw new ConfigError('invalid --ticks', { expected: 'a whole number of ticks, 1 or more', seen: raw.ticks, fix: 'e.g. --ticks 10, or leave it out to run until Ctrl-C' });
    }
  }
  return { schedule, sliceMs, anomalies, incidents, probability, ticks };
}
