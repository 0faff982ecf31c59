import type { NormalizedRecord } from '../../formats/index.ts';
import type { Finding } from '../../core/index.ts';
import type { Topology } from '../../core/topology/index.ts';
import { SOURCES, type SourceName } from '../../core/index.ts';
import { ConfigError } from '../../core/index.ts';
import { createBaseline, dynamicThreshold, isWarm, updateBaseline, type BaselineState } from './baselines.ts';
import type { Candidate } from './candidate.ts';
import { episodeKey, findingIdFor, mergeCandidates, type EpisodeState, type FindingChange } from './episodes.ts';
import { sourceFeatures } from './features.ts';
import { FOREST_SOURCES, TEXT_SOURCES, forestCandidates, learnForest, templateCandidates, type ForestSourceState, type TemplateSourceState } from './generic-detectors.ts';
import { suppressedByFeedback, type FeedbackEntry } from './feedback.ts';
import { createMiner } from './miner-state.ts';
import { rootCauses } from './rca.ts';
import { completeEntities } from './log-group-entities.ts';
import { SPARSE_AUTH_METHOD, sparseAuthCandidates, type SparseAuthState } from './sparse-auth.ts';
import { SHARE_SOURCES, shareShiftCandidates, type ShareState } from './share-shift.ts';
import { runSignatures, type KnownEntities, type Session, type SignatureContext } from './signatures.ts';

/**
 * The detector as a pure function of (state, records of one event-time window). Everything it learns lives
 * in DetectorState (plain JSON), so the handler can keep it in S3 and every invocation is stateless.
 */
export interface DetectorConfig {
  /** Event-time window length (default 60 s). */
  windowMs: number;
  /** A window is finalized only this long after its end, so late records still land in it (default 60 s). */
  latenessMs: number;
  /** No findings at all until this many windows were seen (default 5). */
  warmupWindows: number;
  /** Windows a baseline needs before baseline-relative rules may fire (default 5). */
  minHistory: number;
  /** An episode with no new evidence for this long is over (default 5 min). */
  quietGapMs: number;
  /** Findings within this span are correlated by RCA (default 15 min). */
  correlationMs: number;
  /** How long a signature session (e.g. a never-seen address of a principal) is watched (default 30 min). */
  sessionMs: number;
  /** RCA tolerance for a cause appearing slightly after its symptom (default 60 s). */
  rcaToleranceMs: number;
  /** Template miner detectors (new pattern, pattern frequency, numeric token, HTTP error codes). */
  templates: boolean;
  /** Isolation Forest outliers on per-entity vectors. */
  iforest: boolean;
  /** Categorical share shift of each source's low-cardinality fields. */
  shares: boolean;
  newPatternMinCount: number;
  iforestThreshold: number;
  seed: string;
  /** Verdicts on earlier findings (pipeline/store keeps them beside the state): what was marked benign is not raised again. */
  feedback: readonly FeedbackEntry[];
}

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = {
  windowMs: 60_000,
  latenessMs: 60_000,
  warmupWindows: 5,
  minHistory: 5,
  quietGapMs: 5 * 60_000,
  correlationMs: 15 * 60_000,
  rcaToleranceMs: 60_000,
  sessionMs: 30 * 60_000,
  templates: true,
  iforest: true,
  shares: true,
  newPatternMinCount: 10,
  iforestThreshold: 0.72,
  seed: 'firedrill-detector',
  feedback: [],
};

export interface NoveltySet {
  /** windowsSeen when the set was created: a set is warm `minHistory` windows later. */
  since: number;
  values: Record<string, number>;
}

