import { parseDuration } from '../../core/index.ts';
import { closest } from '../../core/config-file/index.ts';
import { TIME_OFFSET_RE, type PhaseName } from './primitives.ts';
import type { Scenario } from './scenario-schema.ts';

/**
 * Cross-field rules of a drill's timeline, shared by the schema (as issues with paths) and the compiler
 * (which trusts them). Offsets are milliseconds from the drill start.
 */

export interface TimelineIssue {
  path: (string | number)[];
  /** Short name of the problem, e.g. `incident starts in the warm-up`. */
  summary: string;
  expected: string;
  seen?: string;
  fix?: string;
}

export interface PhaseSpan {
  name: PhaseName;
  /** Offsets from the drill start, ms; [start, end). */
  start: number;
  end: number;
}

const MIN_DURATION = 60_000;
const MAX_DURATION = 24 * 3_600_000;

const fmt = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);

/** Phases in order; recovery defaults to 0 and fault to what remains. Zero-length phases are omitted. */
export function phaseSpans(s: Pick<Scenario, 'duration' | 'phases'>): PhaseSpan[] {
  const total = parseDuration(s.duration);
  const warm = parseDuration(s.phases.warmup);
  const rec = s.phases.recovery === undefined ? 0 : parseDuration(s.phases.recovery);
  const fault = s.phases.fault === undefined ? Math.max(0, total - warm - rec) : parseDuration(s.phases.fault);
  const spans: PhaseSpan[] = [
    { name: 'warmup', start: 0, end: warm },
    { name: 'fault', start: warm, end: warm + fault },
    { name: 'recovery', start: warm + fault, end: warm + fault + rec },
  ];
  return spans.filter((p) => p.end > p.start);
}

/** `7m` → 7 min from the start; `fault+1m` → 1 min after the fault phase begins. */
export function resolveOffset(text: string, phases: readonly PhaseSpan[]): number {
  const m = TIME_OFFSET_RE.exec(text);
  if (!m) throw new RangeError(`resolveOffset: expected 7m or fault+1m, got ${JSON.stringify(text)}`);
  const base = m[1] === undefined ? 0 : (phases.find((p) => p.name === m[1])?.start ?? Number.NaN);
  return base + parseDuration(m[2]!);
}

/**
 * Incident onsets (offsets), following `after:` references. Unknown references and cycles come back as
 * NaN; timelineIssues reports them.
 */
export function incidentOnsets(s: Pick<Scenario, 'incidents' | 'duration' | 'phases'>, phases = phaseSpans(s)): Map<string, number> {
  const byId = new Map(s.incidents.map((inc) => [inc.id, inc]));
  const out = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (incId: string): number => {
    const known = out.get(incId);
    if (known !== undefined) return known;
    const inc = byId.get(incId);
    if (!inc || visiting.has(incId)) return Number.NaN;
    visiting.add(incId);
    const at = typeof inc.at === 'string' ? resolveOffset(inc.at, phases) : visit(inc.at.after) + parseDuration(inc.at.lag);
    visiting.delete(incId);
    out.set(incId, at);
    return at;
  };
  for (const inc of s.incidents) visit(inc.id);
  return out;
}

