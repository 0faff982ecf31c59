import zlib from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { Topology } from '../../core/topology/index.ts';
import type { NormalizedRecord } from '../../formats/index.ts';
import { STATE_PREFIX, rawObjectId } from '../normalize/layout.ts';
import { logGroupSources, normalizeObject, type QuarantineEntry } from '../normalize/normalize-object.ts';
import type { BatchManifest, ObjectMarker } from '../normalize/normalizer.ts';
import type { SourceKey, StoredCounts } from '../../core/index.ts';

export type { SourceKey, StoredCounts };

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

async function getBytes(s3: S3Client, bucket: string, key: string): Promise<Uint8Array> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return res.Body ? res.Body.transformToByteArray() : new Uint8Array();
}

const gunzipLines = (b: Uint8Array) =>
  zlib
    .gunzipSync(b)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0);

const add = <K extends string>(m: Partial<Record<K, number>>, k: K, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

/** Every curated record, read from the curated partitions. */
export async function readCurated(s3: S3Client, topology: Topology): Promise<NormalizedRecord[]> {
  const { curatedBucket, curatedPrefix } = topology.pipeline;
  const keys = (await listKeys(s3, curatedBucket, curatedPrefix)).filter((k) => k.endsWith('.ndjson.gz'));
  const limit = pLimit(16);
  const parts = await Promise.all(keys.map((k) => limit(async () => gunzipLines(await getBytes(s3, curatedBucket, k)).map((l) => JSON.parse(l) as NormalizedRecord))));
  return parts.flat();
}

/** Every quarantine entry (notifications excluded). */
export async function readQuarantine(s3: S3Client, topology: Topology): Promise<QuarantineEntry[]> {
  const { curatedBucket, quarantinePrefix } = topology.pipeline;
  const keys = (await listKeys(s3, curatedBucket, quarantinePrefix)).filter((k) => !k.startsWith(`${quarantinePrefix}notifications/`));
  const limit = pLimit(16);
  const parts = await Promise.all(keys.map((k) => limit(async () => gunzipLines(await getBytes(s3, curatedBucket, k)).map((l) => JSON.parse(l) as QuarantineEntry))));
  return parts.flat();
}

/**
 * Reads the pipeline's outcome back from S3: events landed in raw objects (decoded again, without parsing),
 * records in curated partitions, entries in quarantine, duplicates from the normalizer's batch manifests.
 */
export async function readStoredCounts(s3: S3Client, topology: Topology): Promise<StoredCounts> {
  const p = topology.pipeline;
  const out: StoredCounts = { landed: {}, normalized: {}, quarantined: {}, duplicates: {}, rawObjects: 0, unprocessed: [], notificationsQuarantined: 0 };
  const groups = logGroupSources(topology);
  const limit = pLimit(16);
  const rawRefs = [
    ...(await listKeys(s3, p.rawBucket, p.rawPrefix)).map((key) => ({ bucket: p.rawBucket, key })),
    ...(await listKeys(s3, p.accessLogBucket, '')).map((key) => ({ bucket: p.accessLogBucket, key })),
  ];
  out.rawObjects = rawRefs.length;
  // Every invocation's manifest; a raw object retried after a failure may appear in more than one (the latest wins).
  const markers = new Map<string, ObjectMarker>();
  const manifests = await Promise.all(
    (await listKeys(s3, p.curatedBucket, `${STATE_PREFIX}batches/`)).map((k) => limit(async () => JSON.parse(Buffer.from(await getBytes(s3, p.curatedBucket, k)).toString('utf8')) as BatchManifest)),
  );
  for (const m of manifests) for (const o of m.objects) if ((markers.get(o.rawId)?.processedAt ?? -1) <= o.processedAt) markers.set(o.rawId, o);
  await Promise.all(
    rawRefs.map((ref) =>
      limit(async () => {
        const body = await getBytes(s3, ref.bucket, ref.key);
        // No formats: only the envelope/line structure is decoded, so this counts what landed, not what parsed.
        const o = normalizeObject({ ...ref, body }, { topology, formats: {} }, groups);
        for (const [s, n] of o.landed) add(out.landed, s ?? 'unknown', n);
        if (!markers.has(rawObjectId(ref.bucket, ref.key))) out.unprocessed.push(`${ref.bucket}/${ref.key}`);
      }),
    ),
  );
  const curatedKeys = (await listKeys(s3, p.curatedBucket, p.curatedPrefix)).filter((k) => k.endsWith('.ndjson.gz'));
  await Promise.all(
    curatedKeys.map((k) =>
      limit(async () => {
        const source = /source=([^/]+)\//.exec(k)?.[1] as SourceKey | undefined;
        add(out.normalized, source ?? 'unknown', gunzipLines(await getBytes(s3, p.curatedBucket, k)).length);
      }),
    ),
  );
  for (const q of await readQuarantine(s3, topology)) {
    const k: SourceKey = q.source ?? 'unknown';
    const m = (out.quarantined[k] ??= {});
    m[q.code] = (m[q.code] ?? 0) + q.events;
  }
  out.notificationsQuarantined = (await listKeys(s3, p.curatedBucket, `${p.quarantinePrefix}notifications/`)).length;
  for (const m of markers.values()) for (const [s, n] of Object.entries(m.duplicates)) add(out.duplicates, s as SourceKey, n);
  return out;
}
