import type { NormalizedRecord } from '../../formats/index.ts';
import type { EntityType, SourceName } from '../../core/index.ts';
import type { Candidate } from './candidate.ts';
import { candidateFrom, scoreOver } from './candidate.ts';
import { isResponseFlow, num, str } from './features.ts';

/**
 * Categorical share shift: for the low-cardinality fields of each source (a WAF request's action, front door,
 * country and method; a flow's action, protocol and port class; a CloudTrail call's error code and service; an
 * S3 request's operation and status class; a text line's level), each window's distribution of values is
 * compared with a learned one. This is what seeds/003 watches with OpenSearch's Random Cut Forest over
 * "BLOCK / unknown source / unknown country / DELETE" indicators, done without a list of bad values: a value
 * that is rare in the learned distribution and suddenly carries a large share of the window is the anomaly,
 * whatever the value is.
 *
 * Per (source, field, value) the baseline keeps an EWMA of the value's share and of its squared deviation
 * (how much the share moves between ordinary windows). A window's share p̂ of n records is judged against the
 * learned share p with a tolerance that scales with the window's count — binomial sampling noise p(1−p)/n
 * plus the learned between-window variance — so the same rule holds at 300 and at 30,000 records a minute.
 * Values rare in the baseline are also judged together (seeds/003's "unknown country" is four values that each
 * carry a fifth of the anomaly).
 */

/** One categorical field of a source: how to read its value from a record (undefined = not present). */
interface ShareField {
  name: string;
  value: (r: NormalizedRecord) => string | undefined;
}

const present = (v: string): string | undefined => (v === '' ? undefined : v);
const statusClass = (n: number): string | undefined => (n >= 100 && n < 600 ? `${Math.floor(n / 100)}xx` : undefined);
/** The service side's port of a flow (the destination's, or the source's for a server's answer), by IANA range. */
const portClass = (r: NormalizedRecord): string | undefined => {
  const p = isResponseFlow(r) ? num(r, 'srcport') : num(r, 'dstport');
  if (!(p > 0)) return undefined;
  return p < 1024 ? 'well-known' : p < 49152 ? 'registered' : 'dynamic';
};
const level = (r: NormalizedRecord): string | undefined => present((str(r, 'level') || str(r, 'severity')).toUpperCase());

const FIELDS: Partial<Record<SourceName, ShareField[]>> = {
  waf: [
    { name: 'action', value: (r) => present(str(r, 'action')) },
    { name: 'httpSourceName', value: (r) => present(str(r, 'httpSourceName')) },
    { name: 'country', value: (r) => present(str(r, 'country')) },
    { name: 'httpMethod', value: (r) => present(str(r, 'httpMethod')) },
    // WAF logs carry a status only for responses WAF itself sent (CAPTCHA, challenge, custom responses).
    { name: 'statusClass', value: (r) => statusClass(num(r, 'responseCodeSent')) },
  ],
  vpcflow: [
    { name: 'action', value: (r) => present(str(r, 'action')) },
    { name: 'protocol', value: (r) => present(str(r, 'protocol')) },
    { name: 'portClass', value: portClass },
  ],
  cloudtrail: [
    { name: 'errorCode', value: (r) => str(r, 'errorCode') || 'none' },
    { name: 'eventSource', value: (r) => present(str(r, 'eventSource')) },
  ],
  s3access: [
    { name: 'operation', value: (r) => present(str(r, 'operation')) },
    { name: 'statusClass', value: (r) => statusClass(num(r, 'httpStatus')) },
  ],
  app: [{ name: 'level', value: level }],
  rds: [{ name: 'level', value: level }],
  lambda: [{ name: 'level', value: level }],
  ecs: [{ name: 'level', value: level }],
  ec2: [{ name: 'level', value: level }],
};

/** The entity a source's share shift is about: the most common one among the records that shifted. */
const ENTITY_OF: Partial<Record<SourceName, EntityType[]>> = {
  waf: ['webAcl'],
  vpcflow: ['eni', 'instance'],
  cloudtrail: ['principal'],
  s3access: ['bucket'],
  app: ['service'],
  ecs: ['service', 'cluster'],
  rds: ['database'],
  lambda: ['function'],
  ec2: ['instance', 'host'],
};

export const SHARE_SOURCES = Object.keys(FIELDS) as SourceName[];

/** Learned distribution of one field (plain JSON: lives in the detector state). */
export interface ShareBaseline {
  /** Windows learned (with at least `minRecords` values). */
  windows: number;
  /** Per value: EWMA of its share and EWMA of the squared deviation of its share. */
  values: Record<string, { mean: number; dev: number }>;
}

export type ShareState = Record<string, ShareBaseline>;

export interface ShareOptions {
  /** Windows a field must have learned before it may fire (default 5). */
  minHistory: number;
  /** A window with fewer values than this is neither judged nor learned (default 30). */
  minRecords?: number;
  /** Robust σ a share must rise by (default 6). */
  z?: number;
  /** The least absolute rise of a share (default 0.2: twenty points of the window's traffic). */
  minRise?: number;
  /** The least factor of rise over the learned share (default 4). */
  minRatio?: number;
  /** Learned share at or below which a value counts as rare (default 0.05). */
  rareShare?: number;
}

