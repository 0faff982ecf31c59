import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { defaultTopology } from '../../core/topology/index.ts';
import type { Finding } from '../../core/index.ts';
import { firstMissing, lacks, pollUntil, servicesForOutcome } from '../../core/index.ts';
import { formats } from '../../formats/index.ts';
import { startAndBootstrap, type LiveEstate } from '../../emulator/index.ts';
import { runIngest } from '../deliver/index.ts';
import { startRuntime } from '../../runtime/index.ts';
import { createDetectorHandler } from '../../pipeline/handlers/index.ts';
import { createDispatcherHandler } from '../../pipeline/handlers/index.ts';
import { DEFAULT_DETECTOR_CONFIG } from '../../pipeline/detect/index.ts';
import type { WireEvent } from '../deliver/types.ts';
import { balanceLedger, type PipelineLedger } from '../ledger/index.ts';
import { findingFromItem, isFindingItem, readStoredCounts } from '../../pipeline/store/index.ts';
import { createDispatcher, deployPlaybooks, safetyConfigFromEnv, type OutcomeExpectation } from '../../pipeline/remediate/index.ts';
import { ecsDeployments, verifyOutcomes } from '../verify/index.ts';
import { compile, loadScenario, splitTruth, type Plan } from '../../scenarios/index.ts';
import { evaluateDrill, findingExplainedBy, toEvaluationInput } from '../evaluate/index.ts';
import type { DrillScorecard, LedgerSummary, RemediationObservation } from '../evaluate/types.ts';
import { EventTimeline } from './event-timeline.ts';
import type { DrillEvent } from './drill-events.ts';
import { executionSteps } from './execution-steps.ts';
import { describeExpectation, expectedOutcome } from '../verify/expected-outcomes.ts';

export type DrillTarget = 'moto' | 'localstack' | 'aws';

export type DrillPhase = 'bootstrap' | 'compile' | 'ingest' | 'detect' | 'remediate' | 'verify' | 'done';

export interface DrillProgress {
  drill: string;
  phase: DrillPhase;
  detail: string;
  /** Wall time since the drill started. */
  elapsedMs: number;
}

export interface RunDrillOptions {
  /** The emulator (or LocalStack) endpoint to use; undefined with target aws means the real AWS endpoints. */
  endpoint?: string;
  target?: DrillTarget;
  seed?: string | number;
  onProgress?: (p: DrillProgress) => void;
  /** What the drill does as it happens (plan, timeline, findings, remediation, scorecard): the live page and /metrics. */
  onEvent?: (e: DrillEvent) => void;
  /** Deadline for remediation executions to finish (wall ms). */
  executionTimeoutMs?: number;
  /** 'detect' stops after detection (no playbooks, no dispatcher) and scores detection only. Default 'full'. */
  stage?: 'detect' | 'full';
}

export interface DrillRun {
  card: DrillScorecard;
  plan: Plan;
  truthEvents: number;
}

function ledgerSummary(l: PipelineLedger): LedgerSummary {
  const totals = { generated: 0, accepted: 0, rejected: 0, landed: 0, normalized: 0, quarantined: 0, duplicates: 0 };
  const perSource: Record<string, Record<string, number>> = {};
  for (const [src, s] of Object.entries(l.sources)) {
    if (!s) continue;
    const rejected = Object.values(s.rejected).reduce<number>((a, b) => a + (b ?? 0), 0);
    const quarantined = Object.values(s.quarantined).reduce((a, b) => a + b, 0);
    const row = { generated: s.generated, accepted: s.accepted, rejected, landed: s.landed, normalized: s.normalized, quarantined, duplicates: s.duplicates };
    perSource[src] = row;
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += row[k];
  }
  return { balanced: l.balanced, totals, perSource };
}

/**
 * One drill, end to end: bootstrap the estate, compile the scenario, push its logs through the real
 * pipeline, tick the detector over event time, let the dispatcher start remediation executions, wait for
 * them (deadlines, never fixed sleeps), read findings / executions / estate back through the AWS API, and
 * score all of it against the truth the harness kept aside.
 */
