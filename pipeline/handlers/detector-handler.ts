import type { EC2Client } from '@aws-sdk/client-ec2';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { FiredrillError, errorMessage } from '../../core/index.ts';
import type { Finding } from '../../core/index.ts';
import { createLogger } from '../../core/index.ts';
import type { Topology } from '../../core/topology/index.ts';
import { SOURCES, type SourceName } from '../../core/index.ts';
import type { NormalizedRecord } from '../../formats/index.ts';
import { byteLimit } from './byte-limit.ts';
import { handlerContext } from './handler-environment.ts';
import {
  RecordCompactor, detectWindow, resolveConfig, windowsDue,
  type DetectorConfig, type DetectorState, type DetectTopology, type DetectWindow, type FindingChange,
} from '../detect/index.ts';
import { curatedLines, curatedTimeRange, timeOfLine } from '../normalize/index.ts';
import { DetectorStateStore, DetectorStoreError, FeedbackStore, findingItemKey } from '../store/index.ts';
import { analyzeFindings, analyzerSettingsFromEnv, type AnalyzerSettings } from '../analyze/index.ts';

export { DetectorStoreError };

const log = createLogger('detector');


export interface DetectorHandlerDeps {
  s3: S3Client;
  doc: DynamoDBDocumentClient;
  sns: SNSClient;
  /** For the asset inventory (ENI → instance), read with DescribeNetworkInterfaces; optional. */
  ec2?: EC2Client;
  topology: Topology;
  /** The alerts topic (bootstrap returns it as EstateIds.alertsTopicArn). */
  alertsTopicArn: string;
  config?: Partial<DetectorConfig>;
  /** Where the state lives in the state bucket (default `detector/state.json.gz`). */
  stateKey?: string;
  /** Most windows one invocation catches up on (default 60). */
  maxWindows?: number;
  /**
   * Gzip bytes of curated objects read and inflated at once (default 1 MiB; an object larger than this is read
   * alone), and gzip bytes kept from one window for the next (default 2 MiB; an object past it is fetched again).
   */
  readBytes?: number;
  heldBytes?: number;
  /**
   * The analyzer and its bounds (default: from the environment, FIREDRILL_ANALYZER…, which defaults to the offline
   * analyzer). `false`: no analysis.
   */
  analyzer?: AnalyzerSettings | false;
}

/**
 * One invocation. `now` is event time (the local runtime's ticker) — the handler finalizes every window that
 * ended at least `latenessMs` before it. `window` forces one window (replays, tests). An EventBridge
 * scheduled event carries `time` (ISO), used as `now`.
 */
export interface DetectorEvent {
  now?: number;
  time?: string;
  window?: DetectWindow;
}

export interface DetectorRunResult {
  windows: DetectWindow[];
  records: number;
  /** Final version of every finding created or updated by this invocation. */
  findings: Finding[];
  changes: FindingChange[];
  /** findingIds published to SNS (creation or escalation). */
  published: string[];
  /** The analyzer's work: findings analyzed, failed (kept without analysis) and left for a later invocation. */
  analysis?: { analyzed: string[]; failed: { findingId: string; error: string }[]; deferred: string[] };
}

function hourPrefixes(curatedPrefix: string, source: SourceName, from: number, to: number): string[] {
  const out: string[] = [];
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let h = Math.floor(from / 3_600_000) * 3_600_000; h < to; h += 3_600_000) {
    const d = new Date(h);
    out.push(`${curatedPrefix}source=${source}/dt=${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}/hour=${pad(d.getUTCHours())}/`);
  }
  return out;
}

/** A curated object, its gzip size as listed, and the first and last event time its name declares. */
interface CuratedObject {
  key: string;
  source: SourceName;
  bytes: number;
  min: number;
  max: number;
}

/** The body's bytes as the SDK collected them (not copied into a Buffer of their own: the reader holds several). */
async function bodyBytes(body: unknown): Promise<Uint8Array> {
  const b = body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined;
  if (!b?.transformToByteArray) return new Uint8Array(0);
  return b.transformToByteArray();
}

/**
 * The detector as a scheduled handler, a thin adapter over detectWindow: reads the curated partitions the due
 * windows span, loads and saves the state in S3 (so every invocation is stateless), upserts findings into
 * DynamoDB and publishes one SNS message per finding creation or escalation — not one per window.
 * Findings and messages are written before the state: a failed invocation is retried from the old state,
 * reproduces the same findings (deterministic ids) and re-publishes at least once.
 */
