import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../../core/index.ts';
import { errorMessage, firstMissing, lacks, servicesForOutcome, type OutcomeExpectation } from '../../core/index.ts';
import { startAndBootstrap, type LiveEstate } from '../../emulator/index.ts';
import { createSinks, gateOnBacklog, pumpEvents, settleSinks, type IngestLedger, type WireEvent } from '../deliver/index.ts';
import { functionLogShipper, parseScheduleExpression, startRuntime, type HandlerSpec, type InvocationRecord } from '../../runtime/index.ts';
import { balanceLedger, deliveryLedgerSummary, ledgerSummary } from '../ledger/index.ts';
import { compile, loadScenario, splitTruth, topologyOf, type Plan } from '../../scenarios/index.ts';
import { evaluateDrill, toEvaluationInput } from '../evaluate/index.ts';
import type { DrillScorecard, LedgerSummary, RemediationObservation } from '../evaluate/types.ts';
import { DEFAULT_MATCHING, namesEntities, observationExplains, wallTime, type MatchSettings } from '../match/index.ts';
import type { Observation } from '../observe/index.ts';
import { writeRunRecord, writeTruthFile } from '../score/index.ts';
import { loadSutFile, prepareSut, runLedgerHook, runPruneHook, sutFileOf, type HandlerDecl, type SutSpec } from '../sut/index.ts';
import { DrillObserver } from './drill-observer.ts';
import { EventTimeline } from './event-timeline.ts';
import type { DrillEvent } from './drill-events.ts';
import { executionSteps } from './execution-steps.ts';
import { handlerMemoryLine } from './handler-memory-line.ts';
import { executionsFor, findingNames, functionExecutions, stateMachinesOf, waitForExecutions, type RemediationExecution } from './remediation-executions.ts';
import { routeToEntry } from '../deliver/index.ts';
import { observationAsFinding } from './observation-as-finding.ts';
import { tickOnWatermark } from './watermark-ticks.ts';
import { pruneSweeper } from './prune-sweeper.ts';
import { describeExpectation, expectedOutcome } from '../verify/expected-outcomes.ts';
import { ecsDeployments } from '../verify/ecs-deployments.ts';

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
  /** 'detect' scores detection only (remediation is neither awaited nor read back). Default 'full'. */
  stage?: 'detect' | 'full';
  /** The system under test: a SUT file, or `builtin` (default), firedrill's own pipeline. */
  sut?: string;
  /** Where this drill's truth.json, findings.jsonl and run.json go (`<reportDir>/<scenario id>/`); none: not written. */
  reportDir?: string;
  /**
   * Verdicts given on findings of an earlier run (`firedrill feedback`, a SUT's feedback API). Each drill starts
   * from a wiped emulator, so they are carried over as an operator's verdicts would outlive a redeploy: handed to
   * the SUT's setup hook as FIREDRILL_FEEDBACK (JSON), which stores them where the pipeline keeps them.
   */
  feedback?: readonly object[];
  /**
   * The target is a throwaway emulator (one firedrill started itself): apply the SUT file's `prune` — its hook
   * removes what the SUT has consumed every few seconds while delivering, log streams are deleted once they hold its
   * `logStreamsAfter` events — so the emulator's memory does not grow with the events. Never set for AWS or an
   * endpoint someone gave firedrill: the data there is theirs.
   */
  pruneConsumed?: boolean;
}

export interface DrillRun {
  card: DrillScorecard;
  plan: Plan;
  truthEvents: number;
  /** What the SUT's taps showed (one per tap and id: the latest content, the first sighting). */
  observations: Observation[];
}

/** Events sent between two looks at the SUT's queues (sqs maxBacklog): one GetQueueAttributes per source each time. */
const BACKLOG_LOOK_EVERY = 2_000;

/** Wall ms between two calls of the SUT's prune hook while delivering. */
const PRUNE_EVERY_MS = 2_000;

/** Event time the schedules keep firing after the drill's last event when the SUT does not say (one minute). */
const DEFAULT_DRAIN_MS = 60_000;

