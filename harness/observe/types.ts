/**
 * What firedrill sees of a system under test: observations read through taps, without changing the SUT. The
 * matcher (harness/match) and the evaluator (harness/evaluate) work on observations only, whoever produced them.
 */

/** One finding of the SUT, as firedrill observed it. */
export interface Observation {
  /** The tap it came through, e.g. `dynamodb:LogAnomalies`. */
  tap: string;
  /** Stable within the tap: the item's key, the message id, object key and line, the ASFF Id, or the mapped id. */
  id: string;
  /** Wall time (epoch ms) firedrill first saw it: the poll that returned it. */
  observedAt: number;
  /**
   * Wall time (epoch ms) the transport stamped on it, when it has one: an SQS message's SentTimestamp, the SNS
   * envelope's Timestamp, an EventBridge event's time, an S3 object's LastModified, a log event's ingestionTime.
   * Unlike observedAt it does not depend on when firedrill polled, so it still places a finding read after the
   * fact (`firedrill score` against a live SUT).
   */
  arrivedAt?: number;
  /** The event time (epoch ms) the SUT states for the finding (its detection time), when it states one. */
  claimedTime?: number;
  /** The event-time span (epoch ms) the finding covers, when the SUT states one. */
  firstSeen?: number;
  lastSeen?: number;
  /** What the finding is about (string values; types, when mapped from an object, are not kept). */
  entities: string[];
  /** Used for scoring when it is one of firedrill's finding kinds (core/vocabulary.ts); any other is shown only. */
  kind?: string;
  /** The root-cause chain, root first. */
  rootCause?: string[];
  /** A human summary; the raw finding as compact JSON when nothing is mapped. */
  text: string;
  /** The SUT's root-cause explanation of the finding (an analyzer's or a model's words), when it attaches one. */
  explanation?: string;
  /** The failure class the SUT names for it (firedrill's analyzer: one of FAILURE_CLASSES; any other is shown). */
  failureClass?: string;
  /** The whole raw finding (matching searches it). */
  raw: unknown;
  /** A mapping expression that failed on this finding: the observation is kept, the field is left out. */
  mapErrors?: string[];
  /**
   * Where the tap read it, when that is a thing a SUT can name: the S3 object's key. A remediation execution whose
   * input names it is about this finding (seeds/000 starts its machine with the anomalies file's key).
   */
  origin?: string;
}

export const PRESETS = ['firedrill', 'asff', 'none'] as const;
export type PresetName = (typeof PRESETS)[number];

/** JMESPath expressions over a raw finding, one per observation field (each optional). */
export interface MapSpec {
  id?: string;
  claimedTime?: string;
  firstSeen?: string;
  lastSeen?: string;
  entities?: string;
  kind?: string;
  rootCause?: string;
  text?: string;
  explanation?: string;
  failureClass?: string;
}

/** Where a tap reads, with every name resolved (harness/sut resolves the SUT file's references). */
export type TapSource =
  | { type: 'dynamodb'; table: string }
  | { type: 'sns'; topic: string }
  | { type: 'sqs'; queue: string }
  | { type: 'eventbridge'; bus: string; pattern: Record<string, unknown> }
  | { type: 's3'; bucket: string; prefix: string; format: 'json' | 'jsonl' | 'csv' }
  | { type: 'logs'; logGroup: string; filterPattern: string }
  | { type: 'securityhub'; filters?: Record<string, unknown> }
  | { type: 'returns'; handler: string };

export interface TapSpec {
  /** Label in observations and reports. */
  name: string;
  source: TapSource;
  preset: PresetName;
  /** Expressions that override the preset's. */
  map: MapSpec;
}

/** A raw finding as a tap read it, before mapping. */
export interface RawFinding {
  /** The tap's own stable id for it. */
  id: string;
  raw: unknown;
  arrivedAt?: number;
  /** Content fingerprint: a finding whose content changes (an upserted item) is observed again with the new content. */
  version?: string;
  /** Where it was read from (Observation.origin). */
  origin?: string;
}

/** One handler return value, as the local runtime reports it. */
export interface HandlerReturn {
  handler: string;
  /** Wall time (epoch ms) the invocation returned. */
  at: number;
  value: unknown;
}

/**
 * A place where findings appear. `open()` before delivery (it may add firedrill's own subscription, rule or
 * queue), `poll()` for what appeared since the last poll (new findings, and findings whose content changed,
 * carrying the observedAt of their first sighting), `close()` to remove what `open()` added.
 */
export interface Tap {
  readonly spec: TapSpec;
  open(): Promise<void>;
  poll(): Promise<Observation[]>;
  close(): Promise<void>;
}
