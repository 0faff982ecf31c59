import { hash as oneShotHash } from 'node:crypto';
import { errorMessage } from '../../core/index.ts';
import { logGroupRouter, type LogGroupRoute, type Topology } from '../../core/topology/index.ts';
import type { SourceName } from '../../core/index.ts';
import { genericFields, isTextBytes, isTextLine, readGeneric } from '../../formats/index.ts';
import type { FormatHint, FormatSpec, LineOrigin, NormalizedRecord } from '../../formats/index.ts';
import { MAX_LINE_BYTES, gunzipMembers, isGzip, splitJsonObjects, splitLines, validateEnvelope, type DecodeProblem, type Piece, type QuarantineCode } from './raw-decode.ts';

export type FormatRegistry = Partial<Record<SourceName, FormatSpec<unknown>>>;

/** Where a raw object lives and what it holds. */
export interface RawObject {
  bucket: string;
  key: string;
  body: Uint8Array;
  /** The object version the body is (its ETag): part of a direct record's identity. */
  etag?: string;
}

export interface NormalizeContext {
  topology: Topology;
  formats: FormatRegistry;
  /**
   * The source map's declaration for a log group (its shape, a VPC custom field list), handed to the format
   * with every line of that group. Absent: formats detect the shape.
   */
  hintOf?: (logGroup: string) => FormatHint | undefined;
  /**
   * Count what landed and nothing else (the ledger's read-back): no line is parsed and no quarantine entry built,
   * while `landed` is what a full pass gives.
   */
  landedOnly?: boolean;
}

/** A curated record with the key that identifies its delivery for de-duplication. */
export interface KeyedRecord {
  record: NormalizedRecord;
  dedupeKey: string;
}

/** One quarantined piece: what it was, why, and how many events it stood for (for the ledger). */
export interface QuarantineEntry {
  code: QuarantineCode;
  reason: string;
  /** The source when the piece was attributable (a line of a known log group that failed to parse). */
  source: SourceName | null;
  events: number;
  rawBucket: string;
  rawKey: string;
  logGroup?: string;
  logStream?: string;
  eventId?: string;
  /** The first 2 KiB, as text (lossy) and as base64, to inspect what arrived. */
  preview: string;
  previewBase64: string;
}

/** `null` stands for pieces no source can be named for (damaged gzip, random bytes, unknown groups). */
export type LandedCounts = Map<SourceName | null, number>;

export interface ObjectOutcome {
  kind: 'cwl' | 'direct' | 'unknown';
  /** The records, in order (empty when normalizeObject was given `onRecord`). */
  records: KeyedRecord[];
  quarantine: QuarantineEntry[];
  /** Events found in the object, by source: normalized + quarantined + duplicates must add up to this. */
  landed: LandedCounts;
  controlMessages: number;
  /**
   * Records (already in `records`) that their source's format could not read and that were kept as generic
   * text records (`fields.shape = 'generic'`), by source: what to look at when a source's data is not what
   * its format expects.
   */
  generic: Map<SourceName, number>;
}

const PREVIEW = 2048;

function quarantine(obj: RawObject, code: QuarantineCode, reason: string, bytes: Uint8Array, extra: Partial<QuarantineEntry> = {}): QuarantineEntry {
  const head = bytes.subarray(0, PREVIEW);
  return {
    code,
    reason,
    source: null,
    events: 1,
    rawBucket: obj.bucket,
    rawKey: obj.key,
    preview: Buffer.from(head).toString('utf8'),
    previewBase64: Buffer.from(head).toString('base64'),
    ...extra,
  };
}

// crypto.hash is the one-shot form of createHash (same digest, about half the cost per call: no Hash object).
const hash = (parts: (string | number)[]) => oneShotHash('sha256', parts.join('\0'), 'hex').slice(0, 32);

/**
 * The identity of a CloudWatch Logs event's delivery: its log group, stream and event id. CloudWatch Logs gives every
 * event it stores an id of its own, and an event the subscription delivers again (Firehose is at-least-once) comes
 * with the same id; two events with the same text and timestamp are still two ids, so both are kept. A
 * PutLogEvents that CloudWatch Logs applied twice (a retry after a lost answer) stored two events with two ids:
 * two deliveries for the pipeline, which the harness accounts for on its side (the ledger's `replayed`).
 */