/**
 * The estate's readers (and the SDK packages of its services: EC2's alone is ~7.6 MB of heap), loaded when a drill
 * reads the estate back: a module loaded before delivery stays loaded, and in V8's heap limits, for the whole drill.
 * (At module level: tsc leaves the extension of an import() inside an `await using` block unrewritten.)
 */
const loadVerify = () => import('../verify/index.ts');

/** A handler declared in the SUT file, as the drill runs it. */
function handlerForDrill(h: HandlerDecl, onEmulator: boolean): HandlerSpec {
  // On an emulator a failed SQS message comes back after a second rather than the queue's visibility timeout
  // (retry semantics unchanged; the drill does not wait minutes for a retry).
  if (h.trigger.type === 'sqs' && onEmulator) return { ...h, trigger: { ...h.trigger, failedVisibilitySeconds: 1 } };
  return h;
}

/** Event time up to which a drill fires the SUT's schedules: its last event plus the longest drain declared. */
function scheduleHorizon(spec: SutSpec, plan: Plan): number {
  const drains = spec.handlers.flatMap((h) => (h.trigger.type === 'schedule' ? [h.trigger.drainMs ?? DEFAULT_DRAIN_MS] : []));
  return plan.window.end + (drains.length ? Math.max(...drains) : 0);
}

/**
 * How the schedules fire while delivering, when every one declares its lateness (the runtime ticks them all at once):
 * every one invocation's worth of event time (interval × coalesce, the longest), up to the delivery watermark minus
 * the longest lateness.
 */
function watermarkTicking(spec: SutSpec, from: number): { everyMs: number; latenessMs: number; handlers: string[] } | undefined {
  const schedules = spec.handlers.flatMap((h) => (h.trigger.type === 'schedule' ? [{ name: h.name, ...h.trigger }] : []));
  const declared = schedules.flatMap((t) => (t.latenessMs !== undefined ? [{ ...t, latenessMs: t.latenessMs }] : []));
  if (declared.length === 0 || declared.length < schedules.length) return undefined;
  const everyMs = Math.max(
    ...declared.map((t) => {
      const s = parseScheduleExpression(t.expression);
      const first = s.nextAfter(from) ?? from;
      return ((s.nextAfter(first) ?? first) - first) * t.coalesce;
    }),
  );
  return everyMs > 0 ? { everyMs, latenessMs: Math.max(...declared.map((t) => t.latenessMs)), handlers: declared.map((t) => t.name) } : undefined;
}

/**
 * One drill, end to end, against any system under test: bootstrap the estate (the harness's side), create the
 * SUT's resources and run its setup hook (its side), compile the scenario, open the SUT's taps, deliver the logs
 * to its entry points while its handlers run as Lambda would, fire its schedules over event time, wait for its
 * remediation executions (deadlines, never fixed sleeps), read the estate back through the AWS API, and score
 * what the taps showed against the truth the harness kept aside.
 */
