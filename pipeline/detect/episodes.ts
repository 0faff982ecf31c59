import { createHash } from 'node:crypto';
import type { Finding } from '../../core/index.ts';
import { SEVERITIES, type FindingKind, type Severity } from '../../core/index.ts';
import type { Candidate } from './candidate.ts';

/**
 * One finding per ongoing incident. Window-level candidates with the same (kind, primary entity) extend the
 * open episode (lastSeen, count, score); an episode closes after a quiet gap, and a later recurrence is a new
 * finding. findingId = hash(kind, primary entity, episode start), so re-running the same data gives the same ids.
 */
export interface EpisodeState {
  open: Finding[];
  /** Closed episodes kept for a while so root cause analysis can still see them. */
  closed: Finding[];
}

export type FindingChangeKind = 'created' | 'updated' | 'escalated';
export interface FindingChange {
  findingId: string;
  change: FindingChangeKind;
}

export interface EpisodeOptions {
  quietGapMs: number;
  /** How long closed episodes stay visible to RCA. */
  retainClosedMs: number;
}

const BASE_SEVERITY: Partial<Record<FindingKind, Severity>> = {
  'cloudtrail-root-usage': 'critical',
  'cloudtrail-compromised-key': 'critical',
  'vpc-exfiltration': 'critical',
  'root-cause': 'critical',
  'rds-connection-exhaustion': 'high',
  'vpc-ddos': 'high',
  'vpc-ssh-bruteforce': 'high',
  'ec2-ssh-bruteforce': 'high',
  'waf-sqli-scanner': 'high',
  'waf-credential-stuffing': 'high',
  'waf-http-flood': 'high',
  's3-mass-delete': 'high',
  'ecs-task-restarts': 'high',
  'lambda-timeout-storm': 'high',
  'app-db-errors': 'high',
  'ec2-disk-full': 'high',
  'ec2-oom': 'high',
  'log-new-pattern': 'low',
  'log-pattern-frequency': 'low',
  'metric-anomaly': 'low',
};

/** Kind's base severity, one step up when the evidence is overwhelming (score ≥ 0.9). */
export function severityFor(kind: FindingKind, score: number): Severity {
  const base = SEVERITIES.indexOf(BASE_SEVERITY[kind] ?? 'medium');
  return SEVERITIES[Math.min(SEVERITIES.length - 1, base + (score >= 0.9 && base < 3 ? 1 : 0))]!;
}

export function episodeKey(kind: string, primary: string, value: string | undefined): string {
  return `${kind}|${primary}|${value ?? ''}`;
}

export function findingIdFor(kind: string, primary: string, value: string | undefined, firstSeen: number): string {
  return createHash('sha256').update(`${episodeKey(kind, primary, value)}|${firstSeen}`).digest('hex').slice(0, 32);
}

/** Templates kept on one finding: enough for feedback to name the patterns of a surge, bounded for the item size. */
const MAX_PATTERNS = 20;

const keyOf = (f: Pick<Finding, 'kind' | 'primary' | 'entities'>): string => episodeKey(f.kind, f.primary, f.entities[f.primary]);

/**
 * Folds a window's candidates into the episodes. Mutates `state` (the caller owns a private copy) and
 * returns what changed, in candidate order.
 */
export function mergeCandidates(state: EpisodeState, candidates: Candidate[], window: { start: number; end: number }, opts: EpisodeOptions): FindingChange[] {
  const changes = new Map<string, FindingChangeKind>();
  const rank: Record<FindingChangeKind, number> = { updated: 0, escalated: 1, created: 2 };
  const note = (id: string, c: FindingChangeKind) => {
    const prev = changes.get(id);
    if (!prev || rank[c] > rank[prev]) changes.set(id, c);
  };
  const byKey = new Map(state.open.map((f) => [keyOf(f), f]));

  for (const c of candidates) {
    const key = episodeKey(c.kind, c.primary, c.entities[c.primary]);
    const open = byKey.get(key);
    if (open && window.start - open.lastSeen <= opts.quietGapMs) {
      const oldSeverity = SEVERITIES.indexOf(open.severity);
      const oldChain = open.chain?.length ?? 0;
      open.lastSeen = Math.max(open.lastSeen, c.lastSeen);
      open.firstSeen = Math.min(open.firstSeen, c.firstSeen);
      open.score = Math.max(open.score, c.score);
      open.severity = c.severity ?? severityFor(open.kind, open.score);
      if (SEVERITIES.indexOf(open.severity) < oldSeverity) open.severity = SEVERITIES[oldSeverity]!;
      for (const [k, v] of Object.entries(c.entities) as [keyof Finding['entities'], string][]) if (open.entities[k] === undefined) open.entities[k] = v;
      open.evidence.features = { ...c.features, count: (open.evidence.features.count ?? 0) + c.count, windows: (open.evidence.features.windows ?? 1) + 1 };
      for (const l of c.sampleLines) if (open.evidence.sampleLines.length < 5 && !open.evidence.sampleLines.includes(l)) open.evidence.sampleLines.push(l);
      if (c.chain) {
        open.chain = c.chain;
        open.explains = [...new Set([...(open.explains ?? []), ...(c.explains ?? [])])];
      }
      if (c.pattern && !(open.patterns ??= []).includes(c.pattern) && open.patterns.length < MAX_PATTERNS) open.patterns.push(c.pattern);
      open.summary = c.summary;
      const escalated = SEVERITIES.indexOf(open.severity) > oldSeverity || (open.chain?.length ?? 0) > oldChain;
      note(open.findingId, escalated ? 'escalated' : 'updated');
      continue;
    }
    const value = c.entities[c.primary];
    const f: Finding = {
      findingId: findingIdFor(c.kind, c.primary, value, c.firstSeen),
      kind: c.kind,
      entities: { ...c.entities },
      primary: c.primary,
      firstSeen: c.firstSeen,
      lastSeen: c.lastSeen,
      detectedAt: window.end,
      score: c.score,
      severity: c.severity ?? severityFor(c.kind, c.score),
      method: c.method,
      summary: c.summary,
      evidence: { sampleLines: [...c.sampleLines], features: { ...c.features, count: c.count, windows: 1 } },
      ...(c.chain ? { chain: c.chain } : {}),
      ...(c.explains ? { explains: c.explains } : {}),
      ...(c.pattern ? { patterns: [c.pattern] } : {}),
    };
    if (open) {
      // The old episode went quiet for longer than the gap: it is over, this is a new incident.
      state.open = state.open.filter((x) => x !== open);
      state.closed.push(open);
    }
    state.open.push(f);
    byKey.set(key, f);
    note(f.findingId, 'created');
  }

  // Close quiet episodes; forget closed ones RCA no longer needs.
  const still: Finding[] = [];
  for (const f of state.open) (window.end - f.lastSeen > opts.quietGapMs ? state.closed : still).push(f);
  state.open = still;
  state.closed = state.closed.filter((f) => window.end - f.lastSeen <= opts.retainClosedMs);
  return [...changes].map(([findingId, change]) => ({ findingId, change }));
}
