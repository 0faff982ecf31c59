import { capabilityMatrix, CASCADE_KIND, firstMissing, PIPELINE_SERVICES, servicesForOutcome, unsupportedMessage, type FindingKind } from '../../core/index.ts';
import {
  DEFAULT_MATCHING, byEarliest, namesRoot, observationDetects, observationDetectsAny, observationExplains, scoringKind, wallTime,
  type MatchSettings,
} from '../match/index.ts';
import type { Observation } from '../observe/index.ts';
import { observationsFromFindings } from './from-findings.ts';
import { scoreExplanation } from './score-explanation.ts';
import type { DrillScorecard, EvaluationInput, ExpectedIncident, IncidentResult, ScoredFinding } from './types.ts';

const seconds = (ms: number) => Math.max(0, ms / 1000);

/** Event-time delay from onset when the finding states a time; else wall delay from the first delivery; else unknown. */
function delayOf(inc: ExpectedIncident, o: Observation): { seconds: number; basis: 'event' | 'wall' } | undefined {
  if (o.claimedTime !== undefined) return { seconds: seconds(o.claimedTime - inc.window.start), basis: 'event' };
  if (inc.wallStart !== undefined) return { seconds: seconds(wallTime(o) - inc.wallStart), basis: 'wall' };
  return undefined;
}

function isRootCause(o: Observation): boolean {
  if (!o.rootCause?.length) return false;
  const kind = scoringKind(o.kind);
  return kind === undefined || kind === 'root-cause';
}

/**
 * Scores one drill from what the SUT's taps showed: which incidents it detected (and how fast, in event time
 * when it states one, always in wall time when delivery was recorded), whether the root cause was named, what
 * remediation was verified on the estate, and which findings no incident explains (false positives). Pure:
 * every observation was read back through the AWS API beforehand.
 */
