import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { logEventsFingerprint } from '../../core/index.ts';
import { defaultTopology } from '../../core/topology/index.ts';
import { createDetectorState } from '../detect/index.ts';
import { Normalizer } from '../normalize/index.ts';
import { memoryS3 } from '../normalize/test-memory-s3.ts';
import { testLambdaFormat } from './test-lambda-format.ts';
import { pruneDetectedCurated } from './curated-pruner.ts';
import { DetectorStateStore } from './detector-state.ts';
import { PRUNED_CURATED_PREFIX, readStoredCounts } from './read-back.ts';

const topology = defaultTopology();
const { rawBucket, curatedBucket, curatedPrefix, stateBucket } = topology.pipeline;
const group = topology.pipeline.logGroups.find((g) => g.source === 'lambda')!.name;
const lambda = testLambdaFormat;
const MIN = 60_000;
const T = Date.UTC(2026, 10, 20, 10, 30);
/** Three events a raw object: two content-identical (distinct ids: both normalized) a minute apart from the third. */
const logEvents = (stream: string, at: number) => [
  { id: `${stream}-1`, timestamp: at, message: `T=${at} same` },
  { id: `${stream}-2`, timestamp: at, message: `T=${at} same` },
  { id: `${stream}-3`, timestamp: at + MIN, message: `T=${at + MIN} later` },
];
const envelope = (stream: string, at: number) => zlib.gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '1', logGroup: group, logStream: stream, subscriptionFilters: ['f'], logEvents: logEvents(stream, at) }));

describe('pruneDetectedCurated', () => {
  it("removes the curated objects older than the detector's last window end, and the ledger reads back the same counts", async () => {
    const s3 = memoryS3();
    const objects = [
      { key: 'raw/cwl/a', stream: 'a', at: T },
      { key: 'raw/cwl/b', stream: 'b', at: T + 2 * MIN },
      { key: 'raw/cwl/c', stream: 'c', at: T + 10 * MIN },
    ];
    for (const o of objects) s3.objects.set(`${rawBucket}/${o.key}`, { body: envelope(o.stream, o.at), etag: `"${o.stream}"`, lastModified: T });
    const normalizer = new Normalizer({ s3: s3.client, topology, formats: { lambda }, now: () => T });
    // One invocation each: one curated object each, named after its records' first and last time.
    for (const o of objects) await normalizer.processBatch([{ bucket: rawBucket, key: o.key }]);
    const curated = () => s3.keys(curatedBucket, curatedPrefix);
    expect(curated()).toHaveLength(3);
    const requests = objects.map((o) => logEventsFingerprint(group, o.stream, logEvents(o.stream, o.at)));
    const before = await readStoredCounts(s3.client, topology, { requests });
    expect(before.normalized).toEqual({ lambda: 9 });

    // The detector has not run: nothing is finished with.
    const none = await pruneDetectedCurated(s3.client, topology);
    expect(none.removed).toBe(0);

    // It has read every window up to T + 5 min: a and b (their last records at T + 1 and T + 3 min) go, c stays.
    const store = new DetectorStateStore(s3.client, stateBucket);
    await store.save({ ...createDetectorState(), lastWindowEnd: T + 5 * MIN });
    const first = await pruneDetectedCurated(s3.client, topology, none.cursor);
    expect(first.removed).toBe(2);
    expect(curated()).toHaveLength(1);
    expect(curated()[0]).toContain(`${T + 10 * MIN}-${T + 11 * MIN}-`);
    expect(s3.keys(curatedBucket, PRUNED_CURATED_PREFIX)).toHaveLength(1);
    expect(await readStoredCounts(s3.client, topology, { requests })).toEqual(before);

    // The state unchanged: nothing listed, nothing removed.
    expect((await pruneDetectedCurated(s3.client, topology, first.cursor)).removed).toBe(0);

    // A removed object found again (as when a delete fails) is not counted twice.
    const [recordKey] = s3.keys(curatedBucket, PRUNED_CURATED_PREFIX);
    const record = JSON.parse(Buffer.from(s3.objects.get(`${curatedBucket}/${recordKey}`)!.body).toString('utf8')) as { keys: string[]; normalized: Record<string, number> };
    expect(record.normalized).toEqual({ lambda: 6 });
    const again = { body: zlib.gzipSync('{"id":"x"}\n{"id":"y"}\n{"id":"z"}\n'), etag: '"again"', lastModified: T };
    s3.objects.set(`${curatedBucket}/${record.keys[0]}`, again);
    expect(await readStoredCounts(s3.client, topology, { requests })).toEqual(before);
    s3.objects.delete(`${curatedBucket}/${record.keys[0]}`);

    // The detector moves on past c: it goes too, and the counts still hold.
    await store.save({ ...createDetectorState(), lastWindowEnd: T + 12 * MIN });
    expect((await pruneDetectedCurated(s3.client, topology, first.cursor)).removed).toBe(1);
    expect(curated()).toEqual([]);
    expect(await readStoredCounts(s3.client, topology, { requests })).toEqual(before);
  });
});