export function cwlDedupeKey(logGroup: string, logStream: string, eventId: string): string {
  return hash(['cwl', logGroup, logStream, eventId]);
}
/**
 * The identity of a direct delivery (a Firehose record written straight to S3, an S3 access log line): the raw
 * object, its version (ETag) and the record's position in it. The same object read again gives the same keys; a
 * record with the same text elsewhere is another record.
 */
export function directDedupeKey(bucket: string, key: string, version: string, position: number): string {
  return hash(['object', bucket, key, version, position]);
}

/** What the estate says about a log group (source, declared shape, entities), or undefined for an undeclared one. */
export type LogGroupLookup = (logGroup: string) => LogGroupRoute | undefined;

/**
 * The estate's declared log groups and source map (topology.pipeline.logGroups, .sourceMap) as a lookup: a
 * declared group by name, else the first source-map pattern that matches.
 */
export function logGroupSources(topology: Topology): LogGroupLookup {
  return logGroupRouter(topology);
}

const encoder = new TextEncoder();

/**
 * Decodes one raw object into normalized records and quarantine entries. Pure: no AWS, no clock. Never
 * throws for bad input — every byte ends in a record or a quarantine entry with its reason. With `onRecord`, each
 * record goes to it as soon as it is made and `records` stays empty: a caller that turns records into bytes at once
 * (the normalizer) never holds a whole object's records, which outlived the young generation and were promoted.
 */
export function normalizeObject(obj: RawObject, ctx: NormalizeContext, groups: LogGroupLookup = logGroupSources(ctx.topology), onRecord?: (r: KeyedRecord) => void): ObjectOutcome {
  const out: ObjectOutcome = { kind: 'unknown', records: [], quarantine: [], landed: new Map(), controlMessages: 0, generic: new Map() };
  const emit = onRecord ?? ((r: KeyedRecord) => void out.records.push(r));
  const land = (s: SourceName | null, n = 1) => out.landed.set(s, (out.landed.get(s) ?? 0) + n);
  const bad = (p: DecodeProblem) => {
    land(null);
    if (!ctx.landedOnly) out.quarantine.push(quarantine(obj, p.code, p.reason, p.bytes));
  };
  const { pipeline } = ctx.topology;

  if (obj.bucket === pipeline.accessLogBucket) {
    out.kind = 'direct';
    const textBody = lazyText(obj.body);
    let position = 0;
    for (const pc of splitLines(obj.body)) {
      if (!pc.ok) bad(pc.problem);
      else directLine(obj, 's3access', pc, { key: obj.key }, position, ctx, out, land, textBody, emit);
      position++;
    }
    return out;
  }
  if (obj.bucket !== pipeline.rawBucket) {
    bad({ code: 'unknown-object', reason: `object in bucket ${obj.bucket}, which is neither the raw bucket (${pipeline.rawBucket}) nor the access log bucket`, bytes: obj.body });
    return out;
  }

  // Firehose objects: CWL envelopes (always gzip members) or direct WAF records (gzip when the stream compresses).
  let chunks: Uint8Array[] = [obj.body];
  if (isGzip(obj.body)) {
    const { members, problems } = gunzipMembers(obj.body);
    chunks = members;
    for (const p of problems) bad(p);
  }
  // A record's position among the object's pieces (bad ones included), across gzip members.
  let position = -1;
  for (const chunk of chunks) {
    const textChunk = lazyText(chunk);
    for (const pc of splitJsonObjects(chunk)) {
      position++;
      if (!pc.ok) {
        bad(pc.problem);
        continue;
      }
      // Only text that mentions messageType can be an envelope; everything else is a direct record (WAF), parsed
      // once by its format (a second JSON.parse here would double the cost of the hottest path).
      if (!pc.text.includes('"messageType"')) {
        if (pc.bytes.byteLength > MAX_LINE_BYTES) {
          bad({ code: 'line-too-large', reason: `record of ${pc.bytes.byteLength} bytes exceeds ${MAX_LINE_BYTES}`, bytes: pc.bytes });
          continue;
        }
        if (out.kind === 'unknown') out.kind = 'direct';
        directLine(obj, 'waf', pc, { deliveryStream: pipeline.wafDeliveryStream, key: obj.key }, position, ctx, out, land, textChunk, emit);
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(pc.text);
      } catch (err) {
        bad({ code: 'invalid-json', reason: errorMessage(err), bytes: pc.bytes });
        continue;
      }
      if (typeof value === 'object' && value !== null && 'messageType' in value) {
        out.kind = 'cwl';
        envelope(obj, value, pc, groups, ctx, out, land, bad, emit);
      } else {
        if (out.kind === 'unknown') out.kind = 'direct';
        directLine(obj, 'waf', pc, { deliveryStream: pipeline.wafDeliveryStream, key: obj.key }, position, ctx, out, land, textChunk, emit);
      }
    }
  }
  return out;
}

