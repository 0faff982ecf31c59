import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { ConfigIssue } from './config-issue.ts';
import { displayPath, locate, type PathSegment } from './locate.ts';
import { explainIssues, type ExplainOptions } from './zod-issues.ts';

/** A parsed YAML document that still knows where each node came from. */
export interface YamlSource {
  file: string;
  doc: Document;
  counter: LineCounter;
  /** The document as plain data. */
  data: unknown;
}

export type YamlParse = { ok: true; source: YamlSource } | { ok: false; issues: ConfigIssue[] };

/** Parses YAML keeping node ranges; syntax errors (duplicate keys included) come back located. */
export function parseYaml(text: string, file: string): YamlParse {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? counter.linePos(e.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          path: '',
          summary: `YAML syntax error (${e.code})`,
          expected: 'well-formed YAML',
          seen: e.message.split('\n')[0]!,
          fix: e.code === 'DUPLICATE_KEY' ? 'remove or rename the repeated key' : 'check indentation and quoting on this line',
        };
      }),
    };
  }
  return { ok: true, source: { file, doc, counter, data: doc.toJS({ maxAliasCount: 1000 }) } };
}

/** A problem found at `path` of a parsed document, located at its value (or, with `atKey`, its key). */
export function issueAt(source: YamlSource, path: readonly PathSegment[], problem: Omit<ConfigIssue, 'file' | 'line' | 'column' | 'path'>, atKey = false): ConfigIssue {
  const pos = locate(source.doc, source.counter, path, { key: atKey });
  return { file: source.file, line: pos.line, column: pos.column, path: displayPath(path), ...problem };
}

export function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

export type SchemaCheck<T> = { ok: true; value: T } | { ok: false; issues: ConfigIssue[] };

/** Validates a parsed document against a zod schema; every problem located and explained, in file order. */
export function checkSchema<S extends z.ZodType>(schema: S, source: YamlSource, opts: ExplainOptions = {}): SchemaCheck<z.output<S>> {
  const parsed = schema.safeParse(source.data ?? {}, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = explainIssues(schema, parsed.error.issues, opts).map((x) =>
    issueAt(source, x.path, { summary: x.summary, expected: x.expected, ...(x.seen === undefined ? {} : { seen: x.seen }), ...(x.fix === undefined ? {} : { fix: x.fix }) }, x.atKey),
  );
  return { ok: false, issues: sortIssues(issues) };
}