export async function runDrill(file: string, opts: RunDrillOptions = {}): Promise<DrillRun> {
  const t0 = Date.now();
  const scenario = await loadScenario(file);
  let phaseNow: DrillPhase = 'bootstrap';
  const say = (phase: DrillPhase, detail: string) => {
    phaseNow = phase;
    opts.onProgress?.({ drill: scenario.id, phase, detail, elapsedMs: Date.now() - t0 });
  };
  // What the taps see while delivering (a schedule fired at the delivery watermark, a handler on a queue) is said in
  // the ingest phase: a line of the detect phase marks where delivery ended.
  const sayObserved = (detail: string) => say(phaseNow === 'ingest' ? 'ingest' : 'detect', detail);
  const emit = opts.onEvent;
  const target = opts.target ?? 'moto';
  // Read before anything starts: a bad SUT file fails in milliseconds, located.
  const sut = await loadSutFile(sutFileOf(opts.sut));
  const topology = topologyOf(scenario, sut.data.estate);

  say('bootstrap', `bootstrapping the estate on ${opts.endpoint ?? 'AWS'}`);
  // Each drill starts from a clean emulator so one drill's findings, state and remediation never leak into
  // the next; on AWS nothing is wiped (bootstrap is idempotent there).
  // The estate only: the plumbing (queues, tables, streams, subscriptions, state machines) is the SUT's own and
  // comes from its file. A deployed SUT lives on the target already: it is never wiped.
  const deployed = sut.data.mode === 'deployed';
  const live: LiveEstate = await startAndBootstrap({ ...(opts.endpoint ? { endpoint: opts.endpoint } : {}), target: target === 'aws' ? 'aws' : 'emulator', reset: target !== 'aws' && !deployed, topology });
  try {
    const { clients, ids, capabilities } = live;
    if (capabilities.missing.length) say('bootstrap', `${capabilities.target} lacks ${capabilities.missing.map((m) => m.service).join(', ')}: left out of the estate; what needs them is reported as unsupported on this target`);
    say('bootstrap', `preparing the system under test ${sut.data.name}`);
    // `${estate:declaration}`: the drill's estate declaration as JSON (names, log groups, source map, dependencies), for
    // a SUT whose handlers route by it, as the builtin's normalizer and detector do (FIREDRILL_ESTATE).
    const sutEstate = { ...ids, declaration: JSON.stringify(topology.declaration ?? {}) };
    const prepared = await prepareSut({ sut, clients, prefix: topology.prefix, estate: sutEstate, ...(topology.declaration ? { declaration: topology.declaration } : {}), log: (line) => say('bootstrap', line), ...(opts.feedback?.length ? { env: { ...process.env, FIREDRILL_FEEDBACK: JSON.stringify(opts.feedback) } } : {}) });
    if (opts.feedback?.length) say('bootstrap', `${opts.feedback.length} verdict(s) from an earlier run handed to ${sut.data.name}'s setup`);
    const spec = prepared.spec;
    const full = opts.stage !== 'detect';
    const before = !full || lacks(capabilities, 'ecs') ? {} : { ecsDeploymentId: (await ecsDeployments(clients, ids.ecs.clusterName, ids.ecs.serviceName)).primaryId };

    say('compile', `compiling ${scenario.id} (seed ${opts.seed ?? scenario.seed})`);
    const plan = compile(scenario, ids, { topology, file, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
    const timeline = new EventTimeline(plan.window.start, plan.window.end, 30_000);
    emit?.({ type: 'plan', drill: scenario.id, title: scenario.title, window: plan.window, incidents: plan.incidents.map((i) => ({ id: i.id, kind: i.kind, window: i.window, entities: i.entities })) });
    const wallStarts = new Map<string, number>();
    let truthEvents = 0;
    let sent = 0;
    const route = routeToEntry(spec.entry);
    const events = (function* (): Generator<WireEvent> {
      const truth = splitTruth(plan.events(), (t) => {
        truthEvents++;
        // The events are generated as the sinks take them: this is when the incident's first event is sent.
        if (!wallStarts.has(t.incidentId)) wallStarts.set(t.incidentId, Date.now());
      });
      for (const e of truth) {
        timeline.add(e.source, e.time);
        if (++sent % 5000 === 0) say('ingest', `${sent} events sent`);
        if (emit && sent % 1000 === 0) emit({ type: 'timeline', drill: scenario.id, ...timeline.toTimeline() });
        yield route(e);
      }
    })();

    const dir = opts.reportDir ? join(opts.reportDir, scenario.id) : undefined;
    const findingsFile = dir ? join(dir, 'findings.jsonl') : undefined;
    // Written empty at the start: a SUT that observed nothing still leaves a findings file, so `firedrill score`
    // and `compare` score the drill (all misses) instead of finding no drill there.
    if (dir && findingsFile) {
      await mkdir(dir, { recursive: true });
      await writeFile(findingsFile, '');
    }
    const remediationFunctions = new Set(spec.remediation.functions);
    const invocations: InvocationRecord[] = [];
    // waitReady false: the provisioned handlers load while the taps open and the sinks start, as provisioned Lambdas
    // are ready before their first event; the others start on their first invocation (a cold start).
    // What a handler prints goes to /aws/lambda/<function>, as on Lambda, when a tap reads such a group (a SUT
    // whose findings are lines it prints, e.g. seeds/004's RCA line).
    const handlerNames = new Set(spec.handlers.map((h) => h.name));
    const shipsLogs = spec.findings.some((t) => t.source.type === 'logs' && t.source.logGroup.startsWith('/aws/lambda/') && handlerNames.has(t.source.logGroup.slice('/aws/lambda/'.length)));
    const shipper = shipsLogs ? functionLogShipper({ clients, onError: sayObserved }) : undefined;
    await using runtime = await startRuntime({
      clients,
      account: prepared.account,
      ...(shipper ? { onLog: (l) => shipper.onLog(l) } : {}),
      handlers: spec.handlers.map((h) => handlerForDrill(h, live.endpoint !== undefined)),
      sut: spec.name,
      eventTimeStartMs: plan.window.start,
      waitReady: false,
      onInvocation: (r) => {
        if (remediationFunctions.has(r.handler)) invocations.push(r);
      },
    });
    const observer = await DrillObserver.open({
      clients,
      account: prepared.account,
      taps: spec.findings,
      runtime,
      ...(findingsFile ? { findingsFile } : {}),
      warn: sayObserved,
      onObservations: (seen) => {
        if (emit) for (const o of seen) emit({ type: 'finding', drill: scenario.id, finding: observationAsFinding(o) });
        sayObserved(`${seen.length} finding(s) observed: ${[...new Set(seen.map((o) => o.kind ?? o.tap))].join(', ')}`);
      },
    });
    let observations: Observation[];
    let ingest: IngestLedger;
    let ledgerP: Promise<LedgerSummary>;
    let executions: RemediationExecution[] = [];
    try {
      say('ingest', `delivering to ${spec.name}'s entry points (CloudWatch Logs / Firehose / Kinesis / S3)`);
      const prune = opts.pruneConsumed && target !== 'aws' ? spec.prune : undefined;
      const sinks = createSinks({ clients: { logs: clients.logs, firehose: clients.firehose, s3: clients.s3, kinesis: clients.kinesis }, account: prepared.account, ...(prune?.logStreamsAfter ? { rotateStreamAfterEvents: prune.logStreamsAfter } : {}) });
      const hook = prune?.hook;
      const pruneCtx = { endpoint: clients.target.endpoint, region: clients.target.region, account: prepared.account, prefix: topology.prefix, estate: sutEstate, refs: prepared.refs, env: process.env };
      const pruner = hook
        ? pruneSweeper({ run: (state) => runPruneHook(spec.name, hook, pruneCtx, state), everyMs: PRUNE_EVERY_MS, ...(prune.maxBacklog !== undefined ? { maxBacklog: prune.maxBacklog } : {}), warn: (m) => say('ingest', m) })
        : undefined;
      // A trigger that declares a most (sqs maxBacklog) holds the sending while more waits for its handler, and a
      // prune hook with a most (prune.maxBacklog) while it has more left to remove than that.
      const held = { holds: 0, ms: 0 };
      const gated =
        spec.handlers.some((h) => h.trigger.type === 'sqs' && h.trigger.maxBacklog !== undefined) || (pruner && prune?.maxBacklog !== undefined)
        ? gateOnBacklog(events, {
            backlog: async () => [...(await runtime.backlog()), ...(pruner?.backlog() ?? [])],
            every: BACKLOG_LOOK_EVERY,
            pollMs: 250,
            // A batch takes seconds; minutes without progress is a handler that stopped: send on rather than hang.
            maxHoldMs: 300_000,
            held,
            onError: (err) => say('ingest', `not waiting for the SUT's backlog to shrink, sending on: ${errorMessage(err)}`),
          })
        : events;
      // Where the drill prunes, a schedule that declares its lateness fires while delivering (up to the delivery
      // watermark), so what its handler has read can go before delivery ends; elsewhere it fires after delivery.
      // moto only: it hands what it accepts on (subscription, Firehose, S3 notification) before it answers, so once
      // the runtime is idle every answered event has been consumed; a target that delivers later would not be.
      const ticking = prune && target === 'moto' ? watermarkTicking(spec, plan.window.start) : undefined;
      const ticks = ticking
        ? tickOnWatermark(gated, {
            ...ticking,
            settleSinks: (before) => settleSinks(sinks, before),
            settleSut: () => runtime.idle(),
            tick: async (t) => {
              say('ingest', `firing ${ticking.handlers.join(', ')}'s schedule up to ${new Date(t).toISOString().slice(11, 19)} (the delivery watermark) while delivering`);
              await runtime.tick(t);
            },
            onError: (err) => say('ingest', `the schedules fire after delivery instead: ${errorMessage(err)}`),
          })
        : undefined;
      try {
        ingest = await pumpEvents(ticks?.events ?? gated, sinks);
        await ticks?.done();
        await runtime.idle();
      } finally {
        // One sweep after the drain: what the SUT consumed last goes too (the ledger hook counts the rest as it is).
        await pruner?.stop();
      }
      emit?.({ type: 'timeline', drill: scenario.id, ...timeline.toTimeline() });
      emit?.({ type: 'ingested', drill: scenario.id, sources: ingest.sources });
      const waited = held.holds ? ` (sending held ${held.holds}× for ${(held.ms / 1000).toFixed(1)} s while ${spec.name} caught up)` : '';
      say('ingest', `${sent} events sent, the SUT drained in ${((Date.now() - t0) / 1000).toFixed(1)} s${waited}`);

      const horizon = scheduleHorizon(spec, plan);
      if (spec.handlers.some((h) => h.trigger.type === 'schedule')) say('detect', `firing the schedules over event time up to ${new Date(horizon).toISOString().slice(11, 19)}`);
      await runtime.tick(horizon);
      await runtime.idle();
      // The handlers' last lines reach their log groups before the taps' last poll.
      await shipper?.flush();
      if (spec.settleMs > 0) {
        // A SUT that runs on its own (deployed) says nothing when it is done: its taps are read while it settles.
        say('detect', `reading ${spec.name}'s taps for ${spec.settleMs / 1000} s more while it settles`);
        await new Promise((r) => setTimeout(r, spec.settleMs));
      }

      // What the SUT took in is final once its handlers are idle after the last tick: read it back while the
      // remediation executions finish (both only read), as it is part of the scorecard, not of what is awaited.
      ledgerP = spec.ledger
        ? runLedgerHook(spec.name, spec.ledger, { endpoint: clients.target.endpoint, region: clients.target.region, account: prepared.account, prefix: topology.prefix, estate: sutEstate, ...(topology.declaration ? { declaration: topology.declaration } : {}), refs: prepared.refs, env: process.env, requests: Object.keys(ingest.requests) }).then((stored) => ledgerSummary(balanceLedger(ingest, stored)))
        : Promise.resolve(deliveryLedgerSummary(ingest));
      // Awaited below (or by whoever awaits the drill's result); never left to reject unobserved meanwhile.
      ledgerP.catch(() => {});

      if (full) {
        const machines = await stateMachinesOf(clients, spec.remediation.stateMachines);
        if (machines.length) say('remediate', 'waiting for remediation executions');
        executions = [...(await waitForExecutions(clients, machines, opts.executionTimeoutMs ?? 120_000)), ...functionExecutions(invocations, spec.remediation.functions)];
      }
      observations = await observer.finish();
    } finally {
      await observer.close();
      await shipper?.close();
    }
    const wallEnd = Date.now();
    const stats = runtime.stats();
    // Every handler is idle, every remediation execution has ended and every tap is read: nothing more is awaited
    // from the SUT, so its queue pollers' long polls in flight are cut rather than run out (up to a second a drill).
    // The runtime stops while the estate is read back; the disposal at the end of this block awaits it.
    runtime.stop({ cutLongPolls: true }).catch(() => {});
    const failed = stats.filter((s) => s.errors > 0);
    if (failed.length) say('detect', `handler errors (retried as Lambda would): ${failed.map((s) => `${s.handler} ${s.errors}`).join(', ')}`);

    if (emit) for (const x of executions) emit({ type: 'remediation', drill: scenario.id, arn: x.arn, playbook: x.playbook, status: x.status, steps: x.arn.startsWith('arn:aws:states:') ? await executionSteps(clients.sfn, x.arn) : [] });

    say('verify', full ? 'reading the estate back' : 'scoring detection');
    // Each handler's Max Memory Used, as Lambda reports it: what to size its memoryMb by.
    const memory = handlerMemoryLine(stats, spec.handlers);
    if (memory) say('verify', memory);
    const planned = toEvaluationInput(plan);
    const incidents = planned.incidents.map((i) => ({
      ...i,
      // Detection only: remediation expectations are not this run's business.
      ...(full ? {} : { expectedRemediation: [] }),
      ...(wallStarts.has(i.id) ? { wallStart: wallStarts.get(i.id)! } : {}),
    }));
    const matching: MatchSettings = { ...DEFAULT_MATCHING, ...spec.matching, wallEnd };
    const remediation: RemediationObservation[] = [];
    for (const inc of incidents) {
      // What the target cannot run is not read back: the evaluator reports it as unsupported on this target.
      const expected = full ? plan.expectations.remediation.filter((r) => r.incidentId === inc.id && !firstMissing(capabilities, servicesForOutcome(r.outcome))) : [];
      if (expected.length === 0) continue;
      const mine = observations.filter((o) => observationExplains(inc, o, matching));
      const ran = executionsFor(executions, findingNames(mine), (input) => namesEntities(inc.entities, { tap: 'execution', id: input, observedAt: 0, entities: [], text: input, raw: input }));
      const exps: OutcomeExpectation[] = expected.map((r) => expectedOutcome(r, plan.incidents.find((i) => i.id === r.incidentId), ids, topology, before));
      const checks = await (await loadVerify()).verifyOutcomes(clients, exps);
      const done = ran.filter((x) => x.status === 'SUCCEEDED' && x.stopDate);
      const firstSeen = Math.min(...mine.map(wallTime));
      const lastStop = done.length ? Math.max(...done.map((x) => x.stopDate!)) : undefined;
      remediation.push({
        incidentId: inc.id,
        planned: ran.length > 0,
        executed: done.length > 0,
        executionStatus: ran.map((x) => `${x.playbook}:${x.status}`).join(', ') || undefined,
        executionArn: ran[0]?.arn,
        outcomes: checks.map((c, i) => ({ outcome: exps[i]!.outcome, expected: describeExpectation(exps[i]!), observed: c.observed, ok: c.ok })),
        timeToRemediateSeconds: lastStop !== undefined && Number.isFinite(firstSeen) ? Math.max(0, (lastStop - firstSeen) / 1000) : null,
      });
    }

    const ledger = await ledgerP;
    say('verify', `ledger ${ledger.balanced ? 'balanced' : 'UNBALANCED'}`);
    const wallSeconds = (Date.now() - t0) / 1000;
    const card = evaluateDrill({
      ...planned,
      incidents,
      observations,
      matching,
      remediation,
      ledger,
      timeline: timeline.toTimeline(),
      wallSeconds,
      capabilities,
    });
    emit?.({ type: 'scorecard', drill: scenario.id, passed: card.passed, precision: card.precision, recall: card.recall, falsePositives: card.falsePositives, findingsTotal: card.findingsTotal });
    if (dir) {
      await writeTruthFile(join(dir, 'truth.json'), { ...planned, incidents, wallStart: t0, wallEnd, matching: spec.matching, prefix: topology.prefix, region: topology.region });
      await writeRunRecord(join(dir, 'run.json'), { remediation, ledger, timeline: card.timeline!, wallSeconds });
    }
    say('done', card.passed ? (card.unlabelled ? 'unlabelled: nothing scored' : 'passed') : `failed: ${card.failures.length} expectation(s)`);
    return { card, plan, truthEvents, observations };
  } finally {
    await live.stop();
  }
}

export type { Finding };
