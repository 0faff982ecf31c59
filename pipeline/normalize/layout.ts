import { createHash } from 'node:crypto';
import type { SourceName } from '../../core/vocabulary.ts';

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

/** The content keys a raw object contributed to a partition (the de-duplication index). */
export function dedupeIndexPrefix(partition: string, curatedPrefix: string): string {
  return `${STATE_PREFIX}dedupe/${partition.slice(curatedPrefix.length)}`;
}

export function quarantineKey(quarantinePrefix: string, source: SourceName | null, time: number, rawId: string): string {
  return `${quarantinePrefix}source=${source ?? 'unknown'}/dt=${partitionOf(time).dt}/${rawId}.ndjson.gz`;
}

export function markerKey(rawId: string): string {
  return `${STATE_PREFIX}processed/${rawId}.json`;
}
