import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { STSClient } from '@aws-sdk/client-sts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Finding } from '../../core/index.ts';
import type { EstateIds, Topology } from '../../core/topology/index.ts';
import type { FindingKind } from '../../core/index.ts';
import { AuditLog, auditKeys, type AuditRecord } from './audit-log.ts';
import { executionArnFor, executionNameFor } from './execution-name.ts';
import { lookupPlaybook, PLAYBOOK_TABLE, SYMPTOM_KINDS, type PlaybookRule } from './playbook-table.ts';
import { playbookSpec, type PlaybookName } from './playbooks/index.ts';
import { MissingInputError } from './playbooks/inputs.ts';
import type { ManagedTarget, OutcomeExpectation, PlaybookExecutionInput } from './playbooks/types.ts';
import { AccountNotAllowedError, assertAccountAllowed } from './safety/account-guard.ts';
import { cascadeVerdict, dependenciesOf, findingNode, type CascadeFacts } from './safety/cascade.ts';
import { breakerVerdict, recentActionCounts, recordActions } from './safety/circuit-breaker.ts';
import { describeTarget, readManagedState, type TagReaderClients } from './safety/managed-tags.ts';
import type { SafetyConfig } from './safety/safety-config.ts';

export type DispatchStatus =
  | 'started'
  | 'duplicate'
  | 'dry-run'
  | 'refused-unmanaged'
  | 'refused-account'
  | 'circuit-open'
  | 'suppressed-cascade'
  | 'no-playbook'
  | 'missing-input';

/** What would run (dry-run) or runs (live) for one finding. */
export interface DispatchPlan {
  playbook: PlaybookName;
  stateMachineArn: string;
  executionName: string;
  input: PlaybookExecutionInput<unknown>;
  targets: ManagedTarget[];
  resourceKeys: string[];
  outcomes: OutcomeExpectation[];
}

export interface DispatchResult {
  status: DispatchStatus;
  incidentId: string;
  findingKind: FindingKind;
  playbook?: PlaybookName;
  executionArn?: string;
  reason?: string;
  plan?: DispatchPlan;
}

export interface DispatcherClients extends TagReaderClients {
  sfn: Pick<SFNClient, 'send'>;
  sts: Pick<STSClient, 'send'>;
  doc: Pick<DynamoDBDocumentClient, 'send'>;
}

export interface DispatcherConfig {
  topology: Topology;
  estate: EstateIds;
  /** From deployPlaybooks(). A playbook without a state machine is treated as having none. */
  stateMachineArns: Partial<Record<PlaybookName, string>>;
  safety: SafetyConfig;
  /** Default PLAYBOOK_TABLE. */
  table?: Partial<Record<FindingKind, PlaybookRule[]>>;
  /** Default Date.now (a drill may run on a virtual clock). */
  now?: () => number;
}

export interface Dispatcher {
  /** Decide about one finding and act on the decision (start, plan, refuse, skip), auditing it. */
  dispatch(finding: Finding): Promise<DispatchResult>;
  /** Order matters within a batch: root causes first, so their symptoms see them. One failure spoils no other. */
  dispatchAll(findings: Finding[]): Promise<PromiseSettledResult<DispatchResult>[]>;
  readonly audit: AuditLog;
}

const MARKER_STATUSES: ReadonlySet<DispatchStatus> = new Set(['started', 'dry-run', 'refused-unmanaged', 'suppressed-cascade', 'no-playbook', 'missing-input', 'duplicate']);

/** root-cause → other findings → symptoms: within one batch a symptom is decided after what explains it. */
export function dispatchOrder(f: Pick<Finding, 'kind'>): number {
  if (f.kind === 'root-cause') return 0;
  return SYMPTOM_KINDS.includes(f.kind) ? 2 : 1;
}

/**
 * The dispatcher's decisions, in order: one decision per incident (a recorded one is final: repeats are
 * duplicates) → playbook table → cascade rule → account allowlist → managed tags → circuit breaker → dry-run →
 * StartExecution with the incident's deterministic name. Every decision is written to the audit table.
 */
