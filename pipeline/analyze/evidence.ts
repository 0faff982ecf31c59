import type { EntityType, Finding } from '../../core/index.ts';
import { maskLine } from '../detect/index.ts';
import type { Redactor } from './redact.ts';

/**
 * What an analyzer is shown of a finding: redacted, masked and cut to a budget. Every text in it went through
 * the redactor; nothing else of the finding is sent anywhere.
 */
export interface AnalyzerEvidence {
  findingId: string;
  kind: string;
  method: string;
  severity: string;
  summary: string;
  primary: { type: EntityType; value: string };
  entities: { type: string; value: string }[];
  /** The root-cause chain, root first (root-cause findings). */
  chain: string[];
  /** Masked templates of the evidence lines (`<NUM>`, `<IP>`, `<*>` for variable parts). */
  templates: string[];
  sampleLines: string[];
  /** A few numeric features the detector recorded (counts, thresholds). */
  features: Record<string, number>;
  firstSeen: string;
  lastSeen: string;
  /** Characters cut to stay within the budget. */
  cut: number;
}

export interface EvidenceBudget {
  /** Most characters of evidence text (≈ 4 characters a token). */
  maxChars: number;
}

export const DEFAULT_EVIDENCE_BUDGET: EvidenceBudget = { maxChars: 6000 };

const MAX_LINE = 400;
const MAX_LINES = 5;
const MAX_TEMPLATES = 5;
const MAX_FEATURES = 8;

/**
 * A template says something when at least 40 % of it is words rather than masks and punctuation: a masked JSON
 * record (`{<STR>:<NUM>,<STR>:<STR>…}`) says nothing the sample line does not say better.
 */
export function informative(template: string): boolean {
  const words = template.replace(/<[A-Z*]+>/g, '').replace(/[^A-Za-z]+/g, '');
  return words.length >= 0.4 * template.replace(/\s+/g, '').length;
}

/** Cut to n characters, never inside a placeholder (a cut `[aws-access-key-id-…` could not be restored). */
export function clip(s: string, n: number): string {
  if (s.length <= n) return s;
  let cut = s.slice(0, n - 1);
  const open = cut.lastIndexOf('[');
  if (open >= 0 && !cut.includes(']', open) && /^\[(?:aws-access-key-id-|redacted:)/.test(s.slice(open, open + 20))) cut = cut.slice(0, open);
  return `${cut}…`;
}

/**
 * Builds the evidence of a finding. Redaction comes first, the cut after: a cut never splits a secret into pieces
 * the rules would no longer recognise. Lines are cut to 400 characters, at most 5 lines and 5 templates; then, if
 * the whole is still over budget, sample lines go first (the templates say the same with less), then templates,
 * then the chain's tail.
 */
export function buildEvidence(f: Finding, redactor: Redactor, budget: EvidenceBudget = DEFAULT_EVIDENCE_BUDGET): AnalyzerEvidence {
  const r = (s: string) => redactor.redact(s);
  const lines = f.evidence.sampleLines.slice(0, MAX_LINES).map((l) => r(l));
  const templates = [...new Set([...(f.patterns ?? []).map((p) => r(p)), ...lines.map((l) => maskLine(l).masked)])]
    .filter(informative)
    .slice(0, MAX_TEMPLATES)
    .map((t) => clip(t, MAX_LINE));
  const features = Object.fromEntries(Object.entries(f.evidence.features).filter(([, v]) => Number.isFinite(v)).slice(0, MAX_FEATURES));
  const ev: AnalyzerEvidence = {
    findingId: f.findingId,
    kind: f.kind,
    method: f.method,
    severity: f.severity,
    summary: clip(r(f.summary), MAX_LINE),
    primary: { type: f.primary, value: r(f.entities[f.primary] ?? '') },
    entities: Object.entries(f.entities).filter(([, v]) => v).map(([type, value]) => ({ type, value: r(value!) })),
    chain: (f.chain ?? []).map((c) => clip(r(c), 200)),
    templates,
    sampleLines: lines.map((l) => clip(l, MAX_LINE)),
    features,
    firstSeen: new Date(f.firstSeen).toISOString(),
    lastSeen: new Date(f.lastSeen).toISOString(),
    cut: 0,
  };
  let size = evidenceChars(ev);
  const drop = (arr: string[]) => {
    const gone = arr.pop()!;
    ev.cut += gone.length;
    size -= gone.length;
  };
  while (size > budget.maxChars && ev.sampleLines.length > 1) drop(ev.sampleLines);
  while (size > budget.maxChars && ev.templates.length > 1) drop(ev.templates);
  while (size > budget.maxChars && ev.chain.length > 2) drop(ev.chain);
  // Still over (a tiny budget): the remaining texts are clipped evenly.
  if (size > budget.maxChars) {
    const each = Math.max(40, Math.floor(budget.maxChars / (2 + ev.sampleLines.length + ev.templates.length + ev.chain.length)));
    const before = evidenceChars(ev);
    ev.summary = clip(ev.summary, each);
    ev.sampleLines = ev.sampleLines.map((l) => clip(l, each));
    ev.templates = ev.templates.map((t) => clip(t, each));
    ev.chain = ev.chain.map((c) => clip(c, each));
    ev.cut += before - evidenceChars(ev);
  }
  return ev;
}

/** Characters of evidence text (what the budget counts). */
export function evidenceChars(ev: AnalyzerEvidence): number {
  const texts = [ev.summary, ...ev.sampleLines, ...ev.templates, ...ev.chain, ...ev.entities.map((e) => e.value)];
  return texts.reduce((a, t) => a + t.length, 0);
}

/** The evidence as the text block a prompt carries (the `{{evidence}}` placeholder). */
export function renderEvidence(ev: AnalyzerEvidence): string {
  const out: string[] = [];
  out.push(`finding kind: ${ev.kind} (detected by ${ev.method}, severity ${ev.severity})`);
  out.push(`summary: ${ev.summary}`);
  out.push(`primary entity: ${ev.primary.type} ${ev.primary.value}`);
  if (ev.entities.length) out.push(`entities: ${ev.entities.map((e) => `${e.type}=${e.value}`).join(', ')}`);
  out.push(`time span: ${ev.firstSeen} to ${ev.lastSeen}`);
  if (ev.chain.length) out.push(`root-cause chain (root first): ${ev.chain.join(' -> ')}`);
  if (Object.keys(ev.features).length) out.push(`features: ${Object.entries(ev.features).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`).join(', ')}`);
  if (ev.templates.length) out.push('templates:', ...ev.templates.map((t) => `- ${t}`));
  if (ev.sampleLines.length) out.push('sample lines:', ...ev.sampleLines.map((l) => `- ${l}`));
  if (ev.cut > 0) out.push(`(${ev.cut} characters of evidence left out to stay within the budget)`);
  return out.join('\n');
}
