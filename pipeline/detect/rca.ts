import type { Finding } from '../../core/index.ts';
import type { DependencyEdge } from '../../core/topology/index.ts';
import type { Entities, EntityType, FindingKind } from '../../core/index.ts';
import type { Candidate } from './candidate.ts';

/**
 * Root cause analysis from findings: each finding is placed on a node of the topology's dependency graph
 * (`rds:<db>`, `app:<service>`, `ecs:<service>`, `lambda:<fn>` …) by its kind's source and its entities; an
 * edge A → B (A depends on B) links two nodes with findings when B's trouble started no later than A's
 * (plus a tolerance). A root is a linked node with no linked dependency below it; its chain is the longest
 * path of dependents above it, root first. What seeds/004 did with three fixed strings, done from data.
 */

/** Node type → the entity that names it. */
const NODE_ENTITY: Record<string, EntityType[]> = {
  rds: ['database'],
  app: ['service'],
  ecs: ['service', 'cluster'],
  lambda: ['function'],
  ec2: ['instance', 'host'],
  s3: ['bucket'],
  vpc: ['eni', 'instance'],
  waf: ['webAcl'],
  cloudtrail: ['principal'],
};
const SOURCE_NODE: Record<string, string> = { s3access: 's3', vpcflow: 'vpc' };

/** How a symptom reads in a chain. Kinds not listed read as their own name. */
const PHRASE: Partial<Record<FindingKind, string>> = {
  'rds-connection-exhaustion': 'connection exhaustion',
  'app-db-errors': 'DB errors',
  'ecs-task-restarts': 'task restarts',
  'lambda-timeout-storm': 'timeouts',
  'lambda-error-spike': 'error spike',
  'lambda-memory-exhaustion': 'memory exhaustion',
  'ec2-disk-full': 'disk full',
  'ec2-oom': 'out of memory',
  'log-new-pattern': 'new log pattern',
  'log-pattern-frequency': 'log pattern surge',
  'metric-anomaly': 'metric anomaly',
  'share-shift': 'share shift',
};

/** Every node a finding could be about (`<type>:<entity value>`), most specific entity first. */
export function nodesOf(f: Pick<Finding, 'kind' | 'method' | 'entities'>): string[] {
  // Source-agnostic detectors name their source after '@' in the method (e.g. `template:new-pattern@app`).
  const at = f.method.lastIndexOf('@');
  const raw = at >= 0 ? f.method.slice(at + 1) : f.kind.split('-')[0]!;
  const type = SOURCE_NODE[raw] ?? raw;
  const out: string[] = [];
  for (const e of NODE_ENTITY[type] ?? []) {
    const v = f.entities[e];
    if (v) out.push(`${type}:${v}`);
  }
  return out;
}

/**
 * The dependency-graph node a finding is about: of its possible nodes, the first the declared graph names
 * (an ECS finding may name a service and its cluster; the estate decides which one is a node), else the first.
 */
export function nodeOf(f: Pick<Finding, 'kind' | 'method' | 'entities'>, graphNodes?: ReadonlySet<string>): string | undefined {
  const nodes = nodesOf(f);
  return (graphNodes && nodes.find((n) => graphNodes.has(n))) ?? nodes[0];
}

export interface RcaOptions {
  /** A cause may start at most this long after its symptom (clock skew, window edges). */
  toleranceMs: number;
  /** Only findings seen within this span before the window end take part. */
  correlationMs: number;
  /**
   * A node's trouble is its latest run of findings with no quiet gap longer than this between them: an earlier,
   * finished episode on the same node is another incident and must not pull this one's start back.
   */
  quietGapMs?: number;
}

/** The latest run of findings without a gap longer than `gapMs` (findings in any order). */
function latestRun(fs: Finding[], gapMs: number): Finding[] {
  const sorted = fs.slice().sort((a, b) => a.firstSeen - b.firstSeen);
  let from = 0, end = -Infinity;
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i]!.firstSeen - end > gapMs) from = i;
    end = Math.max(end, sorted[i]!.lastSeen);
  }
  return sorted.slice(from);
}

