import type { NormalizedRecord } from '../../formats/index.ts';
import type { FindingKind, SourceName } from '../../core/index.ts';
import { createRng } from '../../core/index.ts';
import { dynamicThreshold, isWarm, robustZ, updateBaseline, createBaseline, type BaselineState } from './baselines.ts';
import { candidateFrom, scoreOver, type Candidate } from './candidate.ts';
import { ENTITY_FEATURES, entityVectors, num, str } from './features.ts';
import { ForestModels } from './forest-models.ts';
import { scoreIsolationForest } from './isolation-forest.ts';
import { TemplateMiner, type TemplateMinerState } from './template-miner.ts';
import { messageClasses, type MessageClass } from './message-classes.ts';

/**
 * Source-agnostic detectors: the template miner (CloudWatch Logs anomaly detection's pattern types) and the
 * Isolation Forest over per-entity vectors. They find what no signature names, so they must demand strong
 * evidence: a new pattern must repeat, a frequency must be far above a warm baseline, an outlier must also
 * leave the training envelope. The detector drops them where a signature already covers the source.
 */

/** Sources whose messages are free text worth mining (structured sources have signatures and vectors). */
export const TEXT_SOURCES: readonly SourceName[] = ['rds', 'app', 'lambda', 'ec2', 'ecs', 'eks'];
export const FOREST_SOURCES: readonly SourceName[] = ['waf', 'vpcflow', 'cloudtrail', 's3access'];

export interface TemplateSourceState {
  miner: TemplateMinerState;
  /** Per-template window-count baselines (only for templates that ever mattered; capped). */
  counts: Record<string, BaselineState>;
  /** Per template, baseline of its first numeric token (numeric-token anomalies). */
  numeric: Record<string, BaselineState>;
  /** Per template, baseline of the distinct values its `<*>` tokens take in a window (token variation). */
  variation?: Record<string, BaselineState>;
  /** Severe lines (ERROR and above) learned so far, and how often each template carried them (rare events). */
  severe?: { lines: number; templates: Record<string, number> };
  /** Message classes the generic records of each entity showed while learning (`<entity>|<class>` → lines). */
  classes?: Record<string, number>;
}

export interface ForestSourceState {
  /** Reservoir of entity vectors from windows without findings on this source. */
  rows: number[][];
  seen: number;
  /** Bumped when rows change. */
  version: number;
  /**
   * The rows the current model is trained on, frozen every RETRAIN_EVERY learning windows. The model itself is
   * not stored (100 trees are large); it is retrained from this snapshot and its version, which gives the same
   * trees in any process, and cached in memory between windows.
   */
  snapshot?: number[][];
  snapshotVersion?: number;
}

export interface GenericOptions {
  minHistory: number;
  windowsSeen: number;
  newPatternMinCount: number;
  iforestThreshold: number;
  seed: string;
  templates: boolean;
  iforest: boolean;
}

const MAX_TRACKED_TEMPLATES = 400;
const RESERVOIR = 512;
const RETRAIN_EVERY = 10;

/**
 * Lines of a text source that carry no free text of their own: Lambda's platform lines (START, END, REPORT) and EKS's
 * audit trail and token reviews (authenticator), structured records with signatures of their own. The template
 * miner and the sparse sign-in rule skip them.
 */
export function isPlatformLine(source: SourceName, r: NormalizedRecord): boolean {
  if (source === 'lambda') return /^(start|end|report)$/.test(str(r, 'lineType'));
  if (source === 'eks') return isEksAuditTrail(r);
  return false;
}

/** An EKS audit event or token review: read by the EKS signatures' fields, never as text (see compact-record.ts). */
export function isEksAuditTrail(r: NormalizedRecord): boolean {
  return /^(audit|authenticator)$/.test(str(r, 'logType'));
}

export function textOf(r: NormalizedRecord): string {
  return str(r, 'text') || str(r, 'detail') || str(r, 'reason') || r.message;
}

const SEVERE = /^(ERROR|ERR|FATAL|CRITICAL|CRIT|SEVERE|ALERT|EMERG|EMERGENCY|PANIC)$/;
/** Severities that mean "something broke" on their own, whatever the line says. */
const GRAVE = /^(FATAL|CRITICAL|CRIT|ALERT|EMERG|EMERGENCY|PANIC)$/;
const levelOf = (r: NormalizedRecord): string => (str(r, 'level') || str(r, 'severity')).toUpperCase();
/** Good–Turing: the chance that the next severe line has a never-seen template is about singletons / lines. */
const UNSEEN_MASS_MAX = 0.02;
const SEVERE_LINES_MIN = 50;

