import { closest } from '../../core/config-file/index.ts';

/**
 * `${…}` references in a SUT file's strings. They name values firedrill learns only at bootstrap (the account,
 * a queue's URL, an output of the setup hook), so a file is checked for syntax when it is loaded and resolved
 * when the values exist. References nest (`${ref:queue-url:${prefix}-work}`: the inner one first); `$${` writes
 * a literal `${`.
 */

/** Identifiers firedrill learns when it creates (or, deployed, looks up) a resource. */
export const REF_KINDS = ['queue-url', 'queue-arn', 'topic-arn', 'stream-arn', 'delivery-stream-arn', 'table', 'bucket'] as const;
export type RefKind = (typeof REF_KINDS)[number];

export type Reference =
  | { kind: 'prefix' | 'region' | 'account' }
  | { kind: 'ref'; refKind: RefKind; name: string }
  | { kind: 'estate'; path: string }
  | { kind: 'output'; name: string }
  | { kind: 'env'; name: string; fallback?: string };

/** What went wrong with one reference, phrased for a ConfigIssue. */
export interface ReferenceProblem {
  summary: string;
  expected: string;
  seen: string;
  fix?: string;
}

export type Resolved = { ok: true; value: string } | { ok: false; problem: ReferenceProblem };

/** Values known at bootstrap; a reference to one that is absent is an error that says how to provide it. */
export interface InterpolationValues {
  /** The harness estate's name prefix (`firedrill` by default). */
  prefix?: string;
  region?: string;
  /** The target's account id. */
  account?: string;
  /** Resource identifiers by `<kind>:<name>`, e.g. `queue-url:work`. */
  refs?: Readonly<Record<string, string>>;
  /** The harness estate (EstateIds), read by dotted path: `${estate:rds.dbInstanceId}`, `${estate:instances.0.instanceId}`. */
  estate?: unknown;
  /** What the setup hook returned. */
  outputs?: Readonly<Record<string, unknown>>;
  env?: Readonly<Record<string, string | undefined>>;
}

export type Resolver = (ref: Reference) => Resolved;

type Part = { text: string } | { expr: Part[]; source: string };

const SYNTAX = 'a reference such as ${prefix}, ${region}, ${account}, ${ref:queue-url:<name>}, ${estate:<path>}, ${output:<name>} or ${env:NAME}';

/** Splits a string into literal text and (possibly nested) references. */
function parseParts(s: string): { ok: true; parts: Part[] } | { ok: false; problem: ReferenceProblem } {
  const root: Part[] = [];
  const stack: { parts: Part[]; start: number }[] = [];
  let current = root;
  let text = '';
  const flush = () => {
    if (text) current.push({ text });
    text = '';
  };
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('$${', i)) {
      text += '${';
      i += 2;
    } else if (s.startsWith('${', i)) {
      flush();
      stack.push({ parts: current, start: i });
      current = [];
      i += 1;
    } else if (s[i] === '}' && stack.length) {
      flush();
      const open = stack.pop()!;
      open.parts.push({ expr: current, source: s.slice(open.start, i + 1) });
      current = open.parts;
    } else text += s[i];
  }
  if (stack.length) {
    return { ok: false, problem: { summary: 'unclosed reference', expected: SYNTAX, seen: JSON.stringify(s.slice(stack[0]!.start)), fix: 'close it with `}` (write `$${` for a literal `${`)' } };
  }
  flush();
  return { ok: true, parts: root };
}

