/**
 * A Drain-style online template miner (He et al., ICWS 2017): lines are masked (numbers, IPs, hex, UUIDs,
 * AWS ids, quoted strings), routed through a fixed-depth prefix tree (token count, then the first tokens),
 * and joined to the most similar template in the leaf when similarity ≥ threshold; differing positions
 * become `<*>`. State is plain JSON (clusters only; the tree is an index rebuilt on load), so the detector
 * can persist its dictionary in S3 between invocations.
 */
export interface TemplateCluster {
  id: string;
  tokens: string[];
  count: number;
  /** Event time the template was first seen (epoch ms). */
  firstSeen: number;
}

export interface TemplateMinerState {
  depth: number;
  simThreshold: number;
  maxChildren: number;
  nextId: number;
  clusters: TemplateCluster[];
}

export interface TemplateMinerOptions {
  /** Prefix tokens used for routing (Drain's depth − 2; default 2). */
  depth?: number;
  /** Minimum share of equal tokens to join a template (default 0.5). */
  simThreshold?: number;
  /** Max children per internal node before routing to `<*>` (default 100). */
  maxChildren?: number;
}

export interface MatchResult {
  templateId: string;
  /** True when this line created the template. */
  isNew: boolean;
  /** Values of the masked numeric tokens, in order (for numeric-token anomalies). */
  numbers: number[];
  /** The template text after this line joined it. */
  template: string;
  /** The line's variable parts: tokens at the template's `<*>` positions, then the masked values. */
  params: string[];
}

const WILD = '<*>';

// Order matters: the most specific shapes first so a UUID is not eaten as hex and numbers.
const MASKS: [RegExp, string][] = [
  [/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '<STR>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<UUID>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '<IP>'],
  [/\b(?:i|eni|sg|vpc|subnet|acl|ami|vol|snap|igw|rtb)-[0-9a-f]{8,17}\b/g, '<ID>'],
  [/\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '<ID>'],
  [/\barn:aws[\w-]*:[^\s,)]+/g, '<ARN>'],
  [/\b0x[0-9a-f]+\b/gi, '<HEX>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<HEX>'],
];
const NUMBER = /(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])/g;

/** Masks variable parts of a line; returns the masked text, the numeric values and every value it replaced. */
export function maskLine(line: string): { masked: string; numbers: number[]; values: string[] } {
  let s = line;
  const values: string[] = [];
  for (const [re, rep] of MASKS) {
    s = s.replace(re, (m) => {
      values.push(m);
      return rep;
    });
  }
  const numbers: number[] = [];
  s = s.replace(NUMBER, (m) => {
    numbers.push(Number(m));
    values.push(m);
    return '<NUM>';
  });
  return { masked: s, numbers, values };
}

function tokenize(masked: string): string[] {
  return masked.split(/\s+/).filter((t) => t.length > 0);
}

function hasDigit(t: string): boolean {
  return /\d/.test(t);
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: TemplateCluster[];
}

export class TemplateMiner {
  readonly state: TemplateMinerState;
  private root: Map<number, TreeNode> = new Map();
  private byId = new Map<string, TemplateCluster>();

  constructor(state?: TemplateMinerState, opts: TemplateMinerOptions = {}) {
    this.state = state ?? {
      depth: opts.depth ?? 2,
      simThreshold: opts.simThreshold ?? 0.5,
      maxChildren: opts.maxChildren ?? 100,
      nextId: 1,
      clusters: [],
    };
    for (const c of this.state.clusters) this.index(c);
  }

  /** JSON-ready state (the same object the miner mutates). */
  toJSON(): TemplateMinerState {
    return this.state;
  }

  get size(): number {
    return this.state.clusters.length;
  }

  get(id: string): TemplateCluster | undefined {
    return this.byId.get(id);
  }

  templateText(id: string): string {
    return this.byId.get(id)?.tokens.join(' ') ?? '';
  }

  private leaf(tokens: string[], create: boolean): TreeNode | undefined {
    let node = this.root.get(tokens.length);
    if (!node) {
      if (!create) return undefined;
      node = { children: new Map(), clusters: [] };
      this.root.set(tokens.length, node);
    }
    const depth = Math.min(this.state.depth, tokens.length);
    for (let i = 0; i < depth; i++) {
      const t = tokens[i]!;
      // Tokens with digits are likely parameters: routing on them would scatter one template over many leaves.
      let key = hasDigit(t) || t.startsWith('<') ? WILD : t;
      if (!node.children.has(key) && key !== WILD && node.children.size >= this.state.maxChildren) key = WILD;
      let next = node.children.get(key);
      if (!next) {
        if (!create) return undefined;
        next = { children: new Map(), clusters: [] };
        node.children.set(key, next);
      }
      node = next;
    }
    return node;
  }

  private index(c: TemplateCluster): void {
    this.byId.set(c.id, c);
    this.leaf(c.tokens, true)!.clusters.push(c);
  }

  private similarity(template: string[], tokens: string[]): { sim: number; params: number } {
    let same = 0, params = 0;
    for (let i = 0; i < template.length; i++) {
      const t = template[i]!;
      if (t === WILD) params++;
      else if (t === tokens[i]) same++;
    }
    return { sim: same / template.length, params };
  }

  /** Adds one line (event time `time`), returning its template and whether it is new. */
  add(line: string, time = 0): MatchResult {
    const { masked, numbers, values } = maskLine(line);
    const tokens = tokenize(masked);
    if (tokens.length === 0) tokens.push('<EMPTY>');
    const node = this.leaf(tokens, true)!;
    let best: TemplateCluster | undefined;
    let bestSim = -1, bestParams = -1;
    for (const c of node.clusters) {
      const { sim, params } = this.similarity(c.tokens, tokens);
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = c;
        bestSim = sim;
        bestParams = params;
      }
    }
    if (best && bestSim >= this.state.simThreshold) {
      for (let i = 0; i < best.tokens.length; i++) if (best.tokens[i] !== tokens[i]) best.tokens[i] = WILD;
      best.count++;
      const params: string[] = [];
      for (let i = 0; i < best.tokens.length; i++) if (best.tokens[i] === WILD) params.push(tokens[i]!);
      params.push(...values);
      return { templateId: best.id, isNew: false, numbers, template: best.tokens.join(' '), params };
    }
    const c: TemplateCluster = { id: `t${this.state.nextId++}`, tokens, count: 1, firstSeen: time };
    this.state.clusters.push(c);
    this.byId.set(c.id, c);
    node.clusters.push(c);
    return { templateId: c.id, isNew: true, numbers, template: tokens.join(' '), params: values };
  }
}