export function createDetectorHandler(deps: DetectorHandlerDeps): (event?: DetectorEvent) => Promise<DetectorRunResult> {
  const config = resolveConfig(deps.config);
  const analyzer = deps.analyzer === undefined ? analyzerSettingsFromEnv() : deps.analyzer;
  const p = deps.topology.pipeline;
  const stateStore = new DetectorStateStore(deps.s3, p.stateBucket, deps.stateKey);
  const feedbackStore = new FeedbackStore(deps.s3, p.stateBucket);
  const limit = pLimit(16);
  // The inventory changes rarely: read it at most every 10 minutes of wall time. A failure only loses enrichment.
  let inventory: { at: number; eniToInstance: Record<string, string> } | undefined;
  const loadInventory = async (): Promise<DetectTopology['inventory']> => {
    if (!deps.ec2) return undefined;
    if (inventory && Date.now() - inventory.at < 600_000) return inventory;
    const eniToInstance: Record<string, string> = {};
    try {
      // Loaded here, not with the module: EC2's package costs about 0.75 s of CPU, a cold start that only VPC Flow
      // windows need.
      const { DescribeNetworkInterfacesCommand } = await import('@aws-sdk/client-ec2');
      let token: string | undefined;
      do {
        const r = await deps.ec2.send(new DescribeNetworkInterfacesCommand({ NextToken: token }));
        for (const ni of r.NetworkInterfaces ?? []) if (ni.NetworkInterfaceId && ni.Attachment?.InstanceId) eniToInstance[ni.NetworkInterfaceId] = ni.Attachment.InstanceId;
        token = r.NextToken;
      } while (token);
      inventory = { at: Date.now(), eniToInstance };
    } catch (err) {
      log.warn({ err: errorMessage(err) }, 'cannot read the ENI inventory; VPC findings will name ENIs only');
      return inventory;
    }
    return inventory;
  };

  /** The curated objects of [from, to): listed once per invocation, each with the event-time range its name declares. */
  const listCurated = async (from: number, to: number): Promise<CuratedObject[]> => {
    const found: CuratedObject[] = [];
    const prefixes = SOURCES.flatMap((source) => hourPrefixes(p.curatedPrefix, source, from, to).map((prefix) => ({ source, prefix })));
    await Promise.all(prefixes.map(({ source, prefix }) => limit(async () => {
      for await (const page of paginateListObjectsV2({ client: deps.s3 }, { Bucket: p.curatedBucket, Prefix: prefix })) {
        for (const o of page.Contents ?? []) {
          if (!o.Key?.endsWith('.ndjson.gz')) continue;
          // A name without a range (another writer) may hold any time of its hour.
          const range = curatedTimeRange(o.Key) ?? { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY };
          if (range.min < to && range.max >= from) found.push({ key: o.Key, source, bytes: o.Size ?? 0, ...range });
        }
      }
    })));
    return found;
  };

  /**
   * One window's records, from the objects that overlap it. Only the window's lines are parsed (the time sits in
   * the head of a curated line); an object that reaches into a later window of this invocation keeps its gzip bytes
   * until then (up to `heldBytes`; past it, fetched again), so it is mostly fetched once. What an invocation holds
   * is one window of records, never an hour, and a bounded number of gzip bytes: objects are read by their size,
   * not by count (they range from a few to several hundred kilobytes of gzip, a few megabytes inflated).
   */
  const reads = byteLimit(deps.readBytes ?? 1024 * 1024);
  const heldBudget = deps.heldBytes ?? 2 * 1024 * 1024;
  const readWindow = async (objects: CuratedObject[], held: Map<string, Uint8Array>, w: DetectWindow, next: DetectWindow | undefined, topology: DetectTopology): Promise<NormalizedRecord[]> => {
    const out: NormalizedRecord[] = [];
    // Held as the detector reads them (see compact-record.ts), entities completed with the inventory detectWindow is
    // given: a window of parsed records is most of what an invocation holds.
    const compactor = new RecordCompactor(topology.inventory?.eniToInstance);
    // Bodies kept for the next window count against heldBudget from the moment they are kept.
    let heldNow = 0;
    for (const gz of held.values()) heldNow += gz.byteLength;
    await Promise.all(objects.filter((o) => o.min < w.end && o.max >= w.start).map((o) => reads(o.bytes, async () => {
      let gz = held.get(o.key);
      if (gz) {
        held.delete(o.key);
        heldNow -= gz.byteLength;
      } else {
        const r = await deps.s3.send(new GetObjectCommand({ Bucket: p.curatedBucket, Key: o.key }));
        gz = await bodyBytes(r.Body);
      }
      if (next && o.max >= next.start && heldNow + gz.byteLength <= heldBudget) {
        held.set(o.key, gz);
        heldNow += gz.byteLength;
      }
      // Streamed: one inflated chunk at a time, not the object as one string and an array of its lines.
      for await (const line of curatedLines(gz)) {
        const t = timeOfLine(line);
        if (t !== undefined && (t < w.start || t >= w.end)) continue;
        out.push(compactor.compact(JSON.parse(line) as NormalizedRecord));
      }
    })));
    // Listing order is not event order; the detector does not care, but stable input keeps runs reproducible.
    return out.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };

  return async (event: DetectorEvent = {}) => {
    let state = await stateStore.load();
    // Verdicts are read on every invocation: one given a minute ago applies from the next window on.
    const feedback = await feedbackStore.load();
    const windowConfig = feedback.length ? { ...config, feedback } : config;
    const now = event.now ?? (event.time ? Date.parse(event.time) : Date.now());
    const windows = event.window ? [event.window] : windowsDue(state, now, config, deps.maxWindows ?? 60);
    if (windows.length === 0) return { windows, records: 0, findings: [], changes: [], published: [] };

    const readFailed = (err: unknown) => new DetectorStoreError(`cannot read curated partitions from s3://${p.curatedBucket}/${p.curatedPrefix}`, { expected: 'List/GetObject to succeed', seen: errorMessage(err), cause: err });
    let objects: CuratedObject[];
    try {
      objects = await listCurated(windows[0]!.start, windows[windows.length - 1]!.end);
    } catch (err) {
      throw readFailed(err);
    }

    // The inventory names the instance behind a VPC Flow record's ENI: read only when there are such records.
    const inventory = objects.some((o) => o.source === 'vpcflow') ? await loadInventory() : undefined;
    const topology: DetectTopology = { dependencies: deps.topology.dependencies, ...(inventory ? { inventory } : {}) };
    const latest = new Map<string, Finding>();
    const changeOf = new Map<string, FindingChange['change']>();
    const rank = { updated: 0, escalated: 1, created: 2 } as const;
    const held = new Map<string, Uint8Array>();
    let records = 0;
    /**
     * One window, read and detected in a frame of its own: an async function keeps its locals in a suspended frame
     * across awaits, so a window's records held in this loop's frame would stay alive while the next window is read
     * (two windows at the peak instead of one). Only the result (state, findings, changes) leaves this frame.
     */
    const detectNext = async (n: number, w: DetectWindow, from: DetectorState): Promise<ReturnType<typeof detectWindow> & { records: number }> => {
      let inWindow: NormalizedRecord[];
      try {
        inWindow = await readWindow(objects, held, w, windows[n + 1], topology);
      } catch (err) {
        throw readFailed(err);
      }
      return { ...detectWindow(from, inWindow, w, topology, windowConfig), records: inWindow.length };
    };
    for (const [n, w] of windows.entries()) {
      const res = await detectNext(n, w, state);
      records += res.records;
      state = res.state;
      for (const f of res.findings) latest.set(f.findingId, f);
      for (const ch of res.changes) {
        const prev = changeOf.get(ch.findingId);
        if (!prev || rank[ch.change] > rank[prev]) changeOf.set(ch.findingId, ch.change);
      }
    }

    const findings = [...latest.values()];
    // A verdict given on a finding stays on its item when the detector updates it later (the Put replaces the item).
    for (const e of feedback) {
      const f = latest.get(e.findingId);
      if (f && (!f.feedback || f.feedback.at <= e.at)) f.feedback = { verdict: e.verdict, at: e.at, ...(e.note ? { note: e.note } : {}) };
    }
    const analysis = analyzer ? await analyze(findings, changeOf, state, analyzer) : undefined;
    const updatedAt = windows[windows.length - 1]!.end;
    try {
      await Promise.all(findings.map((f) => limit(() => deps.doc.send(new PutCommand({ TableName: p.findingsTable, Item: { ...findingItemKey(f.findingId), ...f, updatedAt } })))));
    } catch (err) {
      throw new DetectorStoreError(`cannot write findings to DynamoDB table ${p.findingsTable}`, { expected: 'PutItem to succeed', seen: errorMessage(err), cause: err });
    }
    const toPublish = findings.filter((f) => changeOf.get(f.findingId) === 'created' || changeOf.get(f.findingId) === 'escalated');
    try {
      await Promise.all(toPublish.map((f) => limit(() => deps.sns.send(new PublishCommand({
        TopicArn: deps.alertsTopicArn,
        Subject: `firedrill ${f.severity} ${f.kind}`.slice(0, 100),
        Message: JSON.stringify(f),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: f.kind },
          severity: { DataType: 'String', StringValue: f.severity },
          change: { DataType: 'String', StringValue: changeOf.get(f.findingId)! },
        },
      })))));
    } catch (err) {
      throw new DetectorStoreError(`cannot publish findings to ${deps.alertsTopicArn}`, { expected: 'Publish to succeed', seen: errorMessage(err), cause: err });
    }
    await stateStore.save(state);
    log.debug({ windows: windows.length, records, findings: findings.length, published: toPublish.length }, 'detector run');
    return {
      windows,
      records,
      findings,
      changes: [...changeOf].map(([findingId, change]) => ({ findingId, change })),
      published: toPublish.map((f) => f.findingId),
      ...(analysis ? { analysis } : {}),
    };
  };
}