function envelope(
  obj: RawObject,
  value: unknown,
  pc: Extract<Piece, { ok: true }>,
  groups: LogGroupLookup,
  ctx: NormalizeContext,
  out: ObjectOutcome,
  land: (s: SourceName | null, n?: number) => void,
  bad: (p: DecodeProblem) => void,
  emit: (r: KeyedRecord) => void,
): void {
  const env = validateEnvelope(value);
  if (typeof env === 'string') return bad({ code: 'invalid-envelope', reason: env, bytes: pc.bytes });
  if (env.messageType === 'CONTROL_MESSAGE') {
    out.controlMessages++;
    return;
  }
  const route = groups(env.logGroup);
  if (!route) {
    land(null, env.logEvents.length);
    if (ctx.landedOnly) return;
    out.quarantine.push(
      quarantine(obj, 'unknown-log-group', `log group ${env.logGroup} is not declared in the estate (estate.logGroups) and matches no source map pattern (estate.sourceMap)`, pc.bytes, {
        events: env.logEvents.length,
        logGroup: env.logGroup,
        logStream: env.logStream,
      }),
    );
    return;
  }
  const source = route.source;
  if (ctx.landedOnly) return land(source, env.logEvents.length);
  const fmt = ctx.formats[source];
  const hint = ctx.hintOf?.(env.logGroup) ?? route.hint;
  const declared = route.entities;
  for (const e of env.logEvents) {
    land(source);
    // Built only when an event is quarantined: most events never need it.
    const where = () => ({ logGroup: env.logGroup, logStream: env.logStream, eventId: e.id, source });
    // UTF-8 takes at most 3 bytes per UTF-16 unit, so only long messages need their exact byte length.
    if (e.message.length > 349_525 && Buffer.byteLength(e.message, 'utf8') > 1_048_576) {
      const bytes = encoder.encode(e.message);
      out.quarantine.push(quarantine(obj, 'line-too-large', `event of ${bytes.byteLength} bytes exceeds 1,048,576`, bytes, where()));
      continue;
    }
    if (!fmt) {
      out.quarantine.push(quarantine(obj, 'no-format', `no format registered for source ${source}`, encoder.encode(e.message), where()));
      continue;
    }
    const origin: LineOrigin = { logGroup: env.logGroup, logStream: env.logStream, timestamp: e.timestamp };
    if (hint) origin.hint = hint;
    let n: Pick<NormalizedRecord, 'time' | 'entities' | 'fields'>;
    try {
      n = fmt.normalize(fmt.parse(e.message, origin), origin);
    } catch (err) {
      // A line of a shape its source does not know is still a line of that source: it is kept as a generic
      // text record with what can be read (time, level, message). Only what is not text is refused.
      if (!isTextLine(e.message)) {
        out.quarantine.push(quarantine(obj, 'not-text', `not text (control bytes) and not a ${source} line: ${errorMessage(err).split('\n')[0] ?? 'parse failed'}`, encoder.encode(e.message), where()));
        continue;
      }
      n = genericOf(fmt, e.message, origin);
      out.generic.set(source, (out.generic.get(source) ?? 0) + 1);
    }
    emit({
      dedupeKey: cwlDedupeKey(env.logGroup, env.logStream, e.id),
      record: {
        id: e.id,
        source,
        // Lines without a time of their own (Lambda START/END) take the CloudWatch event timestamp.
        time: Number.isFinite(n.time) && n.time > 0 ? n.time : e.timestamp,
        logGroup: env.logGroup,
        logStream: env.logStream,
        entities: declared ? withDeclared(n.entities, declared) : n.entities,
        fields: n.fields,
        message: e.message,
      },
    });
  }
}

