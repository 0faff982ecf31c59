import type { z } from 'zod';
import { closest } from './suggest.ts';
import { displayPath, type PathSegment } from './locate.ts';

/**
 * Turns zod issues into what a person needs: a summary, what was expected, what was seen and a fix —
 * with "did you mean" for enum values and keys. Location is added by the caller (it owns the YAML).
 */

export interface ExplainedIssue {
  path: PathSegment[];
  /** Report at the key rather than the value (unknown keys). */
  atKey: boolean;
  summary: string;
  expected: string;
  seen?: string;
  fix?: string;
}

/** The slice of zod's internal definition this walker reads (zod 4 keeps it on `_zod.def`). */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, string | number>;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The keys allowed at `path`: an object's own, or an enum-keyed record's (several when a union offers more than one). */
function keysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let frontier: z.ZodType[] = [schema];
  const unwrap = (s: z.ZodType): z.ZodType[] => {
    const d = defOf(s);
    if (d.innerType) return unwrap(d.innerType);
    if (d.type === 'pipe' && d.in) return unwrap(d.in);
    if (d.type === 'union' && d.options) return d.options.flatMap(unwrap);
    return [s];
  };
  for (const seg of path) {
    const next: z.ZodType[] = [];
    for (const s of frontier.flatMap(unwrap)) {
      const d = defOf(s);
      if (typeof seg === 'number' && d.type === 'array' && d.element) next.push(d.element);
      else if (typeof seg === 'string' && d.type === 'object' && d.shape?.[seg]) next.push(d.shape[seg]);
      else if (typeof seg === 'string' && d.type === 'record' && d.valueType) next.push(d.valueType);
    }
    frontier = next;
  }
  return frontier.flatMap(unwrap).flatMap((s) => {
    const d = defOf(s);
    if (d.type === 'object' && d.shape) return Object.keys(d.shape);
    const key = d.type === 'record' && d.keyType ? defOf(d.keyType) : undefined;
    return key?.type === 'enum' && key.entries ? Object.values(key.entries).map(String) : [];
  });
}

export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null (an empty value)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    return keys.length ? `a mapping with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}` : 'an empty mapping';
  }
  return `${typeof v} ${String(v)}`;
}

/** zod's default messages start with "Invalid"/"Too"; ours are phrased as the expectation itself. */
const isDefaultMessage = (m: string) => /^(Invalid|Too (small|big)|Unrecognized)/.test(m);

function bound(issue: { origin?: string; minimum?: unknown; maximum?: unknown; inclusive?: boolean }, dir: 'min' | 'max'): string {
  const n = dir === 'min' ? issue.minimum : issue.maximum;
  const origin = issue.origin ?? 'value';
  if (origin === 'array') return `${dir === 'min' ? 'at least' : 'at most'} ${String(n)} item${n === 1 ? '' : 's'}`;
  if (origin === 'string') return `${dir === 'min' ? 'at least' : 'at most'} ${String(n)} character${n === 1 ? '' : 's'}`;
  const op = dir === 'min' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `a ${origin} ${op} ${String(n)}`;
}

export interface ExplainOptions {
  /** Summary of a refinement (`custom`) issue that names none, e.g. `inconsistent drill`. Default `inconsistent`. */
  customSummary?: string;
}

