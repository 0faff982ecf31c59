import type { DrillScorecard, IncidentResult } from '../evaluate/index.ts';

/** What one SUT did on one drill: the leaderboard's cell. */
export interface ComparisonCell {
  /** Incidents detected (ids). */
  caught: string[];
  /** Incidents that had to be detected and were not (ids): the misses. */
  missed: string[];
  /** Findings no incident explains. */
  falsePositives: number;
  /**
   * Seconds from onset to the earliest detection, the slowest of the caught incidents: event time when the SUT
   * states one, else wall time from the delivery of the incident's first event; null when nothing was caught.
   */
  timeToDetectSeconds: number | null;
  /** Which clock `timeToDetectSeconds` is on. */
  clock: 'event' | 'wall' | null;
  /** The root cause, for the incidents that expect one: right, wrong (a chain naming another tier), none (no chain), or n/a. */
  rootCause: 'right' | 'wrong' | 'none' | 'n/a';
  /** Remediation: verified (the estate read back as expected), executed (ran, outcome not as expected), none, or n/a. */
  remediation: 'verified' | 'executed' | 'none' | 'n/a';
  passed: boolean;
  /** The drill could not be judged (it crashed): its message. */
  error?: string;
}

export interface Comparison {
  /** Column order: as given. */
  suts: string[];
  /** Row order: as first seen. */
  drills: string[];
  /** drill → sut → cell; a SUT that did not run a drill has no cell. */
  cells: Record<string, Record<string, ComparisonCell>>;
  /**
   * drill → sut → why it has no cell: a SUT that cannot take any of the drill's sources is not applicable, a drill
   * left out is not run; said in the table, so nothing is skipped silently.
   */
  notRun: Record<string, Record<string, string>>;
}

/** A drill a SUT has no scorecard for, and why (`not applicable: …`, `not run: …`). */
export interface NotRun {
  sut: string;
  drill: string;
  reason: string;
}

function rootCauseOf(incidents: IncidentResult[]): ComparisonCell['rootCause'] {
  const expecting = incidents.filter((i) => i.rootCauseExpected !== undefined);
  if (expecting.length === 0) return 'n/a';
  if (expecting.every((i) => i.rootCauseCorrect === true)) return 'right';
  if (expecting.some((i) => (i.rootCauseObserved?.length ?? 0) > 0)) return 'wrong';
  return 'none';
}

function remediationOf(incidents: IncidentResult[]): ComparisonCell['remediation'] {
  const expecting = incidents.filter((i) => i.remediation && i.remediation.expected > 0);
  if (expecting.length === 0) return 'n/a';
  if (expecting.every((i) => i.remediation!.verified)) return 'verified';
  if (expecting.some((i) => i.remediation!.executed || i.remediation!.planned)) return 'executed';
  return 'none';
}

/** One SUT's scorecard of one drill as a cell. */
export function cellOf(card: DrillScorecard): ComparisonCell {
  const caught = card.incidents.filter((i) => i.detected);
  const times = caught.map((i) => (i.timeToDetectSeconds !== null ? { s: i.timeToDetectSeconds, clock: 'event' as const } : i.wallTimeToDetectSeconds !== null ? { s: i.wallTimeToDetectSeconds, clock: 'wall' as const } : undefined)).filter((t) => t !== undefined);
  const slowest = times.reduce<(typeof times)[number] | undefined>((a, t) => (!a || t.s > a.s ? t : a), undefined);
  return {
    caught: caught.map((i) => i.id),
    missed: card.incidents.filter((i) => !i.detected).map((i) => i.id),
    falsePositives: card.falsePositives,
    timeToDetectSeconds: slowest ? Math.round(slowest.s * 10) / 10 : null,
    clock: slowest ? slowest.clock : null,
    rootCause: rootCauseOf(card.incidents),
    remediation: remediationOf(card.incidents),
    passed: card.passed,
    ...(card.error ? { error: card.error.message } : {}),
  };
}

/** Several SUTs' scorecards of the same drills (same truth) as one matrix, SUT × drill. */
export function buildComparison(runs: readonly { sut: string; cards: readonly DrillScorecard[] }[], notRun: readonly NotRun[] = []): Comparison {
  const suts: string[] = [];
  const drills: string[] = [];
  const cells: Comparison['cells'] = {};
  const skipped: Comparison['notRun'] = {};
  for (const { sut, cards } of runs) {
    if (!suts.includes(sut)) suts.push(sut);
    for (const card of cards) {
      if (!drills.includes(card.scenarioId)) drills.push(card.scenarioId);
      (cells[card.scenarioId] ??= {})[sut] = cellOf(card);
    }
  }
  for (const n of notRun) {
    if (!suts.includes(n.sut)) suts.push(n.sut);
    if (!drills.includes(n.drill)) drills.push(n.drill);
    if (!cells[n.drill]?.[n.sut]) (skipped[n.drill] ??= {})[n.sut] = n.reason;
  }
  return { suts, drills, cells, notRun: skipped };
}

/** Per SUT: drills passed, incidents caught / to catch, false positives: the leaderboard's totals row. */
export function totalsOf(c: Comparison): Record<string, { drills: number; passed: number; caught: number; incidents: number; falsePositives: number; errors: number; notRun: number }> {
  const out: ReturnType<typeof totalsOf> = {};
  for (const sut of c.suts) {
    const t = { drills: 0, passed: 0, caught: 0, incidents: 0, falsePositives: 0, errors: 0, notRun: 0 };
    for (const d of c.drills) {
      const cell = c.cells[d]?.[sut];
      if (c.notRun?.[d]?.[sut] !== undefined) t.notRun++;
      if (!cell) continue;
      t.drills++;
      if (cell.passed) t.passed++;
      if (cell.error) t.errors++;
      t.caught += cell.caught.length;
      t.incidents += cell.caught.length + cell.missed.length;
      t.falsePositives += cell.falsePositives;
    }
    out[sut] = t;
  }
  return out;
}