/** A record's entities completed with those its log group is declared to be about (the line's own win). */
function withDeclared(entities: NormalizedRecord['entities'], declared: NormalizedRecord['entities']): NormalizedRecord['entities'] {
  let out: NormalizedRecord['entities'] | undefined;
  for (const [k, v] of Object.entries(declared) as [keyof typeof declared, string][]) if (entities[k] === undefined) (out ??= { ...entities })[k] = v;
  return out ?? entities;
}

/** A generic text record of `fmt`'s source: the time, level and message readGeneric finds, the origin's entities. */
function genericOf(fmt: FormatSpec<unknown>, line: string, origin: LineOrigin): Pick<NormalizedRecord, 'time' | 'entities' | 'fields'> {
  const g = readGeneric(line, origin);
  return { time: g.time ?? origin.timestamp ?? 0, entities: fmt.entitiesOf?.(origin) ?? {}, fields: genericFields(g) };
}

/** Whether a whole delivered object (or gzip member) is text, computed once and only when a line fails. */
function lazyText(bytes: Uint8Array): () => boolean {
  let v: boolean | undefined;
  return () => (v ??= isTextBytes(bytes));
}

// Firehose names objects `<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid>`, S3 log delivery `YYYY-MM-DD-HH-MM-SS-<id>`.
const KEY_TIME_RE = /(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-[^/]*$/;

/** When a direct delivery was written, from its object key (the time of last resort of a line without one). */
export function deliveryTimeOfKey(key: string): number | undefined {
  const m = KEY_TIME_RE.exec(key);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isFinite(t) ? t : undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function directLine(
  obj: RawObject,
  source: SourceName,
  pc: Extract<Piece, { ok: true }>,
  origin: LineOrigin,
  position: number,
  ctx: NormalizeContext,
  out: ObjectOutcome,
  land: (s: SourceName | null, n?: number) => void,
  deliveredAsText: () => boolean,
  emit: (r: KeyedRecord) => void,
): void {
  land(source);
  if (ctx.landedOnly) return;
  const fmt = ctx.formats[source];
  if (!fmt) {
    out.quarantine.push(quarantine(obj, 'no-format', `no format registered for source ${source}`, pc.bytes, { source }));
    return;
  }
  let n: Pick<NormalizedRecord, 'time' | 'entities' | 'fields'>;
  try {
    n = fmt.normalize(fmt.parse(pc.text, origin), origin);
    if (!Number.isFinite(n.time) || n.time <= 0) throw new Error(`no event time in the line (normalize gave ${n.time})`);
  } catch (err) {
    const reason = errorMessage(err).split('\n')[0] ?? 'parse failed';
    // Text that is not JSON at all is told apart from a record the format refused (the costlier check runs only here).
    const code = source === 'waf' && !isJson(pc.text) ? 'invalid-json' : 'parse-error';
    // A delivery is judged as a whole: what arrives in an object of binary bytes is damage, not a line of an
    // unknown shape. In a text object, a WAF piece that is not JSON at all is a framing error (Firehose writes
    // one JSON record per request), any other line a generic record with the time it carries, else the time
    // the object was delivered.
    if (!deliveredAsText() || !isTextLine(pc.text) || code === 'invalid-json') {
      out.quarantine.push(quarantine(obj, isTextLine(pc.text) ? code : 'not-text', reason, pc.bytes, { source }));
      return;
    }
    const g = readGeneric(pc.text);
    const time = g.time ?? deliveryTimeOfKey(obj.key);
    if (time === undefined) {
      out.quarantine.push(quarantine(obj, 'parse-error', `${reason}; and no time in the line or the object key`, pc.bytes, { source }));
      return;
    }
    n = { time, entities: fmt.entitiesOf?.(origin) ?? {}, fields: genericFields(g) };
    out.generic.set(source, (out.generic.get(source) ?? 0) + 1);
  }
  const key = directDedupeKey(obj.bucket, obj.key, obj.etag ?? '', position);
  emit({ dedupeKey: key, record: { id: key, source, time: n.time, entities: n.entities, fields: n.fields, message: pc.text } });
}