export function timelineIssues(s: Scenario): TimelineIssue[] {
  const issues: TimelineIssue[] = [];
  const total = parseDuration(s.duration);
  if (total < MIN_DURATION || total > MAX_DURATION) {
    issues.push({ path: ['duration'], summary: 'drill length out of range', expected: 'a drill between 1m and 24h long', seen: s.duration, fix: 'keep drills short in event time: 10m–20m is typical' });
  }

  const warm = parseDuration(s.phases.warmup);
  const rec = s.phases.recovery === undefined ? 0 : parseDuration(s.phases.recovery);
  if (s.phases.fault !== undefined) {
    const sum = warm + parseDuration(s.phases.fault) + rec;
    if (sum !== total) {
      issues.push({
        path: ['phases'],
        summary: 'phases do not add up',
        expected: `warmup + fault + recovery = duration (${s.duration})`,
        seen: `${s.phases.warmup} + ${s.phases.fault} + ${s.phases.recovery ?? '0m'} = ${fmt(sum)}`,
        fix: 'leave `fault` out to give it whatever remains, or change the durations so they add up',
      });
    }
  } else if (warm + rec >= total) {
    issues.push({
      path: ['phases', 'warmup'],
      summary: 'no time left for faults',
      expected: `warmup + recovery shorter than the drill (${s.duration}), leaving time for faults`,
      seen: `${s.phases.warmup} + ${s.phases.recovery ?? '0m'}`,
      fix: 'shorten the warm-up or lengthen `duration`',
    });
  }
  if (issues.length > 0) return issues; // Everything below depends on sane phases.

  const phases = phaseSpans(s);
  const warmEnd = warm;
  const faultEnd = phases.find((p) => p.name === 'fault')?.end ?? warmEnd;

  // Background streams.
  const streamNames = new Map<string, number>();
  s.background.forEach((b, i) => {
    const name = b.name ?? b.source;
    const prev = streamNames.get(name);
    if (prev !== undefined) {
      issues.push({
        path: ['background', i, b.name === undefined ? 'source' : 'name'],
        summary: 'duplicate background stream',
        expected: 'a distinct stream name per background entry',
        seen: `"${name}" is also background[${prev}]`,
        fix: `give one of them a \`name:\` (e.g. name: ${b.source}-2)`,
      });
    } else streamNames.set(name, i);
    if ((b.rate === undefined) === (b.replay === undefined)) {
      issues.push({
        path: ['background', i],
        summary: 'rate or replay',
        expected: 'exactly one of `rate` (generate traffic) or `replay` (replay a log file)',
        seen: b.rate === undefined ? 'neither' : 'both',
        fix: b.rate === undefined ? 'add e.g. `rate: 300/m`' : 'remove one of them',
      });
    }
    if (b.rate !== undefined && typeof b.rate !== 'string') {
      const shapes: ['ramps' | 'bursts', { at: string }[] | undefined][] = [['ramps', b.rate.ramps], ['bursts', b.rate.bursts]];
      for (const [key, list] of shapes) {
        (list ?? []).forEach((r, j) => {
          const at = resolveOffset(r.at, phases);
          if (!(at < total)) {
            issues.push({ path: ['background', i, 'rate', key, j, 'at'], summary: 'after the end of the drill', expected: `a time inside the drill (before ${s.duration})`, seen: r.at });
          }
        });
      }
    }
  });

  // Incidents.
  const ids = new Map<string, number>();
  s.incidents.forEach((inc, i) => {
    const prev = ids.get(inc.id);
    if (prev !== undefined) {
      issues.push({ path: ['incidents', i, 'id'], summary: 'duplicate incident id', expected: 'a unique incident id', seen: `"${inc.id}" is also incidents[${prev}].id`, fix: 'rename one of them' });
    } else ids.set(inc.id, i);
  });
  const incidentIds = s.incidents.map((x) => x.id);
  const onsets = incidentOnsets(s, phases);
  s.incidents.forEach((inc, i) => {
    const onset = onsets.get(inc.id) ?? Number.NaN;
    const len = parseDuration(inc.duration);
    if (typeof inc.at !== 'string' && Number.isNaN(onset)) {
      const target = inc.at.after;
      if (!ids.has(target)) {
        const guess = closest(target, incidentIds);
        issues.push({
          path: ['incidents', i, 'at', 'after'],
          summary: 'unknown incident',
          expected: `the id of another incident (${incidentIds.join(', ')})`,
          seen: `"${target}"`,
          fix: guess ? `did you mean \`${guess}\`?` : 'refer to an incident defined in `incidents`',
        });
      } else {
        issues.push({ path: ['incidents', i, 'at', 'after'], summary: 'incidents follow each other in a cycle', expected: 'incidents that follow each other without a cycle', seen: `a cycle through "${target}"`, fix: 'give one incident of the cycle a fixed `at`' });
      }
      return;
    }
    if (onset < warmEnd) {
      issues.push({
        path: ['incidents', i, 'at'],
        summary: 'incident starts in the warm-up',
        expected: `an onset at or after the end of the warm-up (${s.phases.warmup}); the warm-up is background only so detectors can learn a baseline`,
        seen: `${typeof inc.at === 'string' ? inc.at : `${inc.at.after}+${inc.at.lag}`} (= ${fmt(onset)}, inside the warm-up)`,
        fix: `start it in the fault phase, e.g. \`at: fault+${fmt(Math.max(0, onset))}\``,
      });
    } else if (onset >= faultEnd) {
      issues.push({
        path: ['incidents', i, 'at'],
        summary: 'incident starts after the fault phase',
        expected: `an onset inside the fault phase (${fmt(warmEnd)}–${fmt(faultEnd)})`,
        seen: `${fmt(onset)}`,
        fix: 'start it earlier, or shorten the recovery phase',
      });
    }
    if (onset + len > total) {
      issues.push({
        path: ['incidents', i, 'duration'],
        summary: 'incident outlasts the drill',
        expected: `an incident that ends by the end of the drill (${s.duration})`,
        seen: `onset ${fmt(onset)} + ${inc.duration} = ${fmt(onset + len)}`,
        fix: `shorten it to at most ${fmt(Math.max(0, total - onset))} or lengthen the drill`,
      });
    }
    let lagSum = 0;
    (inc.cascade ?? []).forEach((link, j) => {
      lagSum += parseDuration(link.lag);
      if (link.from === link.to) {
        issues.push({ path: ['incidents', i, 'cascade', j, 'to'], summary: 'link to itself', expected: 'a link between two different sources', seen: `${link.from} → ${link.to}` });
      }
      for (const end of ['from', 'to'] as const) {
        if (inc.sources && !inc.sources.includes(link[end])) {
          issues.push({ path: ['incidents', i, 'cascade', j, end], summary: 'source not in the incident', expected: `one of the incident's sources (${inc.sources.join(', ')})`, seen: link[end], fix: `add ${link[end]} to \`sources\`` });
        }
      }
    });
    if (lagSum >= len) {
      issues.push({
        path: ['incidents', i, 'cascade'],
        summary: 'cascade lags too long',
        expected: `cascade lags that add up to less than the incident duration (${inc.duration})`,
        seen: `lags add up to ${fmt(lagSum)}`,
        fix: 'shorten the lags or lengthen the incident',
      });
    }
  });

  // Expectations refer to incidents.
  const sections = ['detect', 'rootCause', 'remediation'] as const;
  for (const section of sections) {
    s.expect[section].forEach((e, i) => {
      if (!ids.has(e.incident)) {
        const guess = closest(e.incident, incidentIds);
        issues.push({
          path: ['expect', section, i, 'incident'],
          summary: 'unknown incident',
          expected: incidentIds.length ? `the id of an incident (${incidentIds.join(', ')})` : 'an incident id, but this drill has no incidents',
          seen: `"${e.incident}"`,
          fix: guess ? `did you mean \`${guess}\`?` : 'refer to an incident defined in `incidents`',
        });
      }
    });
  }
  return issues;
}