export function explainIssues(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], opts: ExplainOptions = {}): ExplainedIssue[] {
  const out: ExplainedIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    const input = (issue as { input?: unknown }).input;
    const custom = isDefaultMessage(issue.message) ? undefined : issue.message;
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = [...new Set(keysAt(schema, path))];
        for (const key of issue.keys) {
          const guess = closest(key, known);
          out.push({
            path: [...path, key],
            atKey: true,
            summary: `unknown key \`${key}\``,
            expected: known.length ? `one of the keys ${known.join(', ')}` : 'no other keys',
            seen: `\`${key}\``,
            fix: guess ? `did you mean \`${guess}\`?` : `remove \`${key}\``,
          });
        }
        break;
      }
      case 'invalid_value': {
        const last = path[path.length - 1];
        if (input === undefined && typeof last === 'string') {
          out.push({
            path,
            atKey: false,
            summary: `missing required key \`${last}\``,
            expected: `\`${last}:\` with ${custom ?? 'one of'}: ${issue.values.map(String).join(', ')}`,
            seen: 'no such key',
            fix: `add \`${last}: …\` here`,
          });
          break;
        }
        const values = issue.values.map((v) => String(v));
        const guess = typeof input === 'string' ? closest(input, values) : undefined;
        out.push({
          path,
          atKey: false,
          summary: `not ${custom ?? 'an allowed value'}`,
          expected: `${custom ? `${custom}: ` : ''}one of ${values.join(', ')}`,
          seen: showValue(input),
          fix: guess ? `did you mean \`${guess}\`?` : `use one of the values listed`,
        });
        break;
      }
      case 'invalid_type': {
        const last = path[path.length - 1];
        if (input === undefined && typeof last === 'string') {
          out.push({
            path,
            atKey: false,
            summary: `missing required key \`${last}\``,
            expected: `\`${last}:\` with ${custom ?? `a ${issue.expected}`}`,
            seen: 'no such key',
            fix: `add \`${last}: …\` here`,
          });
        } else {
          const fix = wrongTypeFix(issue.expected, input);
          out.push({ path, atKey: false, summary: `wrong type`, expected: custom ?? `a ${issue.expected}`, seen: showValue(input), ...(fix ? { fix } : {}) });
        }
        break;
      }
      case 'invalid_format':
        out.push({ path, atKey: false, summary: `malformed value`, expected: custom ?? `a ${issue.format}`, seen: showValue(input), ...exampleFix(custom) });
        break;
      case 'too_small':
      case 'too_big':
        out.push({
          path,
          atKey: false,
          summary: issue.code === 'too_small' ? 'too small' : 'too big',
          expected: custom ?? bound(issue, issue.code === 'too_small' ? 'min' : 'max'),
          seen: showValue(input),
          fix: `a value ${bound(issue, issue.code === 'too_small' ? 'min' : 'max').replace(/^an? \w+ /, '')}`,
        });
        break;
      case 'invalid_union': {
        // zod already narrows to the matching branch when it can; here no branch fits the input's type.
        const expected = issue.errors
          .map((branch) => branch.find((e) => e.path.length === 0))
          .filter((e): e is z.core.$ZodIssue => e !== undefined)
          .map((e) => (isDefaultMessage(e.message) ? `a ${(e as { expected?: string }).expected ?? 'value'}` : e.message));
        out.push({ path, atKey: false, summary: 'wrong type', expected: custom ?? [...new Set(expected)].join(', or '), seen: showValue(input) });
        break;
      }
      case 'custom': {
        const p = (issue.params ?? {}) as { expected?: string; seen?: string; fix?: string; summary?: string };
        out.push({
          path,
          atKey: false,
          summary: p.summary ?? opts.customSummary ?? 'inconsistent',
          expected: p.expected ?? issue.message,
          ...(p.seen === undefined ? {} : { seen: p.seen }),
          ...(p.fix === undefined ? {} : { fix: p.fix }),
        });
        break;
      }
      default:
        out.push({ path, atKey: false, summary: issue.message, expected: custom ?? issue.message, seen: showValue(input) });
    }
  }
  return out;
}

export { displayPath };

/** YAML reads `42`, `true` or `1e3` as numbers and booleans: a string was meant, so quoting it is the fix. */
function wrongTypeFix(expected: string, input: unknown): string | undefined {
  if (expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) return `quote it: "${String(input)}"`;
  if (expected === 'array' && input !== null && input !== undefined && typeof input !== 'object') return `make it a list: [${String(input)}]`;
  return undefined;
}

/** A format's message names an example ("such as 30s", "e.g. ./setup.ts#setup"): the fix is to write it that way. */
function exampleFix(expected: string | undefined): { fix?: string } {
  const m = expected ? /(?:such as|e\.g\.)\s+(.+?)(?:\s*\(|$)/.exec(expected) : null;
  return m ? { fix: `write it as ${m[1]!.replace(/,? or /, ', or ')}` } : {};
}