/** Reads the text inside `${…}` as a reference. */
export function parseReference(body: string): { ok: true; ref: Reference } | { ok: false; problem: ReferenceProblem } {
  const seen = `\${${body}}`;
  const b = body.trim();
  if (b === 'prefix' || b === 'region' || b === 'account') return { ok: true, ref: { kind: b } };
  const colon = b.indexOf(':');
  const head = colon < 0 ? b : b.slice(0, colon);
  const rest = colon < 0 ? '' : b.slice(colon + 1);
  switch (head) {
    case 'ref': {
      const c = rest.indexOf(':');
      const refKind = c < 0 ? rest : rest.slice(0, c);
      const name = c < 0 ? '' : rest.slice(c + 1);
      if (!(REF_KINDS as readonly string[]).includes(refKind)) {
        const guess = closest(refKind, REF_KINDS);
        return { ok: false, problem: { summary: 'unknown kind of resource reference', expected: `\${ref:<kind>:<name>} with kind one of ${REF_KINDS.join(', ')}`, seen, ...(guess ? { fix: `did you mean \`ref:${guess}\`?` } : {}) } };
      }
      if (!name) return { ok: false, problem: { summary: 'resource reference without a name', expected: `\${ref:${refKind}:<name>}`, seen, fix: 'name the resource, as declared under resources' } };
      return { ok: true, ref: { kind: 'ref', refKind: refKind as RefKind, name } };
    }
    case 'estate':
      if (!rest) return { ok: false, problem: { summary: 'estate reference without a path', expected: '${estate:<path>}, e.g. ${estate:rds.dbInstanceId}', seen } };
      return { ok: true, ref: { kind: 'estate', path: rest } };
    case 'output':
      if (!rest) return { ok: false, problem: { summary: 'output reference without a name', expected: '${output:<name>} (a key the setup hook returns)', seen } };
      return { ok: true, ref: { kind: 'output', name: rest } };
    case 'env': {
      const d = rest.indexOf(':-');
      const name = d < 0 ? rest : rest.slice(0, d);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { ok: false, problem: { summary: 'malformed environment reference', expected: '${env:NAME} or ${env:NAME:-default}', seen } };
      return { ok: true, ref: d < 0 ? { kind: 'env', name } : { kind: 'env', name, fallback: rest.slice(d + 2) } };
    }
    default: {
      const guess = closest(head, ['prefix', 'region', 'account', 'ref', 'estate', 'output', 'env']);
      return { ok: false, problem: { summary: 'unknown reference', expected: SYNTAX, seen, ...(guess ? { fix: `did you mean \`${guess}\`?` } : {}) } };
    }
  }
}

/**
 * The syntax problems of a string's references, checked without any value (when the file is loaded). A
 * reference whose name is itself a reference is checked as far as its head.
 */
export function referenceSyntaxProblems(s: string): ReferenceProblem[] {
  const parsed = parseParts(s);
  if (!parsed.ok) return [parsed.problem];
  const problems: ReferenceProblem[] = [];
  const walk = (parts: Part[]) => {
    for (const p of parts) {
      if (!('expr' in p)) continue;
      walk(p.expr);
      const first = p.expr[0];
      const nested = p.expr.some((x) => 'expr' in x);
      const body = nested ? `${first && 'text' in first ? first.text : ''}x` : p.expr.map((x) => ('text' in x ? x.text : '')).join('');
      const r = parseReference(body);
      if (!r.ok) problems.push({ ...r.problem, seen: p.source });
    }
  };
  walk(parsed.parts);
  return problems;
}

