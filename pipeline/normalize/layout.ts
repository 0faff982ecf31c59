import { createHash } from 'node:crypto';
import type { SourceName } from '../../core/index.ts';
import type { NormalizedRecord } from '../../formats/index.ts';

/**
 * Where the normalizer writes, all in the curated bucket. Every name derives from the raw object's identity,
 * so processing the same raw object again overwrites instead of adding: the basis of idempotency.
 */
export const STATE_PREFIX = '_state/normalizer/';

export function rawObjectId(bucket: string, key: string): string {
  return createHash('sha256').update(`${bucket}/${key}`).digest('hex').slice(0, 24);
}

const pad = (n: number) => String(n).padStart(2, '0');

export function partitionOf(time: number): { dt: string; hour: string } {
  const d = new Date(time);
  return { dt: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, hour: pad(d.getUTCHours()) };
}

/** `curated/source=<s>/dt=YYYY-MM-DD/hour=HH/` */
export function partitionPrefix(curatedPrefix: string, source: SourceName, time: number): string {
  const { dt, hour } = partitionOf(time);
  return `${curatedPrefix}source=${source}/dt=${dt}/hour=${hour}/`;
}

const HOUR_MS = 3_600_000;

/**
 * partitionPrefix, remembered per source and hour: a batch's records fall in a handful of hours, and making the
 * prefix (a Date, three pads, a template) for each of a batch's thousands of records cost more than looking it up.
 */
export class PartitionPrefixes {
  private readonly known = new Map<SourceName, Map<number, string>>();
  constructor(private readonly curatedPrefix: string) {}

  of(source: SourceName, time: number): string {
    let bySource = this.known.get(source);
    if (!bySource) this.known.set(source, (bySource = new Map()));
    const hour = Math.floor(time / HOUR_MS);
    let prefix = bySource.get(hour);
    if (prefix === undefined) bySource.set(hour, (prefix = partitionPrefix(this.curatedPrefix, source, time)));
    return prefix;
  }
}

/**
 * A curated object: new records one invocation found for one partition, named after the event times of its first
 * and last record so a reader of one window fetches only the objects that overlap it:
 * `<partition><first ms>-<last ms>-<batch>.ndjson.gz`.
 */
export function curatedKey(partition: string, batch: string, range: { min: number; max: number }): string {
  return `${partition}${range.min}-${range.max}-${batch}.ndjson.gz`;
}

const CURATED_NAME = /\/(\d+)-(\d+)-[0-9a-f]+\.ndjson\.gz$/;

/** The event-time range a curated object's name declares, or undefined for a name without one (read it whole). */
export function curatedTimeRange(key: string): { min: number; max: number } | undefined {
  const m = CURATED_NAME.exec(key);
  return m ? { min: Number(m[1]), max: Number(m[2]) } : undefined;
}

/** A batch's identity: the sorted identities of the raw objects (or object versions) it is made of. */
export function batchId(parts: readonly string[]): string {
  return createHash('sha256').update([...parts].sort().join('\n')).digest('hex').slice(0, 24);
}

/**
 * One curated line: the record, after its dedupeKey and the raw object it came from. The key is what the
 * normalizer de-duplicates by and the raw object who holds it; inside the curated object they land with the data
 * in one write, and first in the line they are read back without parsing the record. They also give every
 * curated record its lineage.
 */
export function curatedLine(dedupeKey: string, rawId: string, record: NormalizedRecord): string {
  const rest = JSON.stringify(record);
  return `{"dedupeKey":${JSON.stringify(dedupeKey)},"rawObject":${JSON.stringify(rawId)}${rest.length > 2 ? ',' : ''}${rest.slice(1)}\n`;
}

const LINE_HEAD = /^\{"dedupeKey":"([0-9a-f]+)","rawObject":"([0-9a-f]+)"/;
// The record's own fields follow in NormalizedRecord's order: id (a JSON string), source, time.
const LINE_TIME = /^\{"dedupeKey":"[0-9a-f]+","rawObject":"[0-9a-f]+","id":"(?:[^"\\]|\\.)*","source":"[^"]+","time":(-?\d+(?:\.\d+)?)[,}]/;

/** The event time of a curated line, read from its head without parsing the record when the line is the normalizer's. */
export function timeOfLine(line: string): number | undefined {
  const m = LINE_TIME.exec(line);
  if (m) return Number(m[1]);
  try {
    const t = (JSON.parse(line) as { time?: unknown }).time;
    return typeof t === 'number' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** The dedupeKey and raw object of a curated line, or undefined when the line lacks them. */
export function lineageOfLine(line: string): { dedupeKey: string; rawObject: string } | undefined {
  const m = LINE_HEAD.exec(line);
  if (m) return { dedupeKey: m[1]!, rawObject: m[2]! };
  try {
    const v = JSON.parse(line) as { dedupeKey?: unknown; rawObject?: unknown };
    return typeof v.dedupeKey === 'string' && typeof v.rawObject === 'string' ? { dedupeKey: v.dedupeKey, rawObject: v.rawObject } : undefined;
  } catch {
    return undefined;
  }
}

export function quarantineKey(quarantinePrefix: string, source: SourceName | null, time: number, rawId: string): string {
  return `${quarantinePrefix}source=${source ?? 'unknown'}/dt=${partitionOf(time).dt}/${rawId}.ndjson.gz`;
}

/**
 * The de-duplication state of one time slice of a curated partition, as the normalizer persists it when it drops
 * the slice from memory (`_state/normalizer/keys/<partition><slice start ms>.bin`). Under the normalizer's state
 * prefix, which neither pruner removes and the ledger's read-back does not count: curated objects may be pruned
 * once read, and this is what still knows which deliveries were normalized.
 */
export function keyStateKey(partition: string, sliceStart: number): string {
  return `${STATE_PREFIX}keys/${partition}${sliceStart}.bin`;
}

/**
 * What one normalizer invocation did, per raw object: the ledger reads these back. Named after the time it was
 * written first, so a reader can list only the manifests written since a moment (StartAfter).
 */
export function manifestKey(id: string, processedAt: number): string {
  return `${STATE_PREFIX}batches/${String(processedAt).padStart(13, '0')}-${id}.json`;
}