/** CloudWatch Logs refuses events older than 14 days or more than 2 hours ahead (PutLogEvents). */
export const CWL_MAX_AGE_MS = 14 * 24 * 3_600_000;
export const CWL_MAX_AHEAD_MS = 2 * 3_600_000;
/** Slack on both bounds: a drill takes a while to push, and clocks drift. */
export const START_MARGIN_MS = 5 * 60_000;

/** The drill start: as written, or now − duration − 5m rounded down to the minute (every event in the past). */
export function resolveStart(s: Pick<Scenario, 'start' | 'duration'>, now: number): number {
  if (s.start !== undefined) return Date.parse(s.start);
  const t = now - parseDuration(s.duration) - START_MARGIN_MS;
  return t - (t % 60_000);
}

/** Checks an explicit `start` against PutLogEvents' bounds relative to `now`. */
export function clockIssues(s: Pick<Scenario, 'start' | 'duration'>, now: number): TimelineIssue[] {
  if (s.start === undefined) return [];
  const start = Date.parse(s.start);
  const end = start + parseDuration(s.duration);
  const iso = (t: number) => new Date(t).toISOString();
  if (start < now - CWL_MAX_AGE_MS + START_MARGIN_MS) {
    return [{
      path: ['start'],
      summary: 'start too old for CloudWatch Logs',
      expected: `a start after ${iso(now - CWL_MAX_AGE_MS + START_MARGIN_MS)}: CloudWatch Logs rejects events older than 14 days`,
      seen: s.start,
      fix: 'remove `start` to use a recent default (now − duration − 5m)',
    }];
  }
  if (end > now + CWL_MAX_AHEAD_MS - START_MARGIN_MS) {
    return [{
      path: ['start'],
      summary: 'start too far ahead for CloudWatch Logs',
      expected: `a drill ending before ${iso(now + CWL_MAX_AHEAD_MS - START_MARGIN_MS)}: CloudWatch Logs rejects events more than 2 hours ahead`,
      seen: `${s.start} + ${s.duration}`,
      fix: 'remove `start` to use a recent default (now − duration − 5m)',
    }];
  }
  return [];
}