export function rootCauses(findings: Finding[], dependencies: DependencyEdge[], window: { start: number; end: number }, opts: RcaOptions): Candidate[] {
  const nodes = new Map<string, Finding[]>();
  const graphNodes = new Set(dependencies.flatMap((e) => [e.from, e.to]));
  for (const f of findings) {
    if (f.kind === 'root-cause' || window.end - f.lastSeen > opts.correlationMs) continue;
    const n = nodeOf(f, graphNodes);
    if (!n) continue;
    let a = nodes.get(n);
    if (!a) nodes.set(n, (a = []));
    a.push(f);
  }
  if (opts.quietGapMs !== undefined) for (const [n, fs] of nodes) nodes.set(n, latestRun(fs, opts.quietGapMs));
  const start = (n: string) => Math.min(...nodes.get(n)!.map((f) => f.firstSeen));
  // Linked edges: both ends have findings and the dependency's trouble did not start after the dependent's.
  const linked = dependencies.filter((e) => nodes.has(e.from) && nodes.has(e.to) && e.from !== e.to && start(e.to) <= start(e.from) + opts.toleranceMs);
  const dependents = new Map<string, string[]>();
  const hasLinkedDependency = new Set<string>();
  for (const e of linked) {
    (dependents.get(e.to) ?? dependents.set(e.to, []).get(e.to)!).push(e.from);
    hasLinkedDependency.add(e.from);
  }
  const roots = [...dependents.keys()].filter((n) => !hasLinkedDependency.has(n)).sort();

  const longest = (n: string, seen: Set<string>): string[] => {
    let best: string[] = [];
    for (const d of (dependents.get(n) ?? []).slice().sort()) {
      if (seen.has(d)) continue;
      seen.add(d);
      const p = longest(d, seen);
      seen.delete(d);
      if (p.length > best.length) best = p;
    }
    return [n, ...best];
  };

  const out: Candidate[] = [];
  for (const root of roots) {
    const path = longest(root, new Set([root]));
    if (path.length < 2) continue;
    const chainFindings = path.map((n) => nodes.get(n)!.slice().sort((a, b) => a.firstSeen - b.firstSeen));
    const chain = path.map((n, i) => `${n} ${PHRASE[chainFindings[i]![0]!.kind] ?? chainFindings[i]![0]!.kind}`);
    const all = chainFindings.flat();
    const entities: Entities = {};
    for (const f of all) for (const [k, v] of Object.entries(f.entities) as [EntityType, string][]) if (entities[k] === undefined) entities[k] = v;
    const rootFinding = chainFindings[0]![0]!;
    // The root's own naming entity is the primary key of the root-cause episode.
    const rootType = root.split(':')[0]!;
    const primary = (NODE_ENTITY[rootType] ?? []).find((e) => rootFinding.entities[e] === root.slice(rootType.length + 1)) ?? rootFinding.primary;
    Object.assign(entities, { [primary]: root.slice(rootType.length + 1) });
    out.push({
      kind: 'root-cause',
      primary,
      entities,
      score: Math.min(0.99, all.reduce((a, f) => a + f.score, 0) / all.length + 0.05 * (path.length - 1)),
      method: 'rca:dependency-graph',
      summary: `root cause: ${chain.join(' → ')}`,
      firstSeen: rootFinding.firstSeen,
      lastSeen: Math.max(...all.map((f) => f.lastSeen)),
      count: all.length,
      sampleLines: all.flatMap((f) => f.evidence.sampleLines.slice(0, 1)).slice(0, 5),
      features: { chainLength: path.length, findings: all.length, leadMs: Math.max(...chainFindings.map((fs) => fs[0]!.firstSeen)) - rootFinding.firstSeen },
      chain,
      explains: all.map((f) => f.findingId),
    });
  }
  return out;
}
