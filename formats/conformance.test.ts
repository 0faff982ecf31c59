import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SourceName } from '../core/vocabulary.ts';
import { parseCloudTrailFile } from './cloudtrail.ts';
import { cachedVpcFlowFormat, type VpcFlowRecord } from './vpcflow.ts';
import { formats } from './registry.ts';
import type { FormatHint, LineOrigin } from './types.ts';

/**
 * The documentation corpus (testdata/conformance/, see its README): examples from AWS's pages and the
 * runtimes' own documentation, re-typed one per NDJSON line with the page they come from and the fields a
 * reader must get out of them. Every line must parse through the registry with its source's own format —
 * not merely survive as a generic record — and give the expected time, fields and entities.
 */
interface Expected {
  /** ISO-8601: the normalized record's time. */
  time: string;
  fields?: Record<string, unknown>;
  entities?: Record<string, string>;
}

interface Entry {
  page: string;
  example: string;
  /** `file`: a whole CloudTrail S3 log file ({"Records":[…]}), expected record by record. */
  kind?: 'file';
  origin?: { logGroup?: string; logStream?: string; timestamp?: string };
  hint?: FormatHint;
  /** The line must also be read without its hint (a layout the format detects). */
  alsoWithoutHint?: boolean;
  line: string;
  expect: Expected | { records: Expected[] };
}

const ROOT = new URL('./testdata/conformance/', import.meta.url);

/** Sources with a corpus, and how many examples each must at least have (so a lost file fails the suite). */
const MINIMUM: Partial<Record<SourceName, number>> = { waf: 10, vpcflow: 20, cloudtrail: 18, lambda: 25, s3access: 3, rds: 12, ecs: 12, ec2: 14, app: 16 };

function load(source: string): Entry[] {
  const dir = new URL(`${source}/`, ROOT);
  const out: Entry[] = [];
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ndjson')).sort()) {
    const text = readFileSync(new URL(f, dir), 'utf8');
    text.split('\n').forEach((l, i) => {
      if (l.trim() === '') return;
      try {
        out.push(JSON.parse(l) as Entry);
      } catch (err) {
        throw new Error(`${source}/${f}:${i + 1} is not a JSON line`, { cause: err });
      }
    });
  }
  return out;
}

function originOf(e: Entry, withHint = true): LineOrigin {
  const o: LineOrigin = {};
  if (e.origin?.logGroup) o.logGroup = e.origin.logGroup;
  if (e.origin?.logStream) o.logStream = e.origin.logStream;
  if (e.origin?.timestamp) o.timestamp = Date.parse(e.origin.timestamp);
  if (withHint && e.hint) o.hint = e.hint;
  return o;
}

function check(source: SourceName, line: string, origin: LineOrigin, want: Expected): void {
  const fmt = formats[source]!;
  const parsed = fmt.parse(line, origin);
  const n = fmt.normalize(parsed, origin);
  expect(n.fields.shape, 'read by its own format, not as a generic record').not.toBe('generic');
  expect(new Date(n.time).toISOString()).toBe(new Date(Date.parse(want.time)).toISOString());
  if (want.fields) expect(n.fields).toMatchObject(want.fields);
  if (want.entities) expect(n.entities).toMatchObject(want.entities);
  // What was read can be written back and reads the same. (Byte-exact round trips of what the generators
  // write are each format's own property tests; here a format may canonicalise, e.g. an old REPORT's spacing.)
  // A custom flow log layout is the log group's, not the record's: it is written in the declared format.
  const fields = source === 'vpcflow' ? origin.hint?.fields : undefined;
  if (source === 'vpcflow' && !fields && n.fields.version !== 2) return;
  const back = fields ? cachedVpcFlowFormat(fields).serialize(parsed as VpcFlowRecord) : fmt.serialize(parsed);
  expect(fmt.normalize(fmt.parse(back, origin), origin)).toEqual(n);
}

describe('documentation corpus', () => {
  for (const [source, minimum] of Object.entries(MINIMUM) as [SourceName, number][]) {
    describe(source, () => {
      const entries = load(source);
      it(`has at least ${minimum} examples, each naming its page`, () => {
        expect(entries.length).toBeGreaterThanOrEqual(minimum);
        for (const e of entries) expect(e.page.length, e.example).toBeGreaterThan(10);
      });
      for (const e of entries) {
        it(`${e.example}`, () => {
          if (e.kind === 'file') {
            const records = parseCloudTrailFile(e.line);
            const want = (e.expect as { records: Expected[] }).records;
            expect(records).toHaveLength(want.length);
            records.forEach((r, i) => check(source, JSON.stringify(r), originOf(e), want[i]!));
            return;
          }
          check(source, e.line, originOf(e), e.expect as Expected);
          if (e.alsoWithoutHint) check(source, e.line, originOf(e, false), e.expect as Expected);
        });
      }
    });
  }
});
