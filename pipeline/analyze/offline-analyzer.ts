import type { FailureClass, FindingAnalysis } from '../../core/index.ts';
import { clip, type AnalyzerEvidence } from './evidence.ts';
import { failureClassOf, vote, type Vote } from './failure-semantics.ts';
import { CLASS_TEXT, KIND_CLASS } from './playbook-text.ts';

/**
 * The embedded analyzer: deterministic, in process, no network. It reads the evidence by meaning (each template
 * and the summary voted into a failure class, see failure-semantics.ts), takes the root-cause chain root first
 * (the root link decides a chain's class and names its root entity), and lets the finding kind's own class break
 * ties and speak when the text says nothing (a VPC flow line has no words). Same evidence, same analysis.
 */

/** Weights of the votes: the root link of a chain speaks for the whole chain; the kind is a prior, not a verdict. */
const WEIGHT = { rootLink: 4, summary: 2, template: 1, kindPrior: 1.5 } as const;

/** `rds:firedrill-orders-db connection exhaustion` → { node: 'rds', value: 'firedrill-orders-db', phrase: 'connection exhaustion' }. */
export function parseChainLink(link: string): { node: string; value: string; phrase: string } | undefined {
  const m = /^([a-z0-9]+):(\S+)\s*(.*)$/i.exec(link.trim());
  return m ? { node: m[1]!, value: m[2]!, phrase: m[3] ?? '' } : undefined;
}

export function offlineCategory(ev: AnalyzerEvidence): FailureClass {
  const texts: Vote[] = [];
  const root = ev.chain[0];
  if (root) {
    // The root link alone: the rest of the chain is its consequences, not its class.
    texts.push({ text: root, weight: WEIGHT.rootLink });
    if (ev.sampleLines[0]) texts.push({ text: ev.sampleLines[0], weight: WEIGHT.template });
  } else {
    texts.push({ text: ev.summary, weight: WEIGHT.summary });
    for (const t of ev.templates) texts.push({ text: t, weight: WEIGHT.template });
  }
  const prior = KIND_CLASS[ev.kind as keyof typeof KIND_CLASS];
  // A root link that names a kind (`lambda:fn lambda-timeout-storm`) carries that kind's prior too.
  const rootKind = root ? parseChainLink(root)?.phrase : undefined;
  const rootPrior = rootKind ? KIND_CLASS[rootKind as keyof typeof KIND_CLASS] : undefined;
  for (const p of [prior, rootPrior]) if (p) texts.push({ category: p, weight: WEIGHT.kindPrior });
  return vote(texts)?.category ?? 'unknown';
}

/** The root entity: a chain's root node value, else the finding's primary entity. */
export function offlineRootEntity(ev: AnalyzerEvidence): { type: string; value: string } {
  const link = ev.chain[0] ? parseChainLink(ev.chain[0]) : undefined;
  if (link) return { type: link.node, value: link.value };
  return { type: ev.primary.type, value: ev.primary.value };
}

const NODE_NAMES: Record<string, string> = { rds: 'database', app: 'service', ecs: 'ECS service', lambda: 'function', ec2: 'instance', s3: 'bucket', vpc: 'interface', waf: 'web ACL', cloudtrail: 'principal' };
const TYPE_NAMES: Record<string, string> = { ip: 'address', principal: 'principal', accessKey: 'access key', instance: 'instance', eni: 'interface', service: 'service', database: 'database', function: 'function', bucket: 'bucket', webAcl: 'web ACL', host: 'host', country: 'country' };

/** Where the class's usual action does not fit the entity it is about. */
const ACTION_FOR_ENTITY: Record<string, string> = {
  'brute-force:webAcl': 'Add a rate-based rule and bot control for the targeted login path on {root}, and check the accounts that were tried.',
  'flood:webAcl': 'Add or tighten a rate-based rule on {root} and block the sources behind the surge.',
  'credential-compromise:accessKey': 'Deactivate {root}, rotate the credentials of its user, and review what it did (CloudTrail) and what else came from that address.',
  'credential-compromise:principal': 'Deactivate the access keys of {root}, rotate its credentials, and review what it did (CloudTrail).',
  'data-exfiltration:eni': 'Isolate the instance behind {root}, block the destination, and find what was read.',
};

/** The offline analysis of already redacted evidence (identifiers are placeholders the caller restores). */
export function analyzeEvidenceOffline(ev: AnalyzerEvidence): Omit<FindingAnalysis, 'provider'> {
  const category = offlineCategory(ev);
  const text = CLASS_TEXT[category];
  const root = offlineRootEntity(ev);
  const rootName = `${NODE_NAMES[root.type] ?? TYPE_NAMES[root.type] ?? root.type} ${root.value}`;
  const parts: string[] = [];
  if (ev.chain.length > 1) {
    parts.push(`${text.label} at the root: ${rootName}. The trouble spread along the dependencies: ${ev.chain.join(' → ')}.`);
  } else {
    parts.push(`${text.label} on ${rootName}: ${ev.summary.replace(/[.\s]+$/, '')}.`);
  }
  parts.push(`The evidence reads as ${text.meaning}.`);
  // The line that best shows the class: a template that reads as it, else the first template, else a sample line.
  const shown = ev.templates.find((t) => failureClassOf(t) === category) ?? ev.templates[0] ?? ev.sampleLines[0];
  if (shown) {
    const one = shown.replace(/\s+/g, ' ').trim();
    parts.push(`Typical line: "${clip(one, 200)}".`);
  }
  const action = ACTION_FOR_ENTITY[`${category}:${root.type}`] ?? text.action;
  return {
    explanation: parts.join(' '),
    category,
    suggestedAction: action.replaceAll('{root}', rootName),
    ...(root.value ? { rootEntity: root.value } : {}),
  };
}
