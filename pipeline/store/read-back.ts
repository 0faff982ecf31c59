import zlib from 'node:zlib';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { logEventsFingerprint, recordsFingerprint } from '../../core/index.ts';
import type { Topology } from '../../core/topology/index.ts';
import type { NormalizedRecord } from '../../formats/index.ts';
import { STATE_PREFIX, rawObjectId } from '../normalize/layout.ts';
import { countGzipLines } from './count-lines.ts';
import { logGroupSources, normalizeObject, type QuarantineEntry } from '../normalize/normalize-object.ts';
import { gunzipMembers, isGzip, splitJsonObjects, validateEnvelope } from '../normalize/raw-decode.ts';
import type { BatchManifest, ObjectMarker } from '../normalize/normalizer.ts';
import type { RawCounts, SourceKey, StoredCounts } from '../../core/index.ts';

export type { RawCounts, SourceKey, StoredCounts };

/** Where the raw-object pruner records what each sweep removed (pruneConsumedRaw), in the curated bucket beside the manifests. */
export const PRUNED_PREFIX = `${STATE_PREFIX}pruned/`;

/** What one pruning sweep removed: the raw objects' ids (bucket/key) and what they held, counted as the read-back counts. */
export interface PrunedRecord extends RawCounts {
  keys: string[];
}

/** Where the curated pruner records what each sweep removed (pruneDetectedCurated), beside the manifests. */
export const PRUNED_CURATED_PREFIX = `${STATE_PREFIX}pruned-curated/`;

/** What one curated pruning sweep removed: the objects' keys and their records per source, counted as the read-back counts. */
export interface PrunedCuratedRecord {
  normalized: Partial<Record<SourceKey, number>>;
  keys: string[];
}

export interface ReadStoredCountsOptions {
  /** Request fingerprints whose landed copies to count (IngestLedger.requests' keys). */
  requests?: Iterable<string>;
}

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
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

/** Every curated record, read from the curated partitions (tests and small runs: it holds them all). */
export async function readCurated(s3: S3Client, topology: Topology): Promise<NormalizedRecord[]> {
  const { curatedBucket, curatedPrefix } = topology.pipeline;
  const keys = (await listKeys(s3, curatedBucket, curatedPrefix)).filter((k) => k.endsWith('.ndjson.gz'));
  const limit = pLimit(16);
  const parts = await Promise.all(keys.map((k) => limit(async () => gunzipLines(await getBytes(s3, curatedBucket, k)).map((l) => JSON.parse(l) as NormalizedRecord))));
  return parts.flat();
}

/** Every quarantine entry (notifications excluded). */
export async function readQuarantine(s3: S3Client, topology: Topology): Promise<QuarantineEntry[]> {
  const out: QuarantineEntry[] = [];
  await eachQuarantineEntry(s3, topology, (q) => out.push(q));
  return out;
}

async function eachQuarantineEntry(s3: S3Client, topology: Topology, each: (q: QuarantineEntry) => void): Promise<void> {
  const { curatedBucket, quarantinePrefix } = topology.pipeline;
  const keys = (await listKeys(s3, curatedBucket, quarantinePrefix)).filter((k) => !k.startsWith(`${quarantinePrefix}notifications/`));
  const limit = pLimit(16);
  await Promise.all(keys.map((k) => limit(async () => gunzipLines(await getBytes(s3, curatedBucket, k)).forEach((l) => each(JSON.parse(l) as QuarantineEntry)))));
}

/**
 * What one raw object holds, from its bytes alone: events per source (decoded without parsing, so this counts what
 * landed, not what parsed) and, for the fingerprints in `wanted`, how many copies of each request it carries — a
 * CloudWatch Logs envelope is one PutLogEvents, a Firehose object one PutRecordBatch.
 */
export function countRawObject(ref: { bucket: string; key: string }, body: Uint8Array, topology: Topology, wanted: ReadonlySet<string> | 'all', into: RawCounts, groups = logGroupSources(topology)): void {
  into.objects++;
  const o = normalizeObject({ ...ref, body }, { topology, formats: {}, landedOnly: true }, groups);
  for (const [s, n] of o.landed) add(into.landed, s ?? 'unknown', n);
  if ((wanted !== 'all' && wanted.size === 0) || ref.bucket !== topology.pipeline.rawBucket) return;
  const copy = (fp: string) => (wanted === 'all' || wanted.has(fp)) && add(into.requestCopies, fp);
  if (o.kind === 'cwl') {
    for (const member of isGzip(body) ? gunzipMembers(body).members : [body]) {
      for (const pc of splitJsonObjects(member)) {
        if (!pc.ok || !pc.text.includes('"messageType"')) continue;
        let env: ReturnType<typeof validateEnvelope>;
        try {
          env = validateEnvelope(JSON.parse(pc.text));
        } catch {
          continue;
        }
        if (typeof env !== 'string' && env.messageType === 'DATA_MESSAGE') copy(logEventsFingerprint(env.logGroup, env.logStream, env.logEvents));
      }
    }
  } else if (o.kind === 'direct') {
    copy(recordsFingerprint(isGzip(body) ? gunzipMembers(body).members : [body]));
  }
}

