import type { ExpectedIncident } from './types.ts';
import type { Plan } from '../../scenarios/index.ts';

/**
 * The evaluator's view of a plan's expectations (harness/evaluate takes one record per incident).
 * An incident without a detect expectation is context only (mustDetect false, generous deadline).
 */
export function toEvaluationInput(plan: Plan): { scenarioId: string; title: string; seed: string; window: { start: number; end: number }; incidents: ExpectedIncident[]; falsePositiveBudget: number; unlabelled?: boolean } {
  const e = plan.expectations;
  const incidents = plan.incidents.map((inc): ExpectedIncident => {
    const detects = e.detect.filter((d) => d.incidentId === inc.id);
    const root = e.rootCause.find((r) => r.incidentId === inc.id);
    const withinMs = detects.length ? Math.min(...detects.map((d) => d.withinMs)) : inc.window.end - inc.window.start;
    const out: ExpectedIncident = {
      id: inc.id,
      kind: inc.kind,
      window: inc.window,
      entities: inc.entities,
      detectWithinSeconds: withinMs / 1000,
      mustDetect: detects.length > 0,
      detections: detects.map((d) => ({ kind: d.kind, withinSeconds: d.withinMs / 1000, ...(d.entity ? { entityType: d.entity.type } : {}) })),
      expectedRemediation: e.remediation
        .filter((r) => r.incidentId === inc.id)
        .map((r) => ({ outcome: r.outcome, params: Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : v])) })),
    };
    if (root) out.expectedRootCause = root.root;
    return out;
  });
  return { scenarioId: plan.scenario.id, title: plan.scenario.title, seed: plan.seed, window: plan.window, incidents, falsePositiveBudget: e.falsePositives.max, ...(plan.unlabelled ? { unlabelled: true } : {}) };
}