/**
 * What a failure class means on a source, as the finding kind its signature reports (message-classes.ts): a
 * generic line of that class is weak evidence of the same trouble. Classes a source has no kind for read as a
 * new log pattern.
 */
const CLASS_KINDS: Partial<Record<SourceName, Partial<Record<MessageClass, FindingKind>>>> = {
  rds: { 'connection-exhaustion': 'rds-connection-exhaustion' },
  app: { 'connection-failure': 'app-db-errors', 'connection-exhaustion': 'app-db-errors' },
  ecs: { 'health-check-failure': 'ecs-task-restarts' },
  ec2: { 'disk-full': 'ec2-disk-full', 'out-of-memory': 'ec2-oom', 'auth-failure': 'ec2-ssh-bruteforce' },
  lambda: { 'out-of-memory': 'lambda-memory-exhaustion' },
};

/** The kind a line of these classes reports on a source: the first class its source names a kind for. */
export function classKind(source: SourceName, classes: readonly MessageClass[]): FindingKind {
  for (const c of classes) {
    const k = CLASS_KINDS[source]?.[c];
    if (k) return k;
  }
  return 'log-new-pattern';
}

export function entityOf(source: SourceName, r: NormalizedRecord): { primary: 'service' | 'database' | 'function' | 'instance' | 'host' | 'workload' | 'cluster'; value: string } | undefined {
  const e = r.entities;
  if (source === 'eks' && (e.workload || e.cluster)) return e.workload ? { primary: 'workload', value: e.workload } : { primary: 'cluster', value: e.cluster! };
  if (source === 'rds' && e.database) return { primary: 'database', value: e.database };
  if ((source === 'app' || source === 'ecs') && e.service) return { primary: 'service', value: e.service };
  // A Container Insights group names only its cluster.
  if (source === 'ecs' && e.cluster) return { primary: 'cluster', value: e.cluster };
  if (source === 'lambda' && e.function) return { primary: 'function', value: e.function };
  if (source === 'ec2' && (e.instance || e.host)) return e.instance ? { primary: 'instance', value: e.instance } : { primary: 'host', value: e.host! };
  return undefined;
}