/**
 * The analyzer runs after the findings are decided and before they are stored and published, so the stored item
 * and the SNS message carry the analysis. New and escalated findings first, then any still without one (left over
 * by an earlier invocation's bound or failure), at most `maxPerRun`. The analysis is kept on the finding in the
 * detector state too, so later updates of the same finding still carry it. A failure only costs the analysis.
 */
async function analyze(findings: Finding[], changeOf: Map<string, FindingChange['change']>, state: DetectorState, settings: AnalyzerSettings): Promise<NonNullable<DetectorRunResult['analysis']>> {
  const fresh = (f: Finding) => changeOf.get(f.findingId) === 'created' || changeOf.get(f.findingId) === 'escalated';
  const todo = [...findings.filter(fresh), ...findings.filter((f) => !fresh(f) && !f.analysis)];
  const r = await analyzeFindings(todo, settings.analyzer, { maxPerRun: settings.maxPerRun, timeoutMs: settings.timeoutMs });
  const episodes = new Map([...state.episodes.open, ...state.episodes.closed].map((f) => [f.findingId, f]));
  for (const f of findings) {
    const a = r.analyses.get(f.findingId);
    if (!a) continue;
    f.analysis = a;
    const kept = episodes.get(f.findingId);
    if (kept) kept.analysis = a;
    if (a.fallbackReason) log.warn({ findingId: f.findingId, reason: a.fallbackReason }, 'analyzer answer unusable; the offline analysis stands in');
  }
  for (const x of r.failed) log.warn({ findingId: x.findingId, err: x.error }, 'analysis failed; the finding is kept without one');
  return { analyzed: [...r.analyses.keys()], failed: r.failed, deferred: r.deferred };
}

let deployed: ((event?: DetectorEvent) => Promise<DetectorRunResult>) | undefined;

/** The Lambda entry point (EventBridge Scheduler): clients and topology from the environment (see HANDLER_ENVIRONMENT; FIREDRILL_ESTATE, the declared estate). */
export const handler = (event?: DetectorEvent): Promise<DetectorRunResult> => {
  if (!deployed) {
    const { clients, topology } = handlerContext();
    const topicArn = process.env.FIREDRILL_ALERTS_TOPIC_ARN;
    if (!topicArn) {
      throw new FiredrillError('detector handler: no alerts topic', { expected: 'FIREDRILL_ALERTS_TOPIC_ARN in the environment', seen: 'unset', fix: 'set it to the bootstrap\'s alertsTopicArn' });
    }
    deployed = createDetectorHandler({ s3: clients.s3, doc: clients.doc, sns: clients.sns, ec2: clients.ec2, topology, alertsTopicArn: topicArn });
  }
  return deployed(event);
};