export function evaluateDrill(input: EvaluationInput): DrillScorecard {
  const observations = [...(input.observations ?? []), ...observationsFromFindings(input.findings ?? [])];
  const settings: MatchSettings = { ...DEFAULT_MATCHING, ...input.matching };
  const unlabelled = input.unlabelled === true || (input.incidents.length > 0 && input.incidents.every((i) => Object.values(i.entities).every((v) => !v)));
  const explains = new Map<Observation, string[]>(observations.map((o) => [o, []]));
  const detects = new Map<Observation, string[]>(observations.map((o) => [o, []]));
  const caps = input.capabilities;
  // Detection needs the whole pipeline; a target without part of it can score none of it.
  const noPipeline = firstMissing(caps, PIPELINE_SERVICES);

  const incidents: IncidentResult[] = input.incidents.map((inc) => {
    const failures: string[] = [];
    const unsupported: string[] = [];
    for (const o of observations) if (observationExplains(inc, o, settings)) explains.get(o)!.push(inc.id);
    const requirements = inc.detections?.length ? inc.detections : [{ kind: inc.kind as FindingKind, withinSeconds: inc.detectWithinSeconds }];
    const matching = observations.filter((o) => observationDetectsAny(inc, o, settings)).sort(byEarliest);
    for (const o of matching) detects.get(o)!.push(inc.id);
    // Every requirement must be met in time; the headline time to detect is the first signal of any of them.
    let detected = true;
    let detectedInTime = true;
    for (const req of requirements) {
      const hit = observations.filter((o) => observationDetects(inc, o, settings, req)).sort(byEarliest)[0];
      const delay = hit ? delayOf(inc, hit) : undefined;
      const about = 'entityType' in req && req.entityType ? `${req.entityType} ${inc.entities[req.entityType] ?? '?'}` : describeEntities(inc.entities);
      if (!hit && noPipeline) {
        detected = false;
        detectedInTime = false;
        if (inc.mustDetect) unsupported.push(unsupportedMessage(`detecting ${req.kind} about ${about}`, noPipeline));
      } else if (!hit) {
        detected = false;
        detectedInTime = false;
        if (inc.mustDetect) failures.push(`not detected: no ${req.kind} finding about ${about}`);
      } else if (delay && delay.seconds > req.withinSeconds) {
        detectedInTime = false;
        if (inc.mustDetect) failures.push(`${req.kind} detected after ${delay.seconds.toFixed(0)} s${delay.basis === 'wall' ? ' of wall time (the finding states no event time)' : ''}, expected within ${req.withinSeconds} s of onset`);
      }
    }
    if (!inc.mustDetect) {
      detected = matching.length > 0;
      detectedInTime = detected;
    }
    const claimed = matching.find((o) => o.claimedTime !== undefined);
    const walls = inc.wallStart === undefined ? [] : matching.map((o) => wallTime(o) - inc.wallStart!);

    const result: IncidentResult = {
      id: inc.id,
      kind: inc.kind,
      entities: inc.entities,
      window: inc.window,
      detected,
      timeToDetectSeconds: claimed ? seconds(claimed.claimedTime! - inc.window.start) : null,
      wallTimeToDetectSeconds: walls.length ? seconds(Math.min(...walls)) : null,
      detectedInTime,
      matchingFindingIds: matching.map((o) => o.id),
      matchingKinds: [...new Set(matching.flatMap((o) => (o.kind === undefined ? [] : [o.kind])))],
      passed: true,
      failures,
      unsupported,
    };

    if (inc.expectedRootCause || inc.kind === CASCADE_KIND) {
      const rca = matching.find(isRootCause) ?? observations.find((o) => isRootCause(o) && observationExplains(inc, o, settings));
      result.rootCauseExpected = inc.expectedRootCause;
      result.rootCauseObserved = rca?.rootCause;
      const head = rca?.rootCause?.[0] ?? '';
      result.rootCauseCorrect = !!rca && (!inc.expectedRootCause || namesRoot(head, inc.expectedRootCause));
      if (!result.rootCauseCorrect) {
        failures.push(rca ? `root cause named ${JSON.stringify(head)}, expected ${inc.expectedRootCause}` : `no root-cause finding, expected root ${inc.expectedRootCause ?? 'a chain'}`);
      }
    }

    // The explanation on-call reads first: the root-cause finding's for a cascade, else the earliest detection's.
    const rcaFirst = inc.expectedRootCause || inc.kind === CASCADE_KIND ? [...matching.filter(isRootCause), ...observations.filter((o) => isRootCause(o) && observationExplains(inc, o, settings)), ...matching] : matching;
    const explanation = scoreExplanation(inc, rcaFirst);
    if (explanation) result.explanation = explanation;

    if (inc.expectedRemediation.length > 0) {
      const obs = input.remediation?.find((r) => r.incidentId === inc.id);
      const outcomes = obs?.outcomes ?? [];
      // An outcome needs the pipeline, the playbook's services and the service of the resource it changes.
      const lacking = inc.expectedRemediation.map((e) => ({ e, missing: firstMissing(caps, servicesForOutcome(e.outcome)) }));
      const runnable = lacking.filter((x) => !x.missing).map((x) => x.e);
      const notRunnable = lacking.flatMap((x) => (x.missing ? [{ outcome: x.e.outcome, reason: unsupportedMessage(`remediation ${x.e.outcome}`, x.missing) }] : []));
      for (const u of notRunnable) unsupported.push(u.reason);
      const verified = runnable.length > 0 && runnable.every((e) => outcomes.some((o) => o.outcome === e.outcome && o.ok));
      result.remediation = {
        incidentId: inc.id,
        planned: obs?.planned ?? false,
        executed: obs?.executed ?? false,
        executionStatus: obs?.executionStatus,
        executionArn: obs?.executionArn,
        outcomes,
        timeToRemediateSeconds: obs?.timeToRemediateSeconds ?? null,
        expected: runnable.length,
        verified,
        unsupported: notRunnable,
      };
      if (!verified && runnable.length > 0) {
        const missing = runnable.filter((e) => !outcomes.some((o) => o.outcome === e.outcome && o.ok));
        for (const m of missing) {
          const seen = outcomes.find((o) => o.outcome === m.outcome);
          failures.push(`remediation ${m.outcome} not verified${seen ? `: expected ${seen.expected}, observed ${seen.observed}` : obs ? '' : ': no remediation ran'}`);
        }
      }
    }
    result.passed = failures.length === 0;
    return result;
  });

  const scored: ScoredFinding[] = observations.map((o) => ({
    findingId: o.id,
    tap: o.tap,
    ...(o.kind === undefined ? {} : { kind: o.kind }),
    summary: o.text,
    ...(o.claimedTime === undefined ? {} : { detectedAt: o.claimedTime }),
    observedAt: o.observedAt,
    ...(o.arrivedAt === undefined ? {} : { arrivedAt: o.arrivedAt }),
    entities: o.entities,
    ...(o.rootCause ? { rootCause: o.rootCause } : {}),
    ...(o.explanation === undefined ? {} : { explanation: o.explanation }),
    ...(o.failureClass === undefined ? {} : { failureClass: o.failureClass }),
    explains: explains.get(o)!,
    detects: detects.get(o)!,
    raw: o.raw,
  }));
  const falsePositiveFindings = scored.filter((f) => f.explains.length === 0);
  const truePositives = scored.length - falsePositiveFindings.length;
  // Detection a target cannot run is neither a hit nor a miss.
  const mustDetect = noPipeline ? [] : incidents.filter((_, i) => input.incidents[i]!.mustDetect);
  const recall = mustDetect.length === 0 ? 1 : mustDetect.filter((r) => r.detected).length / mustDetect.length;
  const precision = scored.length === 0 ? 1 : truePositives / scored.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);

  const failures: string[] = [];
  for (const r of incidents) for (const f of r.failures) failures.push(`${r.id}: ${f}`);
  const unsupported = incidents.flatMap((r) => r.unsupported.map((u) => `${r.id}: ${u}`));
  // Without ground truth no finding can be called false: a budget of false positives would fail (or pass) on
  // nothing. The findings are still listed; the card claims neither precision, recall nor false positives.
  const nothingToJudge = unlabelled && incidents.length === 0;
  if (!nothingToJudge && falsePositiveFindings.length > input.falsePositiveBudget) {
    failures.push(`${falsePositiveFindings.length} false positive(s), budget ${input.falsePositiveBudget}: ${falsePositiveFindings.slice(0, 3).map(summarize).join('; ')}`);
  }
  if (input.ledger && !input.ledger.balanced) failures.push('the delivery ledger does not balance: events were lost or double-counted');

  return {
    scenarioId: input.scenarioId,
    title: input.title,
    seed: input.seed,
    window: input.window,
    passed: failures.length === 0,
    incidents,
    falsePositives: falsePositiveFindings.length,
    falsePositiveBudget: input.falsePositiveBudget,
    falsePositiveFindings: falsePositiveFindings.map((f) => ({ findingId: f.findingId, tap: f.tap, kind: f.kind ?? 'finding', summary: f.summary, ...(f.detectedAt === undefined ? {} : { detectedAt: f.detectedAt }), observedAt: f.observedAt })),
    findingsTotal: scored.length,
    precision: unlabelled ? null : precision,
    recall: unlabelled ? null : recall,
    f1: unlabelled ? null : f1,
    unlabelled,
    ledger: input.ledger,
    timeline: input.timeline,
    findings: scored,
    explanations: explanationTotals(incidents),
    wallSeconds: input.wallSeconds,
    failures,
    ...(caps ? { target: capabilityMatrix(caps) } : {}),
    unsupported,
  };
}

function explanationTotals(incidents: IncidentResult[]): DrillScorecard['explanations'] {
  const detected = incidents.filter((r) => r.detected);
  const scored = detected.flatMap((r) => (r.explanation ? [r.explanation] : []));
  return {
    detected: detected.length,
    explained: scored.length,
    rootNamed: scored.filter((e) => e.rootNamed).length,
    classCorrect: scored.filter((e) => e.classCorrect !== false).length,
    correct: scored.filter((e) => e.correct).length,
  };
}

function describeEntities(e: Record<string, string | undefined>): string {
  const parts = Object.entries(e).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(', ') : 'any entity';
}

function summarize(f: ScoredFinding): string {
  return `${f.kind ?? 'finding'} (${f.summary})`;
}