export function templateCandidates(source: SourceName, rs: NormalizedRecord[], st: TemplateSourceState, opts: GenericOptions): Candidate[] {
  const miner = new TemplateMiner(st.miner);
  const perTemplate = new Map<string, { records: NormalizedRecord[]; numbers: number[]; params: Set<string> }>();
  const variation = (st.variation ??= {});
  const severe = (st.severe ??= { lines: 0, templates: {} });
  // Rare severe lines: template id → its lines this window and how often the template carried severe lines before.
  const rareSevere = new Map<string, { records: NormalizedRecord[]; before: number; grave: boolean; classes: readonly MessageClass[] }>();
  // Generic records (lines their source's format could not read) of a failure class: `<entity>|<class>` → lines.
  const classLines = new Map<string, { records: NormalizedRecord[]; cls: MessageClass }>();
  const seenClasses = (st.classes ??= {});
  for (const r of rs) {
    // Lambda REPORT/START/END lines and EKS audit events and token reviews have signatures of their own; mining them
    // adds nothing (EKS's free text is the control plane's klog lines and the containers' output).
    if (isPlatformLine(source, r)) continue;
    const m = miner.add(textOf(r), r.time);
    let e = perTemplate.get(m.templateId);
    if (!e) perTemplate.set(m.templateId, (e = { records: [], numbers: [], params: new Set() }));
    e.records.push(r);
    const level = levelOf(r);
    if (SEVERE.test(level)) {
      let x = rareSevere.get(m.templateId);
      if (!x) rareSevere.set(m.templateId, (x = { records: [], before: severe.templates[m.templateId] ?? 0, grave: false, classes: messageClasses(textOf(r)) }));
      x.records.push(r);
      x.grave ||= GRAVE.test(level);
    }
    if (r.fields.shape === 'generic') {
      const who = entityOf(source, r);
      if (who) {
        for (const cls of messageClasses(textOf(r))) {
          const key = `${who.value}|${cls}`;
          let x = classLines.get(key);
          if (!x) classLines.set(key, (x = { records: [], cls }));
          x.records.push(r);
        }
      }
    }
    if (m.params.length && e.params.size < 10_000) e.params.add(m.params.join(' '));
    if (m.numbers.length) e.numbers.push(m.numbers[0]!);
  }
  const out: Candidate[] = [];
  const learning = opts.windowsSeen < opts.minHistory;
  const ent = (g: NormalizedRecord[]) => {
    const x = entityOf(source, g[0]!);
    return x ? { primary: x.primary, entities: { [x.primary]: x.value } } : undefined;
  };
  for (const [id, { records, numbers, params }] of perTemplate) {
    const cl = miner.get(id)!;
    const text = cl.tokens.join(' ');
    const e = ent(records);
    // New pattern: born after the warm-up and repeated enough in one window to be more than a stray line.
    const bornAfterWarmup = !learning && !(id in st.counts) && cl.count === records.length;
    if (bornAfterWarmup && e && records.length >= opts.newPatternMinCount) {
      out.push(candidateFrom(records, {
        kind: 'log-new-pattern', primary: e.primary, entities: e.entities,
        score: scoreOver(records.length, opts.newPatternMinCount), method: `template:new-pattern@${source}`, pattern: text,
        summary: `new log pattern in ${source} (${records.length}×): ${text.slice(0, 160)}`,
        features: { occurrences: records.length },
      }));
    }
    // Pattern frequency: a known template far above its own baseline.
    const b = st.counts[id];
    if (b && isWarm(b, opts.minHistory) && e) {
      const thr = dynamicThreshold(b, { floor: 30, ratio: 5, z: 10 });
      if (records.length >= thr) {
        out.push(candidateFrom(records, {
          kind: 'log-pattern-frequency', primary: e.primary, entities: e.entities,
          score: scoreOver(records.length, thr), method: `template:pattern-frequency@${source}`, pattern: text,
          summary: `log pattern ${records.length}× in one window (threshold ${thr.toFixed(0)}): ${text.slice(0, 160)}`,
          features: { occurrences: records.length, threshold: thr },
        }));
      }
    }
    // Token variation: a template's variable tokens taking far more distinct values than they usually do
    // (e.g. one "login failed for <*>" line suddenly naming hundreds of users).
    const vb = variation[id];
    if (vb && isWarm(vb, opts.minHistory) && e) {
      const thr = dynamicThreshold(vb, { floor: 25, ratio: 5, z: 10 });
      if (params.size >= thr) {
        out.push(candidateFrom(records, {
          kind: 'metric-anomaly', primary: e.primary, entities: e.entities,
          score: scoreOver(params.size, thr), method: `template:token-variation@${source}`, pattern: text,
          summary: `${params.size} distinct values in the variable tokens of "${text.slice(0, 100)}" (threshold ${thr.toFixed(0)})`,
          features: { distinctValues: params.size, threshold: thr },
        }));
      }
    }
    // Numeric token: the first number of a template (a duration, a size) far outside its learned range.
    const nb = st.numeric[id];
    if (nb && isWarm(nb, opts.minHistory * 10) && numbers.length >= 5 && e) {
      const sorted = [...numbers].sort((a, b2) => a - b2);
      const med = sorted[sorted.length >> 1]!;
      const z = robustZ(nb, med, 1e-9);
      if (z >= 12 && med > 3 * Math.max(nb.mean, 1e-9)) {
        out.push(candidateFrom(records, {
          kind: 'metric-anomaly', primary: e.primary, entities: e.entities,
          score: scoreOver(z, 12), method: `template:numeric-token@${source}`,
          summary: `numeric token of "${text.slice(0, 100)}" at ${med} vs usual ${nb.mean.toFixed(1)}`,
          features: { median: med, baselineMean: nb.mean, z },
        }));
      }
    }
  }
  // Rare events at any rate: a severe line whose template (almost) never carried a severe line before fires even
  // alone in a quiet minute — when its meaning is a known failure class, its severity is grave (FATAL, CRITICAL …),
  // or this source's severe lines are so regular (few one-off templates among many lines, Good–Turing) that a new
  // one is itself a surprise. A new ERROR that is just one more of a source's many one-off errors does not.
  const rareFired = new Set<NormalizedRecord>();
  if (!learning) {
    const singletons = Object.values(severe.templates).filter((c) => c === 1).length;
    const regular = severe.lines >= SEVERE_LINES_MIN && (singletons + 1) / (severe.lines + 1) <= UNSEEN_MASS_MAX;
    for (const x of rareSevere.values()) {
      const e = ent(x.records);
      if (!e || x.before > 0) continue;
      const why = x.classes.length ? x.classes.join('/') : x.grave ? 'grave severity' : regular ? 'new in a regular stream' : '';
      if (!why) continue;
      out.push(candidateFrom(x.records, {
        kind: classKind(source, x.classes), primary: e.primary, entities: e.entities,
        score: x.classes.length || x.grave ? 0.8 : 0.6, method: `template:rare-severe@${source}`,
        summary: `rare ${levelOf(x.records[0]!)} line in ${source} (${why}): ${textOf(x.records[0]!).slice(0, 160)}`,
        features: { occurrences: x.records.length, severeLinesLearned: severe.lines, unseenMass: (singletons + 1) / (severe.lines + 1), classes: x.classes.length },
      }));
      for (const r of x.records) rareFired.add(r);
    }
  }
  // Meaning without a parser: a generic line of a failure class this entity never showed before is weak evidence
  // of the trouble its source's signature would name (the signatures read fields these records lack). Alone it is
  // no finding; root cause analysis promotes it when it lines up with other trouble along the declared
  // dependencies (seeds/004's incident is three such lines). Not held back by learning: a chain needs no baseline.
  for (const [key, x] of classLines) {
    if (key in seenClasses) continue;
    const e = ent(x.records)!;
    if (x.records.every((r) => rareFired.has(r))) continue; // already a finding of its own (rare severe line)
    out.push({
      ...candidateFrom(x.records, {
        kind: classKind(source, [x.cls]), primary: e.primary, entities: e.entities, score: 0.5,
        method: `template:message-class@${source}`,
        summary: `${x.cls} line on ${e.primary} ${e.entities[e.primary]}, a class it did not show while learning (${x.records.length}×): ${textOf(x.records[0]!).slice(0, 160)}`,
        features: { occurrences: x.records.length },
      }),
      needsCorroboration: true,
    });
  }
  // Learned only while learning, like the signatures' weak evidence (anomalies are not learned): a class an entity
  // shows in its first windows is its habit; one that first shows later stays weak evidence each time it recurs.
  if (learning) {
    for (const [key, x] of classLines) {
      if (key in seenClasses || Object.keys(seenClasses).length < MAX_TRACKED_TEMPLATES) seenClasses[key] = (seenClasses[key] ?? 0) + x.records.length;
    }
  }
  for (const [id, x] of rareSevere) {
    severe.lines += x.records.length;
    if (id in severe.templates || Object.keys(severe.templates).length < MAX_TRACKED_TEMPLATES) severe.templates[id] = (severe.templates[id] ?? 0) + x.records.length;
  }

  // HTTP error codes (app logs): a surge of 5xx against the learned level.
  if (source === 'app') {
    const errs = rs.filter((r) => num(r, 'httpStatus') >= 500);
    const key = '__http5xx';
    const b = st.counts[key];
    const thr = dynamicThreshold(b, { floor: 20, ratio: 5, z: 8 });
    if (b && isWarm(b, opts.minHistory) && errs.length >= thr) {
      const e = ent(errs);
      if (e) {
        out.push(candidateFrom(errs, {
          kind: 'metric-anomaly', primary: e.primary, entities: e.entities, score: scoreOver(errs.length, thr),
          method: 'template:http-error-codes@app', summary: `${errs.length} HTTP 5xx responses (threshold ${thr.toFixed(0)})`,
          features: { http5xx: errs.length, threshold: thr },
        }));
      }
    }
    if (!(key in st.counts)) st.counts[key] = createBaseline();
    if (errs.length < thr) updateBaseline(st.counts[key]!, errs.length);
  }

  // Learn: counts of every tracked template (absent = 0), new ones tracked while capacity lasts.
  const flagged = new Set(out.map((c) => c.method));
  for (const [id, { records, numbers }] of perTemplate) {
    if (!(id in st.counts) && Object.keys(st.counts).length < MAX_TRACKED_TEMPLATES) st.counts[id] = createBaseline();
    if (numbers.length && (id in st.numeric || Object.keys(st.numeric).length < MAX_TRACKED_TEMPLATES)) {
      const nb = (st.numeric[id] ??= createBaseline({ alpha: 0.02, capacity: 200 }));
      if (!flagged.has(`template:numeric-token@${source}`)) for (const x of numbers.slice(0, 50)) updateBaseline(nb, x);
    }
    void records;
  }
  for (const [id, b] of Object.entries(st.counts)) {
    if (id === '__http5xx') continue;
    const distinctNow = perTemplate.get(id)?.params.size ?? 0;
    const vb = (variation[id] ??= createBaseline());
    if (distinctNow < dynamicThreshold(vb, { floor: 25, ratio: 5, z: 10 }) || !isWarm(vb, opts.minHistory)) updateBaseline(vb, distinctNow);
    const c = perTemplate.get(id)?.records.length ?? 0;
    if (c < dynamicThreshold(b, { floor: 30, ratio: 5, z: 10 }) || !isWarm(b, opts.minHistory)) updateBaseline(b, c);
  }
  return out;
}

