import type { Entities, SourceName } from '../core/index.ts';

/** JSON as parsed from a log line (CloudTrail records, ECS events). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A record after normalization: what the normalizer writes to curated/ (one JSON object per line) and
 * all the detector ever sees. `fields` are the source's parsed fields (names listed in docs/CONTRACTS.md);
 * `message` is the original line, byte for byte.
 */
export interface NormalizedRecord {
  /** Stable event id: the CloudWatch Logs event id, or a hash of (source, key, line) for direct deliveries. */
  id: string;
  source: SourceName;
  /** Event time, epoch ms (from the record itself, not from delivery). */
  time: number;
  logGroup?: string;
  logStream?: string;
  entities: Entities;
  fields: Record<string, string | number | boolean | null>;
  message: string;
  /**
   * In curated data (written first on each line): the content identity the normalizer de-duplicates by, a hash of
   * where and what the event was. Absent on records built in memory.
   */
  dedupeKey?: string;
  /** In curated data: the raw object the record came from (its id, see pipeline/normalize/layout.ts). */
  rawObject?: string;
}

/** Where a line came from, as the normalizer knows it: enough to tell which parser applies. */
export interface LineOrigin {
  logGroup?: string;
  logStream?: string;
  /** For direct deliveries: the Firehose stream or S3 key the line arrived in. */
  deliveryStream?: string;
  key?: string;
  /**
   * The CloudWatch Logs event timestamp (epoch ms), for lines that carry no full time of their own:
   * syslog lines have no year, Lambda START/END/REPORT lines no time at all.
   */
  timestamp?: number;
}

/**
 * One AWS wire format. Shared by generators (serialize) and the normalizer (parse + normalize).
 * parse() throws FormatError (core/errors.ts) whose message is the quarantine reason.
 */
export interface FormatSpec<R> {
  source: SourceName;
  /** A short name for reports, e.g. 'WAF web ACL log'. */
  title: string;
  serialize(record: R): string;
  parse(line: string, origin?: LineOrigin): R;
  /** Event time, entities and flat fields of a parsed record. */
  normalize(record: R, origin?: LineOrigin): Pick<NormalizedRecord, 'time' | 'entities' | 'fields'>;
}