/** Windows per detector invocation during a drill (see the ticker below). */
const TICK_WINDOWS = 5;

export async function runDrill(file: string, opts: RunDrillOptions = {}): Promise<DrillRun> {
  const t0 = Date.now();
  const scenario = await loadScenario(file);
  const say = (phase: DrillPhase, detail: string) => opts.onProgress?.({ drill: scenario.id, phase, detail, elapsedMs: Date.now() - t0 });
  const emit = opts.onEvent;
  const target = opts.target ?? 'moto';
  const topology = defaultTopology({ ...(scenario.estate?.prefix ? { prefix: scenario.estate.prefix } : {}), ...(scenario.estate?.region ? { region: scenario.estate.region } : {}) });

  say('bootstrap', `bootstrapping the estate on ${opts.endpoint ?? 'AWS'}`);
  // Each drill starts from a clean emulator so one drill's findings, state and remediation never leak into
  // the next; on AWS nothing is wiped (bootstrap is idempotent there).
  const live: LiveEstate = await startAndBootstrap({ ...(opts.endpoint ? { endpoint: opts.endpoint } : {}), target: target === 'aws' ? 'aws' : 'emulator', reset: target !== 'aws', topology });
  try {
    const { clients, ids, capabilities } = live;
    if (capabilities.missing.length) say('bootstrap', `${capabilities.target} lacks ${capabilities.missing.map((m) => m.service).join(', ')}: left out of the estate; what needs them is reported as unsupported on this target`);
    const safety = safetyConfigFromEnv(process.env, target === 'aws' ? { target: 'aws' } : { target: 'emulator' });
    const full = opts.stage !== 'detect';
    const playbooks = full ? await deployPlaybooks(clients, topology, ids) : undefined;
    const before = lacks(capabilities, 'ecs') ? {} : { ecsDeploymentId: (await ecsDeployments(clients, ids.ecs.clusterName, ids.ecs.serviceName)).primaryId };

    say('compile', `compiling ${scenario.id} (seed ${opts.seed ?? scenario.seed})`);
    const plan = compile(scenario, ids, { topology, file, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
    const timeline = new EventTimeline(plan.window.start, plan.window.end, 30_000);
    emit?.({ type: 'plan', drill: scenario.id, title: scenario.title, window: plan.window, incidents: plan.incidents.map((i) => ({ id: i.id, kind: i.kind, window: i.window, entities: i.entities })) });
    let truthEvents = 0;
    let sent = 0;
    const events = (function* (): Generator<WireEvent> {
      for (const e of splitTruth(plan.events(), () => truthEvents++)) {
        timeline.add(e.source, e.time);
        if (++sent % 5000 === 0) say('ingest', `${sent} events sent`);
        if (emit && sent % 1000 === 0) emit({ type: 'timeline', drill: scenario.id, ...timeline.toTimeline() });
        yield e;
      }
    })();

    say('ingest', 'sending logs through CloudWatch Logs / Firehose / S3 and normalizing');
    const ingest = await runIngest({ clients, topology, estate: ids, formats, events, readBack: false });
    // The ledger is read back from S3 while the detector runs (both only read what the normalizer wrote): it is
    // part of the scorecard, not an input of detection.
    const ledgerRead = readStoredCounts(clients.s3, topology).then(
      (stored) => balanceLedger(ingest.ingest, stored),
      (err: unknown) => err as Error,
    );
    emit?.({ type: 'timeline', drill: scenario.id, ...timeline.toTimeline() });
    emit?.({ type: 'ingested', drill: scenario.id, sources: ingest.ingest.sources });
    say('ingest', `${sent} events sent, pipeline drained in ${(ingest.timings.drainMs / 1000).toFixed(1)} s`);

    // The dispatcher listens on the alerts queue while the detector ticks, as it would on AWS.
    const publishedAt = new Map<string, number>();
    const runtime = playbooks
      ? await startRuntime({
          clients,
          account: ids.accountId,
          sut: 'builtin',
          handlers: [
            {
              name: 'dispatcher',
              runtime: 'inline',
              fn: createDispatcherHandler(createDispatcher(clients, { topology, estate: ids, stateMachineArns: playbooks.arns, safety })) as (e: unknown) => Promise<unknown>,
              timeoutMs: 60_000,
              trigger: { type: 'sqs', queueUrl: ids.queues.alerts, failedVisibilitySeconds: 1, reportBatchItemFailures: true },
            },
          ],
        })
      : undefined;
    say('detect', 'ticking the detector over event time');
    try {
      const detector = createDetectorHandler({ s3: clients.s3, doc: clients.doc, sns: clients.sns, ec2: clients.ec2, topology, alertsTopicArn: ids.alertsTopicArn });
      const { windowMs, latenessMs } = DEFAULT_DETECTOR_CONFIG;
      // The event-time ticker, as the EventBridge schedule would invoke the detector on AWS. Event time runs far
      // faster than wall time here, so each invocation finds several windows due and detects them one by one with
      // the state carried (the handler's catch-up path): the findings are the same as one window per invocation,
      // each stamped with its own window's end, and a drill makes a fifth of the S3 round trips.
      // The last invocation is at the same event time as with one window per invocation, so no extra window runs.
      const start = plan.window.start;
      const last = start + windowMs * Math.floor((plan.window.end + windowMs + latenessMs - start) / windowMs);
      // The first invocation is one window in, as before: a fresh detector starts at the window before `now`.
      for (let at = start + windowMs; ; at += windowMs * TICK_WINDOWS) {
        const now = Math.min(at, last);
        const r = await detector({ now });
        for (const id of r.published) {
          if (publishedAt.has(id)) continue;
          publishedAt.set(id, Date.now());
          const f = r.findings.find((x) => x.findingId === id);
          if (f) emit?.({ type: 'finding', drill: scenario.id, finding: f });
        }
        if (r.published.length) say('detect', `${new Date(now).toISOString().slice(11, 19)} ${r.published.length} finding(s) published: ${r.findings.filter((f) => r.published.includes(f.findingId)).map((f) => f.kind).join(', ')}`);
        if (now >= last) break;
      }
      await runtime?.idle();
    } finally {
      await runtime?.stop();
    }

    if (playbooks) say('remediate', 'waiting for remediation executions');
    const executions = playbooks ? await waitForExecutions(clients, Object.values(playbooks.arns), opts.executionTimeoutMs ?? 120_000) : [];
    if (emit) for (const x of executions) emit({ type: 'remediation', drill: scenario.id, arn: x.arn, playbook: x.playbook, status: x.status, ...(x.incidentId ? { findingId: x.incidentId } : {}), steps: await executionSteps(clients.sfn, x.arn) });

    const items = await scanAll(clients, ids.findingsTable);
    const findings = items.map(findingFromItem).filter((f) => f.findingId);

    say('verify', full ? 'reading the estate back' : 'scoring detection');
    const planned = toEvaluationInput(plan);
    // Detection only: remediation expectations are not this run's business.
    const evalInput = full ? planned : { ...planned, incidents: planned.incidents.map((i) => ({ ...i, expectedRemediation: [] })) };
    const remediation: RemediationObservation[] = [];
    for (const inc of evalInput.incidents) {
      // What the target cannot run is not read back: the evaluator reports it as unsupported on this target.
      const expected = full ? plan.expectations.remediation.filter((r) => r.incidentId === inc.id && !firstMissing(capabilities, servicesForOutcome(r.outcome))) : [];
      if (expected.length === 0) continue;
      const mine = new Set(findings.filter((f) => findingExplainedBy(inc, f)).map((f) => f.findingId));
      const ran = executions.filter((x) => x.incidentId && mine.has(x.incidentId));
      const exps: OutcomeExpectation[] = expected.map((r) => expectedOutcome(r, plan.incidents.find((i) => i.id === r.incidentId), ids, topology, before));
      const checks = await verifyOutcomes(clients, exps);
      const done = ran.filter((x) => x.status === 'SUCCEEDED' && x.stopDate);
      const firstPublished = Math.min(...[...mine].map((id) => publishedAt.get(id) ?? Infinity));
      const lastStop = done.length ? Math.max(...done.map((x) => x.stopDate!)) : undefined;
      remediation.push({
        incidentId: inc.id,
        planned: ran.length > 0,
        executed: done.length > 0,
        executionStatus: ran.map((x) => `${x.playbook}:${x.status}`).join(', ') || undefined,
        executionArn: ran[0]?.arn,
        outcomes: checks.map((c, i) => ({ outcome: exps[i]!.outcome, expected: describeExpectation(exps[i]!), observed: c.observed, ok: c.ok })),
        timeToRemediateSeconds: lastStop !== undefined && Number.isFinite(firstPublished) ? Math.max(0, (lastStop - firstPublished) / 1000) : null,
      });
    }

    const ledger = await ledgerRead;
    if (ledger instanceof Error) throw ledger;
    say('verify', `ledger ${ledger.balanced ? 'balanced' : 'UNBALANCED'}`);
    const card = evaluateDrill({
      ...evalInput,
      findings,
      remediation,
      ledger: ledgerSummary(ledger),
      timeline: timeline.toTimeline(),
      wallSeconds: (Date.now() - t0) / 1000,
      capabilities,
    });
    emit?.({ type: 'scorecard', drill: scenario.id, passed: card.passed, precision: card.precision, recall: card.recall, falsePositives: card.falsePositives, findingsTotal: card.findingsTotal });
    say('done', card.passed ? 'passed' : `failed: ${card.failures.length} expectation(s)`);
    return { card, plan, truthEvents };
  } finally {
    await live.stop();
  }
}

interface ExecutionView {
  arn: string;
  playbook: string;
  status: string;
  incidentId?: string;
  stopDate?: number;
}

/** Lists every execution of the playbooks and waits until none is RUNNING (deadline, not a sleep). */
async function waitForExecutions(clients: LiveEstate['clients'], stateMachineArns: string[], timeoutMs: number): Promise<ExecutionView[]> {
  const list = async () => {
    const all: ExecutionView[] = [];
    for (const sm of stateMachineArns) {
      let token: string | undefined;
      do {
        const r = await clients.sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, nextToken: token }));
        for (const x of r.executions ?? []) all.push({ arn: x.executionArn!, playbook: sm.split(':').pop()!, status: x.status ?? 'UNKNOWN', ...(x.stopDate ? { stopDate: x.stopDate.getTime() } : {}) });
        token = r.nextToken;
      } while (token);
    }
    return all;
  };
  const finished = await pollUntil(async () => {
    const all = await list();
    return all.every((x) => x.status !== 'RUNNING') ? all : undefined;
  }, { timeoutMs, what: 'remediation executions to finish', intervalMs: 200 });
  for (const x of finished) {
    const d = await clients.sfn.send(new DescribeExecutionCommand({ executionArn: x.arn }));
    try {
      const input = JSON.parse(d.input ?? '{}') as { incidentId?: string; finding?: { findingId?: string } };
      x.incidentId = input.incidentId ?? input.finding?.findingId;
    } catch {
      // An input that is not JSON belongs to no incident; it stays unattributed.
    }
  }
  return finished;
}

async function scanAll(clients: LiveEstate['clients'], table: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let key: Record<string, unknown> | undefined;
  do {
    const r = await clients.doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: key }));
    for (const item of r.Items ?? []) if (isFindingItem(item)) out.push(item);
    key = r.LastEvaluatedKey;
  } while (key);
  return out;
}

export type { Finding };