export interface DetectorState {
  version: 1;
  windowsSeen: number;
  /** End of the last finalized window; windows ending at or before it are not processed again. */
  lastWindowEnd: number | null;
  baselines: Record<string, BaselineState>;
  novelty: Record<string, NoveltySet>;
  templates: Partial<Record<SourceName, TemplateSourceState>>;
  forest: Partial<Record<SourceName, ForestSourceState>>;
  /** Learned distributions of the sources' categorical fields (share shift); absent in states saved before it. */
  shares?: ShareState;
  /** Per entity, when it was first seen and the failed sign-ins it showed (sparse-auth.ts); absent in older states. */
  sparseAuth?: SparseAuthState;
  known: KnownEntities & { sources: SourceName[] };
  episodes: EpisodeState;
  /** Watched sessions of the signatures (e.g. a principal on a never-seen address). */
  sessions: Record<string, Session>;
  /** Weak candidates waiting for root cause analysis to corroborate them (kept for correlationMs). */
  pending?: Candidate[];
  stats: { windows: number; records: number; duplicates: number; outOfWindow: number; replayedWindows: number; candidates: number; suppressedGeneric: number; suppressedByFeedback?: number };
}

/**
 * What the detector may know about the estate besides the logs: its dependency graph and an asset inventory
 * (read through the AWS API by the handler, e.g. EC2 DescribeNetworkInterfaces), used only to enrich entities
 * — a VPC flow line names an ENI, the incident is about the instance behind it.
 */
export interface DetectTopology extends Pick<Topology, 'dependencies'> {
  inventory?: { eniToInstance?: Record<string, string> };
}

export interface DetectWindow {
  start: number;
  end: number;
}

export interface DetectResult {
  state: DetectorState;
  /** Findings created or updated by this window (copies). */
  findings: Finding[];
  /** What happened to each of them: publish `created` and `escalated`, store all. */
  changes: FindingChange[];
}

export function createDetectorState(): DetectorState {
  return {
    version: 1,
    windowsSeen: 0,
    lastWindowEnd: null,
    baselines: {},
    novelty: {},
    templates: {},
    forest: {},
    shares: {},
    sparseAuth: {},
    known: { sources: [], functions: [], buckets: [], databases: [], services: [] },
    episodes: { open: [], closed: [] },
    sessions: {},
    stats: { windows: 0, records: 0, duplicates: 0, outOfWindow: 0, replayedWindows: 0, candidates: 0, suppressedGeneric: 0 },
  };
}

export function resolveConfig(partial: Partial<DetectorConfig> = {}): DetectorConfig {
  const c = { ...DEFAULT_DETECTOR_CONFIG, ...partial };
  if (!(c.windowMs > 0) || c.latenessMs < 0 || c.minHistory < 0 || c.warmupWindows < 0) {
    throw new ConfigError('detector config out of range', {
      expected: 'windowMs > 0, latenessMs >= 0, minHistory >= 0, warmupWindows >= 0',
      seen: JSON.stringify({ windowMs: c.windowMs, latenessMs: c.latenessMs, minHistory: c.minHistory, warmupWindows: c.warmupWindows }),
    });
  }
  return c;
}

/**
 * Windows ready to finalize at event time `now`: consecutive, aligned to windowMs, each ending at least
 * latenessMs before `now`, after the state's last window (at most `max`, oldest first).
 */
export function windowsDue(state: DetectorState, now: number, partial: Partial<DetectorConfig> = {}, max = 60): DetectWindow[] {
  const c = resolveConfig(partial);
  const lastDue = Math.floor((now - c.latenessMs) / c.windowMs) * c.windowMs;
  let start = state.lastWindowEnd ?? lastDue - c.windowMs;
  if (lastDue - start > max * c.windowMs) start = lastDue - max * c.windowMs;
  const out: DetectWindow[] = [];
  for (let s = start; s + c.windowMs <= lastDue; s += c.windowMs) out.push({ start: s, end: s + c.windowMs });
  return out;
}

/**
 * Whether a method reads a failure's meaning — a signature, a rare severe line, a failure class, a 5xx surge, failed
 * sign-ins where they are rare — rather than
 * novelty alone (a new or surging template, a token or number out of range, an outlier, a share shift).
 */
