import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';
import type { MapSpec, Observation, PresetName, RawFinding } from './types.ts';

/**
 * From a SUT's own finding shape to an observation, with JMESPath. The JMESPath Community Edition
 * (`@jmespath-community/jmespath`) is maintained, typed, follows the published specification and its compliance
 * suite, and adds what mappings need (let-expressions, `items`, string functions) — JMESPath is also what the AWS
 * CLI's `--query` speaks, so a SUT's authors likely know it already. JSONPath has no standard for building
 * values (lists of several fields), which every mapping of entities needs.
 */

type Expr = ReturnType<typeof compile>;

/** The two presets of the design: firedrill's own Finding (core/finding.ts) and AWS Security Finding Format. */
export const PRESET_MAPS: Record<Exclude<PresetName, 'none'>, MapSpec> = {
  firedrill: {
    id: 'findingId',
    claimedTime: 'detectedAt',
    firstSeen: 'firstSeen',
    lastSeen: 'lastSeen',
    entities: 'entities',
    kind: 'kind',
    rootCause: 'chain',
    text: 'summary',
    explanation: 'analysis.explanation',
    failureClass: 'analysis.category',
  },
  asff: {
    id: 'Id',
    // CreatedAt is when the provider created the finding (its detection); First/LastObservedAt span the evidence.
    claimedTime: 'CreatedAt',
    firstSeen: 'FirstObservedAt',
    lastSeen: 'LastObservedAt',
    entities:
      '[Resources[].Id, Resources[].Details.AwsIamAccessKey.PrincipalName, Resources[].Details.AwsIamAccessKey.UserName, Resources[].Details.AwsEc2Instance.IpV4Addresses[], Network.SourceIpV4, Network.SourceIpV6, Network.DestinationIpV4, Network.DestinationIpV6, Network.SourceDomain, Network.DestinationDomain, Process.Name, Process.Path][]',
    kind: 'Types[0]',
    text: "join(' — ', [Title, Description][?@ != `null`])",
  },
};

export const MAP_FIELDS = ['id', 'claimedTime', 'firstSeen', 'lastSeen', 'entities', 'kind', 'rootCause', 'text', 'explanation', 'failureClass'] as const;
type Field = (typeof MAP_FIELDS)[number];

/** Why an expression cannot be used (syntax, unknown function), or undefined when it can. */
export function expressionProblem(expression: string): string | undefined {
  let expr: Expr;
  try {
    expr = compile(expression);
  } catch (err) {
    return (err as Error).message;
  }
  // Unknown functions surface only when evaluated; on an empty object everything else yields null quietly.
  try {
    TreeInterpreter.search(expr, {});
  } catch (err) {
    const m = (err as Error).message;
    if (/unknown function/i.test(m)) return m;
  }
  return undefined;
}

/** epoch ms, epoch seconds (below 1e11) or ISO 8601 → epoch ms. */
function toTime(v: JSONValue): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? Math.round(v * 1000) : v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (Number.isFinite(n)) return toTime(n);
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function strings(v: JSONValue, out: string[] = []): string[] {
  if (v === null || v === undefined) return out;
  if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  else if (String(v) !== '') out.push(String(v));
  return out;
}

/** Compact JSON (the default text, and what matching searches). */
export function compactJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export interface Mapper {
  /** The observation of a raw finding first seen at `observedAt` (wall ms). */
  (finding: RawFinding, observedAt: number): Observation;
}

/**
 * A tap's mapping: the preset's expressions overridden by the tap's own. Without either, an observation still
 * carries the raw finding, its compact JSON as text, no entities and no kind: matching then searches the raw text.
 * An expression that fails on one finding leaves that field out (named in mapErrors); a syntax error is the SUT
 * file's and is reported by `firedrill sut validate`.
 */
export function createMapper(tap: string, preset: PresetName, map: MapSpec): Mapper {
  const spec: MapSpec = { ...(preset === 'none' ? {} : PRESET_MAPS[preset]), ...Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined)) };
  const compiled = new Map<Field, Expr>();
  for (const f of MAP_FIELDS) if (spec[f] !== undefined) compiled.set(f, compile(spec[f]));
  return (finding, observedAt) => {
    const errors: string[] = [];
    const raw = finding.raw as JSONValue;
    const get = (f: Field): JSONValue | undefined => {
      const e = compiled.get(f);
      if (!e) return undefined;
      try {
        return TreeInterpreter.search(e, raw ?? null);
      } catch (err) {
        errors.push(`${f} (${spec[f]}): ${(err as Error).message}`);
        return undefined;
      }
    };
    const time = (f: Field): number | undefined => {
      const v = get(f);
      if (v === undefined || v === null) return undefined;
      const t = toTime(v);
      if (t === undefined) errors.push(`${f} (${spec[f]}): ${compactJson(v)} is not a time (epoch ms, epoch s or ISO 8601)`);
      return t;
    };
    const id = get('id');
    const kind = get('kind');
    const root = get('rootCause');
    const text = get('text');
    const obs: Observation = {
      tap,
      id: typeof id === 'string' || typeof id === 'number' ? String(id) : finding.id,
      observedAt,
      entities: [...new Set(strings(get('entities') ?? null))],
      text: typeof text === 'string' ? text : text === undefined || text === null ? compactJson(finding.raw) : compactJson(text),
      raw: finding.raw,
    };
    if (finding.arrivedAt !== undefined) obs.arrivedAt = finding.arrivedAt;
    const claimed = time('claimedTime');
    if (claimed !== undefined) obs.claimedTime = claimed;
    const first = time('firstSeen');
    if (first !== undefined) obs.firstSeen = first;
    const last = time('lastSeen');
    if (last !== undefined) obs.lastSeen = last;
    if (typeof kind === 'string' && kind !== '') obs.kind = kind;
    const chain = root === undefined || root === null ? [] : strings(root);
    if (chain.length) obs.rootCause = chain;
    const explanation = get('explanation');
    if (typeof explanation === 'string' && explanation.trim() !== '') obs.explanation = explanation;
    const failureClass = get('failureClass');
    if (typeof failureClass === 'string' && failureClass !== '') obs.failureClass = failureClass;
    if (errors.length) obs.mapErrors = errors;
    if (finding.origin !== undefined) obs.origin = finding.origin;
    return obs;
  };
}
