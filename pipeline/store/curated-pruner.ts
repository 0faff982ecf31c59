import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { SourceKey } from '../../core/index.ts';
import type { Topology } from '../../core/topology/index.ts';
import { curatedTimeRange } from '../normalize/layout.ts';
import { DEFAULT_DETECTOR_STATE_KEY, DetectorStateStore } from './detector-state.ts';
import { countGzipLines } from './count-lines.ts';
import { PRUNED_CURATED_PREFIX, type PrunedCuratedRecord } from './read-back.ts';
import { isNotFound } from '../../core/aws/index.ts';
import { readIfPresent } from './read-if-present.ts';

/** Where the next sweep starts: the detector state last read (its ETag) and the window end already pruned below. */
export interface CuratedPruneCursor {
  stateEtag?: string;
  /** The detector's last window end, as its state said at `stateEtag`. */
  detectedBefore?: number;
  /** The window end the last sweep removed objects below (nothing new to remove until the detector moves on). */
  prunedBefore?: number;
}


/**
 * Removes the curated objects the detector has finished with, for a throwaway emulator that keeps every object in
 * memory (moto): every object whose name says its last record is older than the detector state's last window end
 * (the detector reads only windows from there on; an object named without a range stays). Counts each object's
 * records per source exactly as the ledger's read-back would, records those counts and keys under
 * PRUNED_CURATED_PREFIX, and only then deletes the objects; readStoredCounts adds the records back, so the ledger
 * does not change. The state is read again only when its ETag changed, and objects are listed only when its last
 * window end moved. Never for AWS or an endpoint someone else owns: firedrill calls this only on an emulator it
 * started (the SUT file's `prune`).
 */
export async function pruneDetectedCurated(s3: S3Client, topology: Topology, cursor: CuratedPruneCursor = {}, stateKey = DEFAULT_DETECTOR_STATE_KEY): Promise<{ cursor: CuratedPruneCursor; removed: number }> {
  const p = topology.pipeline;
  let etag: string | undefined;
  try {
    etag = (await s3.send(new HeadObjectCommand({ Bucket: p.stateBucket, Key: stateKey }))).ETag;
  } catch (err) {
    // The detector has not run yet: nothing is finished with.
    if (isNotFound(err)) return { cursor, removed: 0 };
    throw err;
  }
  let detectedBefore = cursor.detectedBefore;
  if (etag === undefined || etag !== cursor.stateEtag) detectedBefore = (await new DetectorStateStore(s3, p.stateBucket, stateKey).load()).lastWindowEnd ?? undefined;
  const next: CuratedPruneCursor = { ...cursor, ...(etag !== undefined ? { stateEtag: etag } : {}), ...(detectedBefore !== undefined ? { detectedBefore } : {}) };
  if (detectedBefore === undefined || detectedBefore === cursor.prunedBefore) return { cursor: next, removed: 0 };

  const done: { key: string; source: SourceKey }[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: p.curatedBucket, Prefix: p.curatedPrefix })) {
    for (const o of page.Contents ?? []) {
      const range = o.Key?.endsWith('.ndjson.gz') ? curatedTimeRange(o.Key) : undefined;
      if (o.Key && range && range.max < detectedBefore) done.push({ key: o.Key, source: (/source=([^/]+)\//.exec(o.Key)?.[1] ?? 'unknown') as SourceKey });
    }
  }
  const record: PrunedCuratedRecord = { normalized: {}, keys: [] };
  // Two at a time, each counted as it inflates (countGzipLines) in the harness's process.
  const limit = pLimit(2);
  await Promise.all(
    done.map((o) =>
      limit(async () => {
        // Gone since it was listed: a sweep that removed it recorded it.
        const body = await readIfPresent(s3, p.curatedBucket, o.key);
        if (!body) return;
        const lines = await countGzipLines(body);
        record.normalized[o.source] = (record.normalized[o.source] ?? 0) + lines;
        record.keys.push(o.key);
      }),
    ),
  );
  next.prunedBefore = detectedBefore;
  if (record.keys.length === 0) return { cursor: next, removed: 0 };
  // Recorded before anything is deleted: a delete that fails leaves an object the read-back skips (its key is here).
  await s3.send(new PutObjectCommand({ Bucket: p.curatedBucket, Key: `${PRUNED_CURATED_PREFIX}${String(Date.now()).padStart(13, '0')}-${record.keys.length}-${Math.random().toString(36).slice(2, 10)}.json`, Body: JSON.stringify(record), ContentType: 'application/json' }));
  await Promise.all(
    record.keys.map((key) =>
      limit(() =>
        s3.send(new DeleteObjectCommand({ Bucket: p.curatedBucket, Key: key })).catch(() => {
          // Kept: it only costs the emulator memory, and the read-back skips it.
        }),
      ),
    ),
  );
  return { cursor: next, removed: record.keys.length };
}