export function readsAFailure(method: string): boolean {
  return method.startsWith('signature:') || method.startsWith('auth:') || /^template:(rare-severe|message-class|http-error-codes)@/.test(method);
}

/** A pending candidate as the finding it would become, for a trial run of root cause analysis. */
function pendingAsFinding(p: Candidate, detectedAt: number): Finding {
  const value = p.entities[p.primary];
  return {
    findingId: findingIdFor(p.kind, p.primary, value, p.firstSeen), kind: p.kind, entities: p.entities, primary: p.primary,
    firstSeen: p.firstSeen, lastSeen: p.lastSeen, detectedAt, score: p.score, severity: 'low', method: p.method, summary: p.summary,
    evidence: { sampleLines: p.sampleLines, features: p.features },
  };
}

const MAX_NOVELTY_VALUES = 5000;
const MAX_KNOWN = 500;

const addKnown = (list: string[], v: string | undefined) => {
  if (v && list.length < MAX_KNOWN && !list.includes(v)) list.push(v);
};

/**
 * Runs one event-time window. Pure: `state` is not modified; the returned state is a new object.
 * Records outside [window.start, window.end) are ignored and counted; duplicate ids are counted once.
 */
export function detectWindow(
  state: DetectorState,
  records: readonly NormalizedRecord[],
  window: DetectWindow,
  topology: DetectTopology,
  partial: Partial<DetectorConfig> = {},
): DetectResult {
  const c = resolveConfig(partial);
  if (!(window.end > window.start)) {
    throw new ConfigError('detectWindow: empty window', { expected: 'window.end > window.start', seen: JSON.stringify(window) });
  }
  if (state.lastWindowEnd !== null && window.end <= state.lastWindowEnd) {
    // Replayed or retried window: finalized already, so nothing may change (idempotent handler retries).
    const same = structuredClone(state);
    same.stats.replayedWindows++;
    return { state: same, findings: [], changes: [] };
  }
  const s = structuredClone(state);
  s.sessions ??= {}; // states saved before sessions existed

  // ─── Select and group the window's records ───────────────────────────────────────────────────────
  const seen = new Set<string>();
  const bySource: Partial<Record<SourceName, NormalizedRecord[]>> = {};
  // Lines their source's format could not read (fields.shape 'generic': time, level and text only) carry none
  // of the fields the per-source signatures, features and entity vectors read: they go to the template miner
  // only, which reads text.
  const genericBySource: Partial<Record<SourceName, NormalizedRecord[]>> = {};
  for (const r of records) {
    if (r.time < window.start || r.time >= window.end) {
      s.stats.outOfWindow++;
      continue;
    }
    if (seen.has(r.id)) {
      s.stats.duplicates++;
      continue;
    }
    seen.add(r.id);
    // Entities a record does not name itself may follow from the inventory (a VPC Flow record's ENI) or its log
    // group's AWS naming (see log-group-entities.ts); a record the handler completed already is kept as it is.
    const entities = completeEntities(r, topology.inventory?.eniToInstance);
    ((r.fields.shape === 'generic' ? genericBySource : bySource)[r.source] ??= []).push(entities === r.entities ? r : { ...r, entities });
    addKnown(s.known.functions, r.source === 'lambda' ? entities.function : undefined);
    addKnown(s.known.buckets, r.source === 's3access' ? r.entities.bucket : undefined);
    addKnown(s.known.databases, r.source === 'rds' ? entities.database : undefined);
    addKnown(s.known.services, r.source === 'app' || r.source === 'ecs' ? entities.service : undefined);
  }
  s.stats.records += seen.size;
  for (const src of SOURCES) if ((bySource[src]?.length || genericBySource[src]?.length) && !s.known.sources.includes(src)) s.known.sources.push(src);

  // ─── Signatures, with deferred learning ───────────────────────────────────────────────────────────
  const observations: [string, number][] = [];
  const learnings: [string, string][] = [];
  const ctx: SignatureContext = {
    window,
    records: bySource,
    threshold: (key, opts) => dynamicThreshold(isWarm(s.baselines[key], 1) ? s.baselines[key] : undefined, opts),
    warm: (key) => isWarm(s.baselines[key], c.minHistory),
    seen: (key) => {
      const b = s.baselines[key];
      return b !== undefined && (b.mean > 0 || b.ring.some((x) => x > 0));
    },
    observe: (key, value, anomalous) => {
      // Anomalies are not learned — but only once there is a baseline to judge by: during its warm-up every
      // value is learned, or a level that is high from the start would be "anomalous" forever.
      if (!anomalous || !isWarm(s.baselines[key], c.minHistory)) observations.push([key, value]);
    },
    novel: (set, value) => {
      const ns = s.novelty[set];
      return ns !== undefined && s.windowsSeen - ns.since >= c.minHistory && !(value in ns.values);
    },
    setWarm: (set) => {
      const ns = s.novelty[set];
      return ns !== undefined && s.windowsSeen - ns.since >= c.minHistory && Object.keys(ns.values).length > 0;
    },
    learn: (set, value) => learnings.push([set, value]),
    session: (key) => {
      const ses = (s.sessions[key] ??= { first: window.start, last: window.end, points: {}, values: {}, flagged: false });
      ses.last = window.end;
      return ses;
    },
    hasSession: (key) => key in s.sessions,
    endSession: (key) => {
      delete s.sessions[key];
    },
    sessionMs: c.sessionMs,
  };
  const signatureCandidates = runSignatures(ctx, s.known);

  // Source-level features: baselines for evidence (and the seeds/003 indicators per window).
  const srcFeatures: Partial<Record<SourceName, Record<string, number>>> = {};
  for (const src of s.known.sources) {
    const f = sourceFeatures(src, bySource[src] ?? []);
    srcFeatures[src] = f;
  }

  // ─── Generic detectors ────────────────────────────────────────────────────────────────────────────
  const gopts = { minHistory: c.minHistory, windowsSeen: s.windowsSeen, newPatternMinCount: c.newPatternMinCount, iforestThreshold: c.iforestThreshold, seed: c.seed, templates: c.templates, iforest: c.iforest };
  const generic: Candidate[] = [];
  if (c.templates) {
    for (const src of SOURCES) {
      // Text sources are mined whole; structured ones only for their generic (text) records.
      const own = TEXT_SOURCES.includes(src) ? (bySource[src] ?? []) : [];
      const gen = genericBySource[src] ?? [];
      const rs = gen.length ? [...own, ...gen] : own;
      if (!rs.length && !s.templates[src]) continue;
      const ts = (s.templates[src] ??= { miner: createMiner(), counts: {}, numeric: {} });
      generic.push(...templateCandidates(src, rs, ts, gopts));
      // Failed sign-ins on entities whose history is too sparse for a rate (one line a week, not a hum).
      if (rs.length) generic.push(...sparseAuthCandidates(src, rs, (s.sparseAuth ??= {}), window, { minHistory: c.minHistory }));
    }
  }
  // Which source a candidate speaks for: generic methods say it after '@', signatures in their kind's prefix.
  const sourceOf = (cand: Pick<Candidate, 'kind' | 'method'>): string => {
    const at = cand.method.lastIndexOf('@');
    const raw = at >= 0 ? cand.method.slice(at + 1) : cand.kind.split('-')[0]!;
    return raw === 's3access' ? 's3' : raw === 'vpcflow' ? 'vpc' : raw;
  };
  const coveredSources = new Set([...signatureCandidates.filter((x) => !x.needsCorroboration), ...s.episodes.open.filter((f) => !f.method.includes('@') && f.kind !== 'root-cause')].map(sourceOf));
  const forestScores = new Map<string, number>();
  for (const src of FOREST_SOURCES) {
    const rs = bySource[src] ?? [];
    const fs = (s.forest[src] ??= { rows: [], seen: 0, version: 0 });
    const nodeType = src === 's3access' ? 's3' : src === 'vpcflow' ? 'vpc' : src;
    if (c.iforest && rs.length) {
      const { candidates, scores } = forestCandidates(src, rs, fs, gopts);
      for (const [k, v] of scores) forestScores.set(`${src}|${k}`, v);
      generic.push(...candidates);
    }
    // Learn only from windows where nothing fired on this source: anomalies must not become normal.
    if (rs.length && !coveredSources.has(nodeType) && !generic.some((g) => g.method === `iforest@${src}`)) learnForest(src, rs, fs, c.seed, window.end);
  }
  // Share shift: a per-window judgement with its own evidence, so only a signature firing on the same source
  // in the same window makes it redundant (an open episode of another kind does not hide a new mode).
  const shareCandidates: Candidate[] = [];
  if (c.shares) {
    const shares = (s.shares ??= {});
    for (const src of SHARE_SOURCES) {
      const rs = bySource[src];
      if (rs?.length) shareCandidates.push(...shareShiftCandidates(src, rs, shares, { minHistory: c.minHistory }));
    }
  }
  const firedNow = new Set(signatureCandidates.filter((x) => !x.needsCorroboration).map(sourceOf));
  const keptShares = shareCandidates.filter((g) => !firedNow.has(sourceOf(g)));
  // Weak evidence from the template stage (a generic line of a failure class) waits for root cause analysis
  // like the signatures' weak evidence; it is never a finding on its own, so coverage does not apply to it.
  const weakGeneric = generic.filter((g) => g.needsCorroboration);
  const firmGeneric = generic.filter((g) => !g.needsCorroboration);
  const keptOther = firmGeneric.filter((g) => !coveredSources.has(sourceOf(g)));
  const keptGeneric = [...keptOther, ...keptShares];
  s.stats.suppressedGeneric += firmGeneric.length - keptOther.length + shareCandidates.length - keptShares.length;

  // Evidence: the Isolation Forest's opinion of a signature's entity and the window's source features.
  for (const cand of signatureCandidates) {
    const src = SOURCES.find((x) => cand.method && sourceOf(cand) === (x === 's3access' ? 's3' : x === 'vpcflow' ? 'vpc' : x));
    const key = cand.entities.ip ?? cand.entities.principal;
    if (src && key && forestScores.has(`${src}|${key}`)) cand.features.iforestScore = forestScores.get(`${src}|${key}`)!;
    if (src) for (const [k, v] of Object.entries(srcFeatures[src] ?? {})) cand.features[`window.${k}`] ??= v;
  }

  // ─── Apply learning (after evaluation: the current window never judges itself) ───────────────────
  for (const [k, ses] of Object.entries(s.sessions)) if (window.end - ses.last > c.sessionMs) delete s.sessions[k];
  for (const [key, value] of observations) updateBaseline((s.baselines[key] ??= createBaseline()), value);
  for (const [set, value] of learnings) {
    const ns = (s.novelty[set] ??= { since: s.windowsSeen, values: {} });
    if (value in ns.values || Object.keys(ns.values).length < MAX_NOVELTY_VALUES) ns.values[value] = window.end;
  }
  for (const [src, f] of Object.entries(srcFeatures)) {
    for (const [k, v] of Object.entries(f)) updateBaseline((s.baselines[`${src}:${k}`] ??= createBaseline()), v);
  }

  // ─── Episodes and root cause ──────────────────────────────────────────────────────────────────────
  // Empty windows before the first record ever arrived teach nothing: they do not count towards warm-up.
  if (s.stats.records > 0) s.windowsSeen++;
  s.stats.windows++;
  s.lastWindowEnd = window.end;
  const firm = signatureCandidates.filter((x) => !x.needsCorroboration);
  // The sparse sign-in rule's history is event time (windows elapsed since the entity was first seen, empty ones
  // included), so it keeps its own warm-up rather than this count of windows processed.
  const raised = s.windowsSeen > c.warmupWindows ? [...firm, ...keptGeneric] : keptGeneric.filter((g) => g.method.startsWith(SPARSE_AUTH_METHOD));
  // Feedback only decides which candidates become findings: everything above learned as it would have.
  const candidates = c.feedback.length ? raised.filter((x) => !suppressedByFeedback(x, c.feedback)) : raised;
  if (candidates.length < raised.length) s.stats.suppressedByFeedback = (s.stats.suppressedByFeedback ?? 0) + raised.length - candidates.length;
  s.stats.candidates += candidates.length;
  const eopts = { quietGapMs: c.quietGapMs, retainClosedMs: c.correlationMs };
  const changes = mergeCandidates(s.episodes, candidates, window, eopts);
  // Weak evidence waits for corroboration: promoted to findings when root cause analysis links it along the
  // declared dependencies with other trouble. Not held back by the warm-up — a chain of a-priori failure classes
  // needs no baseline (seeds/004's incident can be the first thing a detector ever sees).
  // A weak signal on an entity that has an open finding of the same kind adds nothing (and must not move that
  // finding's start back to some old stray line).
  const openKeys = new Set(s.episodes.open.map((f) => episodeKey(f.kind, f.primary, f.entities[f.primary])));
  s.pending = [...(s.pending ?? []), ...signatureCandidates.filter((x) => x.needsCorroboration), ...weakGeneric]
    .filter((p) => window.end - p.lastSeen <= c.correlationMs && !openKeys.has(episodeKey(p.kind, p.primary, p.entities[p.primary])));
  if (s.pending.length) {
    const pseudo = s.pending.map((p) => pendingAsFinding(p, window.end));
    // Only findings that say what failed corroborate: a stray line joined to mere novelty on a neighbour (a new
    // pattern, a changed mix) is still a stray line.
    const meaningful = [...s.episodes.open, ...s.episodes.closed].filter((f) => readsAFailure(f.method));
    const trial = rootCauses([...meaningful, ...pseudo], topology.dependencies, window, { toleranceMs: c.rcaToleranceMs, correlationMs: c.correlationMs, quietGapMs: c.quietGapMs });
    const explained = new Set(trial.flatMap((t) => t.explains ?? []));
    const promote = s.pending.filter((_p, i) => explained.has(pseudo[i]!.findingId));
    if (promote.length) {
      changes.push(...mergeCandidates(s.episodes, promote.map(({ needsCorroboration: _weak, ...rest }) => rest), window, eopts));
      s.pending = s.pending.filter((p) => !promote.includes(p));
    }
  }
  const existingRca = [...s.episodes.open, ...s.episodes.closed].filter((f) => f.kind === 'root-cause');
  // A root cause is re-emitted only when it explains something new; otherwise the chain is old news.
  const rca = rootCauses([...s.episodes.open, ...s.episodes.closed], topology.dependencies, window, { toleranceMs: c.rcaToleranceMs, correlationMs: c.correlationMs, quietGapMs: c.quietGapMs })
    .filter((cand) => !existingRca.some((f) => f.entities[f.primary] === cand.entities[cand.primary] && (cand.explains ?? []).every((id) => f.explains?.includes(id))))
    .filter((cand) => !suppressedByFeedback(cand, c.feedback));
  const rcaChanges = mergeCandidates(s.episodes, rca, window, eopts);
  const all = [...changes, ...rcaChanges];
  const byId = new Map([...s.episodes.open, ...s.episodes.closed].map((f) => [f.findingId, f]));
  const findings = all.map((ch) => byId.get(ch.findingId)).filter((f): f is Finding => f !== undefined).map((f) => structuredClone(f));
  return { state: s, findings, changes: all };
}
