import type { Entities, Finding, IncidentKind, SourceName } from '../../core/index.ts';
import type { SourceIngestCounts } from '../deliver/types.ts';
import type { Timeline } from '../evaluate/types.ts';

/** One step of a remediation execution, from its Step Functions history. */
export interface RemediationStep {
  name: string;
  /** Wall time the state was entered, epoch ms. */
  enteredAt: number;
  /** Wall time it was left, when it was. */
  exitedAt?: number;
  failed?: boolean;
}

/**
 * What a drill tells an onlooker as it runs (the live page, the /metrics counters): richer than the
 * progress lines, and all of it also in the scorecard at the end. The plan's incidents are the harness's
 * truth: they go to people watching, never to the pipeline.
 */
export type DrillEvent =
  | { type: 'plan'; drill: string; title: string; window: { start: number; end: number }; incidents: { id: string; kind: IncidentKind; window: { start: number; end: number }; entities: Entities }[] }
  /** Events generated so far, per source per bucket (the whole timeline so far, not a delta). */
  | ({ type: 'timeline'; drill: string } & Timeline)
  /** What the sinks did once the pipeline drained: generated, accepted and rejected per source. */
  | { type: 'ingested'; drill: string; sources: Partial<Record<SourceName, SourceIngestCounts>> }
  /** A finding the detector just published. */
  | { type: 'finding'; drill: string; finding: Finding }
  | { type: 'remediation'; drill: string; arn: string; playbook: string; status: string; findingId?: string; steps: RemediationStep[] }
  | { type: 'scorecard'; drill: string; passed: boolean; precision: number | null; recall: number | null; falsePositives: number; findingsTotal: number; error?: string };