const forestModels = new ForestModels();

/**
 * Isolation Forest over the window's entity vectors. Returns outliers (as candidates) and each entity's
 * score (for the evidence of signature candidates). Learning happens later via `learnForest`, only from
 * windows where nothing fired on this source.
 */
export function forestCandidates(source: SourceName, rs: NormalizedRecord[], st: ForestSourceState, opts: GenericOptions): { candidates: Candidate[]; scores: Map<string, number> } {
  const vectors = entityVectors(source, rs);
  const scores = new Map<string, number>();
  const out: Candidate[] = [];
  const model = forestModels.model(source, st, opts.seed);
  if (!model || vectors.length === 0) return { candidates: out, scores };
  const dims = model.dims;
  const maxs = new Array<number>(dims).fill(-Infinity);
  for (const r of st.snapshot!) for (let i = 0; i < dims; i++) maxs[i] = Math.max(maxs[i]!, r[i]!);
  const names = ENTITY_FEATURES[source] ?? [];
  for (const v of vectors) {
    const s = scoreIsolationForest(model, v.vector);
    scores.set(v.key, s);
    // Strong evidence only: isolated quickly AND beyond the largest value ever learned on some feature.
    // Volume (feature 0, log1p of the entity's events) must itself be out of range: one odd request from one
    // client makes every share feature extreme and is not an incident.
    const beyond = v.vector.map((x, i) => (x > maxs[i]! * 1.5 + 1e-9 && x > 0 ? i : -1)).filter((i) => i >= 0);
    const bigEnough = v.vector[0]! >= Math.log1p(20) && v.vector[0]! > maxs[0]!;
    if (s >= opts.iforestThreshold && beyond.length >= 2 && bigEnough && opts.windowsSeen >= opts.minHistory) {
      const ev = rs.filter((r) => [r.fields.clientIp, r.fields.srcaddr, r.fields.remoteIp, r.entities.principal].includes(v.key));
      out.push(candidateFrom(ev.length ? ev : rs.slice(0, 1), {
        kind: 'metric-anomaly', primary: v.primary, entities: v.entities, count: ev.length,
        score: s, method: `iforest@${source}`,
        summary: `Isolation Forest outlier in ${source}: ${v.key} (score ${s.toFixed(2)}; beyond learned range: ${beyond.map((i) => names[i] ?? i).join(', ')})`,
        features: Object.fromEntries([['iforestScore', s], ...v.vector.map((x, i) => [names[i] ?? `f${i}`, x])]),
      }));
    }
  }
  return { candidates: out, scores };
}

/** Reservoir-samples this window's entity vectors into the training set (deterministic per window). */
export function learnForest(source: SourceName, rs: NormalizedRecord[], st: ForestSourceState, seed: string, windowEnd: number): void {
  const vectors = entityVectors(source, rs);
  if (vectors.length === 0) return;
  const rng = createRng(`${seed}/reservoir/${source}/${windowEnd}`);
  for (const v of vectors.slice(0, 200)) {
    st.seen++;
    if (st.rows.length < RESERVOIR) st.rows.push(v.vector);
    else {
      const j = Math.floor(rng.next() * st.seen);
      if (j < RESERVOIR) st.rows[j] = v.vector;
    }
  }
  st.version++;
  if (st.rows.length >= 64 && (!st.snapshot || st.version - (st.snapshotVersion ?? 0) >= RETRAIN_EVERY || st.snapshot.length < 64)) {
    st.snapshot = st.rows.map((r) => [...r]);
    st.snapshotVersion = st.version;
  }
}
