import type { Finding } from '../../core/index.ts';
import { capabilityMatrix, CASCADE_KIND, firstMissing, PIPELINE_SERVICES, servicesForOutcome, unsupportedMessage, type FindingKind } from '../../core/index.ts';
import { findingDetects, findingDetectsAny, findingExplainedBy } from './match-findings.ts';
import type { DrillScorecard, EvaluationInput, IncidentResult } from './types.ts';

/**
 * Scores one drill: which incidents the pipeline detected (and how fast, in event time), whether the
 * root cause was named, what remediation was verified on the estate, and which findings nothing
 * explains (false positives). Pure: every observation was read back through the AWS API beforehand.
 */
export function evaluateDrill(input: EvaluationInput): DrillScorecard {
  const findings = input.findings;
  const explained = new Set<string>();
  const caps = input.capabilities;
  // Detection needs the whole pipeline; a target without part of it can score none of it.
  const noPipeline = firstMissing(caps, PIPELINE_SERVICES);
  const incidents: IncidentResult[] = input.incidents.map((inc) => {
    const failures: string[] = [];
    const unsupported: string[] = [];
    for (const f of findings) if (findingExplainedBy(inc, f)) explained.add(f.findingId);
    const requirements = inc.detections?.length ? inc.detections : [{ kind: inc.kind as FindingKind, withinSeconds: inc.detectWithinSeconds }];
    const matching = findings.filter((f) => findingDetectsAny(inc, f)).sort((a, b) => a.detectedAt - b.detectedAt);
    // Every requirement must be met in time; the headline time to detect is the first signal of any of them.
    let detected = true;
    let detectedInTime = true;
    for (const req of requirements) {
      const hit = findings.filter((f) => findingDetects(inc, f, req)).sort((a, b) => a.detectedAt - b.detectedAt)[0];
      const reqTtd = hit ? Math.max(0, (hit.detectedAt - inc.window.start) / 1000) : null;
      const about = 'entityType' in req && req.entityType ? `${req.entityType} ${inc.entities[req.entityType] ?? '?'}` : describeEntities(inc.entities);
      if (!hit && noPipeline) {
        detected = false;
        detectedInTime = false;
        if (inc.mustDetect) unsupported.push(unsupportedMessage(`detecting ${req.kind} about ${about}`, noPipeline));
      } else if (!hit) {
        detected = false;
        detectedInTime = false;
        if (inc.mustDetect) failures.push(`not detected: no ${req.kind} finding about ${about}`);
      } else if (reqTtd! > req.withinSeconds) {
        detectedInTime = false;
        if (inc.mustDetect) failures.push(`${req.kind} detected after ${reqTtd!.toFixed(0)} s, expected within ${req.withinSeconds} s of onset`);
      }
    }
    if (!inc.mustDetect) {
      detected = matching.length > 0;
      detectedInTime = detected;
    }
    const first = matching[0];
    const ttd = first ? Math.max(0, (first.detectedAt - inc.window.start) / 1000) : null;

    const result: IncidentResult = {
      id: inc.id,
      kind: inc.kind,
      entities: inc.entities,
      window: inc.window,
      detected,
      timeToDetectSeconds: ttd,
      detectedInTime,
      matchingFindingIds: matching.map((f) => f.findingId),
      matchingKinds: [...new Set(matching.map((f) => f.kind))],
      passed: true,
      failures,
      unsupported,
    };

    if (inc.expectedRootCause || inc.kind === CASCADE_KIND) {
      const rca = matching.find((f) => f.kind === 'root-cause' && f.chain?.length) ?? findings.find((f) => f.kind === 'root-cause' && f.chain?.length && findingExplainedBy(inc, f));
      result.rootCauseExpected = inc.expectedRootCause;
      result.rootCauseObserved = rca?.chain;
      const root = rca?.chain?.[0]?.toLowerCase() ?? '';
      result.rootCauseCorrect = !!rca && (!inc.expectedRootCause || root.startsWith(inc.expectedRootCause.toLowerCase()));
      if (!result.rootCauseCorrect) {
        failures.push(rca ? `root cause named ${JSON.stringify(rca.chain?.[0])}, expected ${inc.expectedRootCause}` : `no root-cause finding, expected root ${inc.expectedRootCause ?? 'a chain'}`);
      }
    }

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

  const falsePositiveFindings = findings.filter((f) => !explained.has(f.findingId));
  const truePositives = findings.length - falsePositiveFindings.length;
  // Detection a target cannot run is neither a hit nor a miss.
  const mustDetect = noPipeline ? [] : incidents.filter((_, i) => input.incidents[i]!.mustDetect);
  const recall = mustDetect.length === 0 ? 1 : mustDetect.filter((r) => r.detected).length / mustDetect.length;
  const precision = findings.length === 0 ? 1 : truePositives / findings.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);

  const failures: string[] = [];
  for (const r of incidents) for (const f of r.failures) failures.push(`${r.id}: ${f}`);
  const unsupported = incidents.flatMap((r) => r.unsupported.map((u) => `${r.id}: ${u}`));
  if (falsePositiveFindings.length > input.falsePositiveBudget) {
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
    falsePositiveFindings: falsePositiveFindings.map((f) => ({ findingId: f.findingId, kind: f.kind, summary: f.summary, detectedAt: f.detectedAt })),
    findingsTotal: findings.length,
    precision,
    recall,
    f1,
    ledger: input.ledger,
    timeline: input.timeline,
    findings,
    wallSeconds: input.wallSeconds,
    failures,
    ...(caps ? { target: capabilityMatrix(caps) } : {}),
    unsupported,
  };
}

function describeEntities(e: Record<string, string | undefined>): string {
  const parts = Object.entries(e).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(', ') : 'any entity';
}

function summarize(f: Finding): string {
  return `${f.kind} (${f.summary})`;
}