export function createDispatcher(clients: DispatcherClients, config: DispatcherConfig): Dispatcher {
  const audit = new AuditLog(clients.doc, config.estate.auditTable);
  const now = config.now ?? Date.now;
  const table = config.table ?? PLAYBOOK_TABLE;
  const safety = config.safety;
  let accountCheck: Promise<string | undefined> | undefined;

  const base = (f: Finding, status: DispatchStatus | 'starting', at: string, extra: Record<string, unknown> = {}): AuditRecord => ({
    pk: auditKeys.incident(f.findingId),
    sk: auditKeys.dispatch,
    record: 'dispatch',
    at,
    status,
    incidentId: f.findingId,
    findingKind: f.kind,
    mode: safety.mode,
    ...extra,
  });

  async function decide(f: Finding, result: DispatchResult, at: string, extra: Record<string, unknown> = {}): Promise<DispatchResult> {
    const rec = base(f, result.status, at, { ...(result.playbook ? { playbook: result.playbook } : {}), ...(result.reason ? { reason: result.reason } : {}), ...extra });
    if (MARKER_STATUSES.has(result.status)) await audit.putIfAbsent(rec);
    // Retryable refusals are history, not the incident's final word: a later message may act.
    else await audit.put({ ...rec, sk: `decision#${at}#${result.status}`, record: 'decision' });
    return result;
  }

  async function cascadeFacts(f: Finding, at: number): Promise<CascadeFacts> {
    const explainedBy = (await audit.query(auditKeys.explained(f.findingId))).map((r) => ({
      rootCauseId: String(r.rootCauseId),
      ...(typeof r.playbook === 'string' ? { playbook: r.playbook } : {}),
    }));
    const node = findingNode(f);
    const deps = node ? dependenciesOf(node, config.topology.dependencies) : [];
    const from = `remediation#${new Date(at - safety.cascadeWindowMs).toISOString()}`;
    const dependencyRemediations = (
      await Promise.all(deps.map(async (d) => (await audit.query(auditKeys.node(d), { from, to: 'remediation#\uffff' })).map((r) => ({ node: d, playbook: String(r.playbook), incidentId: String(r.incidentId), at: r.at }))))
    ).flat();
    return { explainedBy, dependencyRemediations };
  }

  async function dispatch(f: Finding): Promise<DispatchResult> {
    const t = now();
    const at = new Date(t).toISOString();
    const head = { incidentId: f.findingId, findingKind: f.kind };

    const lookup = lookupPlaybook(f, { estate: config.estate, topology: config.topology }, table);
    const explained = f.kind === 'root-cause' ? (f.explains ?? []).filter((id) => id !== f.findingId) : [];
    // Remember what a root cause explains — also when it is re-sent with a longer chain — so those findings,
    // arriving later, are not remediated on their own.
    await Promise.all(
      explained.map((id) =>
        audit.put({ pk: auditKeys.explained(id), sk: `by#${f.findingId}`, record: 'explained-by', at, rootCauseId: f.findingId, ...(lookup.kind === 'planned' ? { playbook: lookup.playbook } : {}) }),
      ),
    );

    // One decision per incident: a repeated (updated) finding of the same incident changes nothing.
    const prior = await audit.get(auditKeys.incident(f.findingId), auditKeys.dispatch);
    if (prior && prior.status !== 'starting') {
      return { ...head, status: 'duplicate', reason: `incident already decided: ${String(prior.status)}`, ...(typeof prior.executionArn === 'string' ? { executionArn: prior.executionArn } : {}) };
    }

    if (lookup.kind === 'no-playbook') return decide(f, { ...head, status: 'no-playbook', reason: lookup.reason }, at);
    const spec = playbookSpec(lookup.playbook);
    const stateMachineArn = config.stateMachineArns[lookup.playbook];
    if (!stateMachineArn) return decide(f, { ...head, status: 'no-playbook', playbook: lookup.playbook, reason: `playbook ${lookup.playbook} is not deployed` }, at);
    let params: unknown;
    try {
      params = spec.fromInputs(lookup.inputs, { incidentId: f.findingId, tags: config.topology.tags });
    } catch (err) {
      if (err instanceof MissingInputError) return decide(f, { ...head, status: 'missing-input', playbook: lookup.playbook, reason: err.message }, at);
      throw err;
    }
    const plan: DispatchPlan = {
      playbook: lookup.playbook,
      stateMachineArn,
      executionName: executionNameFor(f.findingId),
      // requestedAt is the finding's own time, so a re-sent finding yields the very same input (StartExecution is idempotent on name + input).
      input: { incidentId: f.findingId, findingKind: f.kind, playbook: lookup.playbook, requestedAt: new Date(f.detectedAt).toISOString(), params },
      targets: spec.targets(params),
      resourceKeys: spec.resourceKeys(params),
      outcomes: spec.outcomes(params),
    };
    const withPlan = { ...head, playbook: lookup.playbook, plan };

    {
      // If a finding this root cause explains was already answered by the same playbook, it is the same incident.
      for (const id of explained) {
        const d = await audit.get(auditKeys.incident(id), auditKeys.dispatch);
        if (d && (d.status === 'started' || d.status === 'dry-run') && d.playbook === lookup.playbook) {
          return decide(f, { ...withPlan, status: 'duplicate', reason: `already remediated through ${id} by ${lookup.playbook}`, ...(typeof d.executionArn === 'string' ? { executionArn: d.executionArn } : {}) }, at);
        }
      }
    }

    const verdict = cascadeVerdict(f, await cascadeFacts(f, t), SYMPTOM_KINDS);
    if (verdict.suppress) return decide(f, { ...withPlan, status: 'suppressed-cascade', reason: verdict.reason }, at, { coveredBy: verdict.coveredBy });

    try {
      accountCheck ??= assertAccountAllowed(clients.sts, safety);
      await accountCheck;
    } catch (err) {
      if (err instanceof AccountNotAllowedError) return decide(f, { ...withPlan, status: 'refused-account', reason: err.message }, at);
      accountCheck = undefined;
      throw err;
    }

    const tagStates = await readManagedState(clients, plan.targets, safety.managedTag);
    const unmanaged = tagStates.filter((s) => s.state === 'unmanaged');
    if (unmanaged.length > 0) {
      return decide(f, { ...withPlan, status: 'refused-unmanaged', reason: `not tagged ${safety.managedTag.key}=${safety.managedTag.value}: ${unmanaged.map((s) => describeTarget(s.target)).join(', ')}` }, at);
    }
    const missing = tagStates.filter((s) => s.state === 'missing').map((s) => describeTarget(s.target));

    const breaker = breakerVerdict(await recentActionCounts(audit, plan.resourceKeys, t, safety.breakerWindowMs), safety.maxActionsPerResource);
    if (breaker.open) {
      return decide(f, { ...withPlan, status: 'circuit-open', reason: `already ${safety.maxActionsPerResource} actions within ${safety.breakerWindowMs / 60000} min on ${breaker.tripped.join(', ')}` }, at);
    }

    const node = findingNode(f);
    const nodeRecord = node ? audit.put({ pk: auditKeys.node(node), sk: `remediation#${at}#${f.findingId}`, record: 'node-remediation', at, incidentId: f.findingId, playbook: lookup.playbook }) : Promise.resolve();

    if (safety.mode === 'dry-run') {
      await nodeRecord;
      return decide(f, { ...withPlan, status: 'dry-run', reason: 'dry-run: planned, nothing changed' }, at, { planJson: JSON.stringify(plan), missingTargets: missing });
    }

    const claimed = await audit.putIfAbsent(base(f, 'starting', at, { playbook: lookup.playbook, executionName: plan.executionName, stateMachineArn }));
    if (!claimed) {
      const again = await audit.get(auditKeys.incident(f.findingId), auditKeys.dispatch);
      if (again && again.status !== 'starting') return { ...withPlan, status: 'duplicate', reason: `incident already decided: ${String(again.status)}` };
      // A 'starting' record without an execution: an earlier attempt died in between; the execution name still dedupes.
    }
    let executionArn: string;
    let status: DispatchStatus = 'started';
    try {
      const r = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn, name: plan.executionName, input: JSON.stringify(plan.input) }));
      executionArn = r.executionArn!;
    } catch (err) {
      if (!(err instanceof ExecutionAlreadyExists || (err as Error).name === 'ExecutionAlreadyExists')) throw err;
      executionArn = executionArnFor(stateMachineArn, plan.executionName);
      status = 'duplicate';
    }
    await Promise.all([
      audit.put(base(f, 'started', at, { playbook: lookup.playbook, executionName: plan.executionName, executionArn, stateMachineArn, resourceKeys: plan.resourceKeys, missingTargets: missing })),
      status === 'started' ? recordActions(audit, plan.resourceKeys, at, f.findingId, lookup.playbook) : Promise.resolve(),
      nodeRecord,
    ]);
    return { ...withPlan, status, executionArn, ...(status === 'duplicate' ? { reason: `execution ${plan.executionName} already exists` } : {}) };
  }

  return {
    audit,
    dispatch,
    async dispatchAll(findings) {
      const order = findings.map((f, i) => ({ f, i })).sort((a, b) => dispatchOrder(a.f) - dispatchOrder(b.f) || a.i - b.i);
      const out: PromiseSettledResult<DispatchResult>[] = new Array(findings.length);
      for (const { f, i } of order) {
        try {
          out[i] = { status: 'fulfilled', value: await dispatch(f) };
        } catch (reason) {
          out[i] = { status: 'rejected', reason };
        }
      }
      return out;
    },
  };
}