/**
 * Reads the pipeline's outcome back from S3: events landed in raw objects (decoded again, without parsing),
 * records in curated partitions, entries in quarantine, duplicates from the normalizer's batch manifests. One object
 * at a time per reader, nothing held but counts and one marker per raw object.
 */
export async function readStoredCounts(s3: S3Client, topology: Topology, opts: ReadStoredCountsOptions = {}): Promise<StoredCounts> {
  const p = topology.pipeline;
  const raw: RawCounts = { objects: 0, landed: {}, requestCopies: {} };
  const out: StoredCounts = { landed: raw.landed, normalized: {}, quarantined: {}, duplicates: {}, rawObjects: 0, unprocessed: [], notificationsQuarantined: 0, requestCopies: raw.requestCopies };
  const wanted = new Set(opts.requests ?? []);
  const groups = logGroupSources(topology);
  const limit = pLimit(16);
  // Raw objects a throwaway emulator's pruner counted and removed (pruneConsumedRaw): their counts are added as
  // they were recorded, and one of them found again (a delete that failed) is not counted twice.
  const pruned = new Set<string>();
  for (const k of await listKeys(s3, p.curatedBucket, PRUNED_PREFIX)) {
    const r = JSON.parse(Buffer.from(await getBytes(s3, p.curatedBucket, k)).toString('utf8')) as PrunedRecord;
    raw.objects += r.objects;
    for (const [s, n] of Object.entries(r.landed)) add(raw.landed, s as SourceKey, n);
    for (const [fp, n] of Object.entries(r.requestCopies)) if (wanted.has(fp)) add(raw.requestCopies, fp, n);
    for (const id of r.keys) pruned.add(id);
  }
  const rawRefs = [
    ...(await listKeys(s3, p.rawBucket, p.rawPrefix)).map((key) => ({ bucket: p.rawBucket, key })),
    ...(await listKeys(s3, p.accessLogBucket, '')).map((key) => ({ bucket: p.accessLogBucket, key })),
  ].filter((r) => !pruned.has(`${r.bucket}/${r.key}`));
  // Every invocation's manifest; a raw object retried after a failure may appear in more than one (the latest wins).
  const markers = new Map<string, Pick<ObjectMarker, 'processedAt' | 'duplicates'>>();
  await Promise.all(
    (await listKeys(s3, p.curatedBucket, `${STATE_PREFIX}batches/`)).map((k) =>
      limit(async () => {
        const m = JSON.parse(Buffer.from(await getBytes(s3, p.curatedBucket, k)).toString('utf8')) as BatchManifest;
        for (const o of m.objects) if ((markers.get(o.rawId)?.processedAt ?? -1) <= o.processedAt) markers.set(o.rawId, { processedAt: o.processedAt, duplicates: o.duplicates });
      }),
    ),
  );
  await Promise.all(
    rawRefs.map((ref) =>
      limit(async () => {
        countRawObject(ref, await getBytes(s3, ref.bucket, ref.key), topology, wanted, raw, groups);
        if (!markers.has(rawObjectId(ref.bucket, ref.key))) out.unprocessed.push(`${ref.bucket}/${ref.key}`);
      }),
    ),
  );
  out.rawObjects = raw.objects;
  // Curated objects the pruner counted and removed once the detector had read them (pruneDetectedCurated): their
  // records are added as they were counted, and one of them found again (a delete that failed) is not counted twice.
  const prunedCurated = new Set<string>();
  for (const k of await listKeys(s3, p.curatedBucket, PRUNED_CURATED_PREFIX)) {
    const r = JSON.parse(Buffer.from(await getBytes(s3, p.curatedBucket, k)).toString('utf8')) as PrunedCuratedRecord;
    for (const [s, n] of Object.entries(r.normalized)) add(out.normalized, s as SourceKey, n);
    for (const key of r.keys) prunedCurated.add(key);
  }
  const curatedKeys = (await listKeys(s3, p.curatedBucket, p.curatedPrefix)).filter((k) => k.endsWith('.ndjson.gz') && !prunedCurated.has(k));
  // Four at a time, each counted as it inflates (countGzipLines): what is held is four objects' gzip bytes.
  const inflating = pLimit(4);
  await Promise.all(
    curatedKeys.map((k) =>
      inflating(async () => {
        const source = /source=([^/]+)\//.exec(k)?.[1] as SourceKey | undefined;
        add(out.normalized, source ?? 'unknown', await countGzipLines(await getBytes(s3, p.curatedBucket, k)));
      }),
    ),
  );
  await eachQuarantineEntry(s3, topology, (q) => {
    const k: SourceKey = q.source ?? 'unknown';
    const m = (out.quarantined[k] ??= {});
    m[q.code] = (m[q.code] ?? 0) + q.events;
  });
  out.notificationsQuarantined = (await listKeys(s3, p.curatedBucket, `${p.quarantinePrefix}notifications/`)).length;
  for (const m of markers.values()) for (const [s, n] of Object.entries(m.duplicates)) add(out.duplicates, s as SourceKey, n);
  return out;
}
