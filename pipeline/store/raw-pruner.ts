import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { Topology } from '../../core/topology/index.ts';
import { STATE_PREFIX, manifestKey } from '../normalize/layout.ts';
import type { BatchManifest } from '../normalize/normalizer.ts';
import { PRUNED_PREFIX, countRawObject, type PrunedRecord } from './read-back.ts';
import { readIfPresent } from './read-if-present.ts';

/** How far back (wall ms) a sweep lists manifests again: a manifest is named when its batch ends but may land later. */
const MANIFEST_MARGIN_MS = 60_000;

/** Where the next sweep starts: the newest manifest time seen, and the manifests already handled within the margin. */
export interface PruneCursor {
  at: number;
  seen: string[];
}


/**
 * Removes the raw objects the normalizer has finished with, for a throwaway emulator that keeps every object in
 * memory (moto): lists the batch manifests written since `cursor`, reads every raw object they record, counts what
 * it held exactly as the ledger's read-back would (events per source, request copies), records those counts and
 * keys under PRUNED_PREFIX, and only then deletes the objects. readStoredCounts adds the records back, so the ledger
 * does not change. Curated objects stay (the detector reads them). Never for AWS or an endpoint someone else owns:
 * the raw data is theirs; firedrill calls this only on an emulator it started (the SUT file's `prune`).
 */
export async function pruneConsumedRaw(s3: S3Client, topology: Topology, cursor: PruneCursor = { at: 0, seen: [] }): Promise<{ cursor: PruneCursor; removed: number }> {
  const p = topology.pipeline;
  const seen = new Set(cursor.seen);
  const manifests: { key: string; at: number }[] = [];
  const from = Math.max(0, cursor.at - MANIFEST_MARGIN_MS);
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: p.curatedBucket, Prefix: `${STATE_PREFIX}batches/`, StartAfter: manifestKey('', from) })) {
    for (const o of page.Contents ?? []) {
      const at = Number(/batches\/(\d+)-/.exec(o.Key ?? '')?.[1]);
      if (o.Key && Number.isFinite(at) && !seen.has(o.Key)) manifests.push({ key: o.Key, at });
    }
  }
  const record: PrunedRecord = { objects: 0, landed: {}, requestCopies: {}, keys: [] };
  const bodies = new Map<string, { bucket: string; key: string }>();
  // Two at a time: each raw object is read whole (up to a Firehose buffer) in the harness's process.
  const limit = pLimit(2);
  await Promise.all(
    manifests.map((m) =>
      limit(async () => {
        const r = await s3.send(new GetObjectCommand({ Bucket: p.curatedBucket, Key: m.key }));
        const manifest = JSON.parse(Buffer.from(await r.Body!.transformToByteArray()).toString('utf8')) as BatchManifest;
        // A raw object retried after a failure is in more than one manifest: counted once.
        for (const o of manifest.objects) bodies.set(`${o.bucket}/${o.key}`, { bucket: o.bucket, key: o.key });
      }),
    ),
  );
  // Counted one object at a time per reader (each up to a Firehose buffer), then recorded, then deleted.
  await Promise.all(
    [...bodies].map(([id, ref]) =>
      limit(async () => {
        // Removed by an earlier sweep (a manifest seen again within the margin): already counted there.
        const body = await readIfPresent(s3, ref.bucket, ref.key);
        if (!body) return;
        countRawObject(ref, body, topology, 'all', record);
        record.keys.push(id);
      }),
    ),
  );
  let at = cursor.at;
  for (const m of manifests) at = Math.max(at, m.at);
  const next: PruneCursor = { at, seen: [...cursor.seen, ...manifests.map((m) => m.key)].filter((k) => Number(/batches\/(\d+)-/.exec(k)?.[1]) >= at - 2 * MANIFEST_MARGIN_MS) };
  if (record.keys.length === 0) return { cursor: next, removed: 0 };
  // Recorded before anything is deleted: a delete that fails leaves an object the read-back skips (its key is here).
  await s3.send(new PutObjectCommand({ Bucket: p.curatedBucket, Key: `${PRUNED_PREFIX}${String(Date.now()).padStart(13, '0')}-${record.keys.length}-${Math.random().toString(36).slice(2, 10)}.json`, Body: JSON.stringify(record), ContentType: 'application/json' }));
  // One DeleteObjects call per bucket and thousand keys rather than one call per object: a sweep's deletes were a
  // third of its time, each waiting for an emulator that is also taking the drill's deliveries.
  const byBucket = new Map<string, string[]>();
  for (const id of record.keys) {
    const slash = id.indexOf('/');
    const bucket = id.slice(0, slash);
    if (!byBucket.has(bucket)) byBucket.set(bucket, []);
    byBucket.get(bucket)!.push(id.slice(slash + 1));
  }
  await Promise.all(
    [...byBucket].flatMap(([bucket, keys]) =>
      Array.from({ length: Math.ceil(keys.length / 1000) }, (_, i) =>
        limit(() =>
          s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i * 1000, (i + 1) * 1000).map((Key) => ({ Key })), Quiet: true } })).catch(() => {
            // Kept: it only costs the emulator memory, and the read-back skips it.
          }),
        ),
      ),
    ),
  );
  return { cursor: next, removed: record.keys.length };
}