const ALPHA = 0.1;
const MAX_VALUES = 64;
const OTHER = '<other>';

interface Shift {
  values: string[];
  share: number;
  learned: number;
  z: number;
  count: number;
}

function judge(counts: Map<string, number>, n: number, b: ShareBaseline, o: Required<ShareOptions>): Shift | undefined {
  // Never-seen values get the share one more window of records could have hidden (a pseudo-count).
  const prior = 1 / ((b.windows + 1) * n);
  const test = (values: string[], count: number): Shift | undefined => {
    let p = 0, dev = 0;
    for (const v of values) {
      const e = b.values[v];
      p += e ? e.mean : prior;
      dev += e ? e.dev : 0;
    }
    p = Math.min(Math.max(p, prior), 1);
    const share = count / n;
    const sd = Math.sqrt((p * (1 - p)) / n + dev + 1e-12);
    const z = (share - p) / sd;
    const fired = p <= o.rareShare && share - p >= o.minRise && share >= o.minRatio * p && z >= o.z;
    return fired ? { values, share, learned: p, z, count } : undefined;
  };
  let best: Shift | undefined;
  for (const [v, c] of counts) {
    const s = test([v], c);
    if (s && (!best || s.share > best.share)) best = s;
  }
  // The rare values together: several unusual values sharing one anomaly between them.
  const rare = [...counts].filter(([v]) => (b.values[v]?.mean ?? 0) <= o.rareShare);
  if (rare.length > 1) {
    const s = test(rare.map(([v]) => v), rare.reduce((a, [, c]) => a + c, 0));
    if (s && (!best || s.share > best.share + 0.1)) best = s;
  }
  return best;
}

function learn(b: ShareBaseline, counts: Map<string, number>, n: number): void {
  const a = Math.max(ALPHA, 1 / (b.windows + 1));
  for (const v of new Set([...Object.keys(b.values), ...counts.keys()])) {
    const share = (counts.get(v) ?? 0) / n;
    const e = (b.values[v] ??= { mean: 0, dev: 0 });
    const d = share - e.mean;
    e.mean += a * d;
    e.dev = (1 - a) * (e.dev + a * d * d);
  }
  b.windows++;
}

/**
 * Share-shift candidates of one source's window; learns the window into `state` unless it shifted (an anomaly
 * must not become the new normal). Mutates `state` (the detector owns a private copy).
 */
export function shareShiftCandidates(source: SourceName, rs: readonly NormalizedRecord[], state: ShareState, opts: ShareOptions): Candidate[] {
  const o: Required<ShareOptions> = { minRecords: 30, z: 6, minRise: 0.2, minRatio: 4, rareShare: 0.05, ...opts };
  const out: Candidate[] = [];
  for (const field of FIELDS[source] ?? []) {
    const key = `${source}.${field.name}`;
    const b = (state[key] ??= { windows: 0, values: {} });
    const counts = new Map<string, number>();
    const byValue = new Map<string, NormalizedRecord[]>();
    let n = 0;
    for (const r of rs) {
      const raw = field.value(r);
      if (raw === undefined) continue;
      // Bounded state: past MAX_VALUES distinct values, unseen ones are pooled (their share still counts).
      const v = raw in b.values || Object.keys(b.values).length < MAX_VALUES ? raw : OTHER;
      counts.set(v, (counts.get(v) ?? 0) + 1);
      let list = byValue.get(v);
      if (!list) byValue.set(v, (list = []));
      if (list.length < 2000) list.push(r);
      n++;
    }
    if (n < o.minRecords) continue;
    const shift = b.windows >= o.minHistory ? judge(counts, n, b, o) : undefined;
    if (!shift) {
      learn(b, counts, n);
      continue;
    }
    const evidence = shift.values.flatMap((v) => byValue.get(v) ?? []);
    const ent = entityOf(source, evidence);
    if (!ent) continue;
    const shown = shift.values.slice(0, 6).map((v) => `${v} ${(100 * (counts.get(v) ?? 0) / n).toFixed(0)}%`).join(', ');
    out.push(candidateFrom(evidence, {
      kind: 'share-shift', primary: ent.type, entities: { [ent.type]: ent.value }, count: shift.count,
      score: scoreOver(shift.z, o.z), method: `share-shift:${field.name}@${source}`,
      summary: `${source} ${field.name}: ${shown} of ${n} records in one window (usually ${(100 * shift.learned).toFixed(1)}% together)`,
      features: {
        share: shift.share, learnedShare: shift.learned, z: shift.z, records: n, values: shift.values.length,
        ...Object.fromEntries(shift.values.slice(0, 6).map((v) => [`share:${field.name}=${v}`, (counts.get(v) ?? 0) / n])),
      },
    }));
  }
  return out;
}

function entityOf(source: SourceName, rs: NormalizedRecord[]): { type: EntityType; value: string } | undefined {
  for (const type of ENTITY_OF[source] ?? []) {
    const tally = new Map<string, number>();
    for (const r of rs) {
      const v = r.entities[type];
      if (v) tally.set(v, (tally.get(v) ?? 0) + 1);
    }
    let best: [string, number] | undefined;
    for (const e of tally) if (!best || e[1] > best[1]) best = e;
    if (best) return { type, value: best[0] };
  }
  return undefined;
}
