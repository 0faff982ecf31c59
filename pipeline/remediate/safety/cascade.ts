import type { Finding } from '../../../core/index.ts';
import type { DependencyEdge } from '../../../core/topology/index.ts';
import type { FindingKind } from '../../../core/index.ts';

/** The dependency-graph node a finding is about (same naming as the topology's edges: `rds:<db>`, `app:<svc>` …). */
export function findingNode(f: Pick<Finding, 'kind' | 'entities' | 'primary'>): string | undefined {
  const e = f.entities;
  if (f.kind === 'root-cause') {
    const v = e[f.primary];
    if (f.primary === 'database' && v) return `rds:${v}`;
    if (f.primary === 'service' && v) return `app:${v}`;
    if (f.primary === 'function' && v) return `lambda:${v}`;
    return undefined;
  }
  const source = f.kind.split('-')[0]!;
  if (source === 'rds' && e.database) return `rds:${e.database}`;
  if (source === 'app' && e.service) return `app:${e.service}`;
  if (source === 'ecs' && e.service) return `ecs:${e.service}`;
  if (source === 'lambda' && e.function) return `lambda:${e.function}`;
  return undefined;
}

/** Everything `node` depends on, directly or not (A → B: A depends on B). */
export function dependenciesOf(node: string, edges: DependencyEdge[]): string[] {
  const out: string[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const e of edges) {
      if (e.from === n && !out.includes(e.to) && e.to !== node) {
        out.push(e.to);
        stack.push(e.to);
      }
    }
  }
  return out;
}

/** What the dispatcher knows (from the audit table) when it decides about one finding. */
export interface CascadeFacts {
  /** Root-cause findings that list this finding in `explains`, with the playbook that answers them (if any). */
  explainedBy: { rootCauseId: string; playbook?: string }[];
  /** Remediations started (or planned, in dry-run) on nodes this finding's node depends on, within the window. */
  dependencyRemediations: { node: string; playbook: string; incidentId: string; at: string }[];
}

export type CascadeVerdict = { suppress: false } | { suppress: true; reason: string; coveredBy: string };

/**
 * The cascade rule: a finding explained by a root cause that has a playbook is remediated through that root
 * cause, not on its own; and a symptom (app errors, task restarts) on a service whose dependency is already
 * being fixed is not acted on — the fix restarts the app once the dependency is healthy. Restarting the app
 * while the database is still broken would only restart it again, in a loop.
 */
export function cascadeVerdict(finding: Pick<Finding, 'kind'>, facts: CascadeFacts, symptomKinds: readonly FindingKind[]): CascadeVerdict {
  if (finding.kind === 'root-cause') return { suppress: false };
  const root = facts.explainedBy.find((r) => r.playbook !== undefined);
  if (root) {
    return { suppress: true, reason: `explained by root cause ${root.rootCauseId}, remediated by ${root.playbook}`, coveredBy: root.rootCauseId };
  }
  if (symptomKinds.includes(finding.kind)) {
    const dep = facts.dependencyRemediations[0];
    if (dep) return { suppress: true, reason: `its dependency ${dep.node} is being fixed by ${dep.playbook} (incident ${dep.incidentId})`, coveredBy: dep.incidentId };
  }
  return { suppress: false };
}
