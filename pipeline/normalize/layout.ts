import { createHash } from 'node:crypto';
import type { SourceName } from '../../core/vocabulary.ts';
import type { NormalizedRecord } from '../../formats/types.ts';

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

export function curatedKey(partition: string, rawId: string): string {
  return `${partition}${rawId}.ndjson.gz`;
}

/**
 * One curated line: the record with its dedupeKey written first. The key is what the normalizer de-duplicates by;
 * keeping it inside the curated object makes data and de-duplication state one write, and first in the line it
 * is read back without parsing the record.
 */
export function curatedLine(dedupeKey: string, record: NormalizedRecord): string {
  const rest = JSON.stringify(record);
  return `{"dedupeKey":${JSON.stringify(dedupeKey)}${rest.length > 2 ? ',' : ''}${rest.slice(1)}\n`;
}

const KEY_PREFIX = '{"dedupeKey":"';

/** The dedupeKey of a curated line, or undefined when the line has none. */
export function dedupeKeyOfLine(line: string): string | undefined {
  if (line.startsWith(KEY_PREFIX)) {
    const end = line.indexOf('"', KEY_PREFIX.length);
    if (end > 0 && !line.slice(KEY_PREFIX.length, end).includes('\\')) return line.slice(KEY_PREFIX.length, end);
  }
  try {
    const v = JSON.parse(line) as { dedupeKey?: unknown };
    return typeof v.dedupeKey === 'string' ? v.dedupeKey : undefined;
  } catch {
    return undefined;
  }
}

export function quarantineKey(quarantinePrefix: string, source: SourceName | null, time: number, rawId: string): string {
  return `${quarantinePrefix}source=${source ?? 'unknown'}/dt=${partitionOf(time).dt}/${rawId}.ndjson.gz`;
}

export function markerKey(rawId: string): string {
  return `${STATE_PREFIX}processed/${rawId}.json`;
}
