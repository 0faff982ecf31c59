import type { Entities, SourceName } from '../core/index.ts';

/** JSON as parsed from a log line (CloudTrail records, ECS events). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * What a log group is declared to hold, when the source alone does not say it: filled per log group by a
 * source map (the estate's declaration), absent otherwise. Without a hint each format detects the shape.
 */
export interface FormatHint {
  /**
   * One of the source's declarable shapes (`FormatSpec.shapes`), e.g. app `json` | `logfmt` | `python` |
   * `log4j` | `plain` | `auto`; rds `postgresql` | `mysql`; ec2 `syslog` | `journal-json`. `auto` = detect.
   */
  shape?: string;
  /**
   * The declared field list where the wire format has no names of its own: a VPC flow log's custom format,
   * as names (`['version', 'vpc-id', …]`) or as CreateFlowLogs' `${version} ${vpc-id} …` tokens.
   */
  fields?: readonly string[];
}

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
  /** The source map's declaration for the line's log group (shape, field list); absent = detect. */
  hint?: FormatHint;
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
  /**
   * The shapes a hint may declare for this source (`auto` included where the format detects). Absent: the
   * source has one shape and takes no hint.
   */
  shapes?: readonly string[];
  /**
   * The entities the line's origin alone gives (the function of `/aws/lambda/<fn>`, the instance of an EC2
   * stream …), so that a line no shape of the source can read still lands on its entity as a generic record.
   */
  entitiesOf?(origin?: LineOrigin): Entities;
}
