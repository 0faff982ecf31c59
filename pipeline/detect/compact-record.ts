import type { SourceName } from '../../core/index.ts';
import type { NormalizedRecord } from '../../formats/index.ts';
import { SAMPLE_LINE_CHARS } from './candidate.ts';
import { isEksAuditTrail } from './generic-detectors.ts';
import { completeEntities } from './log-group-entities.ts';

/**
 * Structured sources whose messages no detector reads beyond a candidate's sample line: their signatures, entity
 * vectors and share shifts read fields, and only text sources (and a structured source's generic lines, which
 * carry nothing but text) go to the template miner (TEXT_SOURCES) and the message classes. A detector that starts reading such a
 * message must take its source out of this list (compact-record.test.ts holds decisions equal either way).
 */
export const SAMPLE_ONLY_MESSAGE: ReadonlySet<SourceName> = new Set<SourceName>(['waf', 'cloudtrail', 's3access', 'vpcflow']);

/**
 * Whether no detector reads this record's message beyond a candidate's sample line: a structured source's record,
 * or an EKS audit event or token review — EKS is a text source, but the miner and the sparse sign-in rule skip its
 * audit trail (isPlatformLine), whose JSON events (about a kilobyte each) only the EKS signatures read, by their
 * fields. A generic line (one its format could not read) carries nothing but text and is always kept whole.
 */
export function sampleOnlyMessage(r: NormalizedRecord): boolean {
  if (r.fields.shape === 'generic') return false;
  return SAMPLE_ONLY_MESSAGE.has(r.source) || (r.source === 'eks' && isEksAuditTrail(r));
}

/** Strings longer than this are rarely repeated (request ids, user agents with versions): not worth a pool entry. */
const MAX_POOLED_CHARS = 256;

/**
 * A window's records as the detector holds them: only what detectWindow reads, with repeated strings shared.
 * A curated line parses into a record whose every string is its own copy (JSON.parse does not share), so 45,000
 * records of one window repeat the same log group, account, action and address thousands of times; the pool makes
 * them one string each. Dropped: the curated lineage (`dedupeKey`, `rawObject`) and `logStream`, which no detector
 * reads; a sample-only message (sampleOnlyMessage) keeps its first SAMPLE_LINE_CHARS characters (a WAF, CloudTrail
 * or EKS audit record's message is its whole JSON event, 1–2 kB). Entities are held completed, as detectWindow
 * reads them. The pool lives as long as the compactor: one per window keeps it bounded by the window's own records.
 */
export class RecordCompactor {
  private readonly pool = new Map<string, string>();

  /**
   * `eniToInstance`: the asset inventory detectWindow is given (DetectTopology.inventory), so that records are held
   * with their entities completed (completeEntities) and detectWindow holds no completed copy of them.
   */
  constructor(private readonly eniToInstance?: Readonly<Record<string, string>>) {}

  private share(s: string): string {
    if (s.length > MAX_POOLED_CHARS) return s;
    const had = this.pool.get(s);
    if (had !== undefined) return had;
    this.pool.set(s, s);
    return s;
  }

  /** The record to hold. `r` is a freshly parsed record the caller lets go: its entities and fields are reused. */
  compact(r: NormalizedRecord): NormalizedRecord {
    const entities = r.entities as Record<string, string | undefined>;
    for (const k in entities) {
      const v = entities[k];
      if (typeof v === 'string') entities[k] = this.share(v);
    }
    const fields = r.fields;
    for (const k in fields) {
      const v = fields[k];
      if (typeof v === 'string') fields[k] = this.share(v);
    }
    const sampleOnly = r.message.length > SAMPLE_LINE_CHARS && sampleOnlyMessage(r);
    return {
      id: r.id,
      source: this.share(r.source) as SourceName,
      time: r.time,
      ...(r.logGroup !== undefined ? { logGroup: this.share(r.logGroup) } : {}),
      entities: completeEntities(r, this.eniToInstance),
      fields,
      // A copy, not a slice: V8 keeps a slice's whole parent string alive.
      message: sampleOnly ? ownCopy(r.message.slice(0, SAMPLE_LINE_CHARS)) : r.message,
    };
  }
}

/** A string of its own (round-tripped through JSON so that lone surrogates survive as they are). */
function ownCopy(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
