import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { DrillEvent } from '../drill/index.ts';

/** What a load tick reports that /metrics counts (structurally the load runner's TickReport). */
export interface TickCounts {
  incidents: { kind: string }[];
  sources: Partial<Record<string, { generated: number; accepted: number; rejected: number }>>;
  balanced: boolean;
}

export interface RunMetrics {
  registry: Registry;
  onDrillEvent(e: DrillEvent): void;
  onTick(t: TickCounts): void;
}

/**
 * The run's counters in Prometheus's text format, for a Grafana of the team's own: events generated, accepted
 * and rejected per source, findings per kind, remediation executions per playbook and status, drills per
 * result; for `load`, ticks and injected incidents. prom-client is the Node client the Prometheus project
 * lists: it gets the exposition format (escaping, HELP/TYPE, content type) right, which hand-written text would
 * have to copy. A registry of its own, so two runs in one process (tests) never share counts.
 */
export function createRunMetrics(): RunMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'firedrill_process_' });
  const counter = (name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers: [registry] });
  const generated = counter('firedrill_events_generated_total', 'Log events generated, per source (during a drill: as they are handed to the sinks).', ['source']);
  const accepted = counter('firedrill_events_accepted_total', 'Log events AWS (or the emulator) accepted, per source.', ['source']);
  const rejected = counter('firedrill_events_rejected_total', 'Log events refused before or by AWS, per source.', ['source']);
  const findings = counter('firedrill_findings_total', 'Findings the detector published, per kind.', ['kind']);
  const executions = counter('firedrill_remediation_executions_total', 'Remediation (Step Functions) executions, per playbook and final status.', ['playbook', 'status']);
  const drills = counter('firedrill_drills_total', 'Drills finished, per result (passed, failed, error).', ['result']);
  const ticks = counter('firedrill_load_ticks_total', 'Load ticks sent, per balance (balanced, unbalanced).', ['balance']);
  const injected = counter('firedrill_incidents_injected_total', 'Incidents a load tick injected, per kind.', ['kind']);
  const running = new Gauge({ name: 'firedrill_drill_running', help: '1 while a drill runs.', labelNames: ['drill'], registers: [registry] });

  // The timeline is a running snapshot: counted by difference from what was counted already for this drill.
  let seen = new Map<string, number>();
  return {
    registry,
    onDrillEvent(e) {
      switch (e.type) {
        case 'plan':
          seen = new Map();
          running.set({ drill: e.drill }, 1);
          break;
        case 'timeline':
          for (const [source, counts] of Object.entries(e.counts)) {
            const total = (counts ?? []).reduce((a, b) => a + b, 0);
            const delta = total - (seen.get(source) ?? 0);
            if (delta > 0) generated.inc({ source }, delta);
            seen.set(source, total);
          }
          break;
        case 'ingested':
          for (const [source, c] of Object.entries(e.sources)) {
            if (!c) continue;
            // The sinks' count is the authority; the timeline only ran ahead of it.
            const delta = c.generated - (seen.get(source) ?? 0);
            if (delta > 0) generated.inc({ source }, delta);
            seen.set(source, Math.max(c.generated, seen.get(source) ?? 0));
            accepted.inc({ source }, c.accepted);
            rejected.inc({ source }, Object.values(c.rejected).reduce<number>((a, b) => a + (b ?? 0), 0));
          }
          break;
        case 'finding':
          findings.inc({ kind: e.finding.kind });
          break;
        case 'remediation':
          executions.inc({ playbook: e.playbook, status: e.status });
          break;
        case 'scorecard':
          drills.inc({ result: e.error ? 'error' : e.passed ? 'passed' : 'failed' });
          running.set({ drill: e.drill }, 0);
          break;
      }
    },
    onTick(t) {
      ticks.inc({ balance: t.balanced ? 'balanced' : 'unbalanced' });
      for (const i of t.incidents) injected.inc({ kind: i.kind });
      for (const [source, c] of Object.entries(t.sources)) {
        if (!c) continue;
        generated.inc({ source }, c.generated);
        accepted.inc({ source }, c.accepted);
        rejected.inc({ source }, c.rejected);
      }
    },
  };
}