/** Does the string use any reference? (`$${` escapes do not count.) */
export function hasReference(s: string): boolean {
  return s.replace(/\$\$\{/g, '').includes('${');
}

/** Resolves every reference of a string, innermost first; the first problem stops it. */
export function interpolate(s: string, resolve: Resolver): Resolved {
  const parsed = parseParts(s);
  if (!parsed.ok) return parsed;
  const render = (parts: Part[]): Resolved => {
    let out = '';
    for (const p of parts) {
      if ('text' in p) {
        out += p.text;
        continue;
      }
      const body = render(p.expr);
      if (!body.ok) return body;
      const ref = parseReference(body.value);
      if (!ref.ok) return { ok: false, problem: { ...ref.problem, seen: p.source } };
      const v = resolve(ref.ref);
      if (!v.ok) return v;
      out += v.value;
    }
    return { ok: true, value: out };
  };
  return render(parsed.parts);
}

const REF_WORDS: Record<RefKind, { what: string; where: string }> = {
  'queue-url': { what: 'queue', where: 'resources.queues' },
  'queue-arn': { what: 'queue', where: 'resources.queues' },
  'topic-arn': { what: 'topic', where: 'resources.topics' },
  'stream-arn': { what: 'Kinesis stream', where: 'resources.streams' },
  'delivery-stream-arn': { what: 'delivery stream', where: 'resources.deliveryStreams' },
  table: { what: 'table', where: 'resources.tables' },
  bucket: { what: 'bucket', where: 'resources.buckets' },
};

function scalar(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** A resolver over the values known so far; each absent value is a problem saying what to do. */
export function createResolver(values: InterpolationValues): Resolver {
  return (ref) => {
    switch (ref.kind) {
      case 'prefix':
      case 'region':
      case 'account': {
        const v = values[ref.kind];
        if (v !== undefined) return { ok: true, value: v };
        return { ok: false, problem: { summary: `\${${ref.kind}} is not known here`, expected: `a ${ref.kind} given by the run (the target's)`, seen: 'none', fix: `write the value itself, or use \${${ref.kind}} only where firedrill resolves it at bootstrap` } };
      }
      case 'ref': {
        const key = `${ref.refKind}:${ref.name}`;
        const v = values.refs?.[key];
        if (v !== undefined) return { ok: true, value: v };
        const w = REF_WORDS[ref.refKind];
        const known = Object.keys(values.refs ?? {}).filter((k) => k.startsWith(`${ref.refKind}:`)).map((k) => k.slice(ref.refKind.length + 1));
        const guess = closest(ref.name, known);
        return {
          ok: false,
          problem: {
            summary: values.refs ? `no ${w.what} \`${ref.name}\` to take the ${ref.refKind} of` : `\${ref:…} is not known here`,
            expected: values.refs ? (known.length ? `one of the ${w.what}s: ${known.join(', ')}` : `a ${w.what} declared under ${w.where}`) : 'a reference resolved after the resources exist (not inside resources:)',
            seen: `\${ref:${key}}`,
            fix: guess ? `did you mean \`${guess}\`?` : values.refs ? `declare it under ${w.where} (or, deployed, check that it exists)` : 'name the resource directly',
          },
        };
      }
      case 'estate': {
        let node: unknown = values.estate;
        if (node === undefined) return { ok: false, problem: { summary: '${estate:…} is not known here', expected: 'the harness estate (known at bootstrap)', seen: `\${estate:${ref.path}}`, fix: 'use it only outside resources:' } };
        const segs = ref.path.split('.');
        for (let i = 0; i < segs.length; i++) {
          const seg = segs[i]!;
          const keys = node && typeof node === 'object' ? Object.keys(node) : [];
          if (!keys.includes(seg)) {
            const at = segs.slice(0, i).join('.') || 'the estate';
            const guess = closest(seg, keys);
            return { ok: false, problem: { summary: `the estate has no \`${segs.slice(0, i + 1).join('.')}\``, expected: keys.length ? `at ${at}, one of ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', …' : ''}` : node && typeof node === 'object' ? `${at} has no keys (is the estate bootstrapped?)` : `${at} is a value, not a mapping`, seen: `\${estate:${ref.path}}`, ...(guess ? { fix: `did you mean \`${[...segs.slice(0, i), guess].join('.')}\`?` } : {}) } };
          }
          node = (node as Record<string, unknown>)[seg];
        }
        const v = scalar(node);
        if (v !== undefined) return { ok: true, value: v };
        return { ok: false, problem: { summary: `\`${ref.path}\` of the estate is not a single value`, expected: 'a path to a string or number', seen: Array.isArray(node) ? 'a list' : 'a mapping', fix: 'go one level deeper (lists by index: instances.0.instanceId)' } };
      }
      case 'output': {
        const v = values.outputs ? scalar(values.outputs[ref.name]) : undefined;
        if (v !== undefined) return { ok: true, value: v };
        const known = Object.keys(values.outputs ?? {});
        const guess = closest(ref.name, known);
        return {
          ok: false,
          problem: {
            summary: values.outputs ? `the setup hook returned no \`${ref.name}\`` : '${output:…} is not known here',
            expected: values.outputs ? (known.length ? `one of ${known.join(', ')}` : 'the setup hook to return an object of strings') : 'a value returned by resources.setup (known after it ran)',
            seen: `\${output:${ref.name}}`,
            fix: guess ? `did you mean \`${guess}\`?` : values.outputs ? `return { ${ref.name}: … } from the setup hook` : 'declare resources.setup, and use outputs outside resources:',
          },
        };
      }
      case 'env': {
        const v = values.env?.[ref.name] ?? ref.fallback;
        if (v !== undefined) return { ok: true, value: v };
        return { ok: false, problem: { summary: `environment variable ${ref.name} is not set`, expected: `${ref.name} in the environment firedrill runs in`, seen: 'unset', fix: `export ${ref.name}=…, or give a default: \${env:${ref.name}:-value}` } };
      }
    }
  };
}
