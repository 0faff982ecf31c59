import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { logEventsFingerprint } from '../../core/index.ts';
import { defaultTopology } from '../../core/topology/index.ts';
import { Normalizer } from '../normalize/index.ts';
import { memoryS3 } from '../normalize/test-memory-s3.ts';
import { testLambdaFormat } from './test-lambda-format.ts';
import { pruneConsumedRaw } from './raw-pruner.ts';
import { PRUNED_PREFIX, readStoredCounts } from './read-back.ts';

const topology = defaultTopology();
const { rawBucket, curatedBucket } = topology.pipeline;
const group = topology.pipeline.logGroups.find((g) => g.source === 'lambda')!.name;
const lambda = testLambdaFormat;
const T = Date.UTC(2026, 10, 20, 10, 30);
/** Content-identical events under distinct ids, and a line that does not parse (quarantined, still landed). */
const logEvents = (stream: string, from: number) => [
  { id: `${stream}-${from}`, timestamp: T, message: `T=${T} same` },
  { id: `${stream}-${from + 1}`, timestamp: T, message: `T=${T} same` },
  { id: `${stream}-${from + 2}`, timestamp: T, message: 'garbage' },
];
const envelope = (stream: string, from: number) =>
  zlib.gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '1', logGroup: group, logStream: stream, subscriptionFilters: ['f'], logEvents: logEvents(stream, from) }));

describe('pruneConsumedRaw', () => {
  it('removes the raw objects the normalizer finished with and the ledger reads back the same counts', async () => {
    const s3 = memoryS3();
    const keys = ['raw/cwl/a', 'raw/cwl/b', 'raw/cwl/c'];
    keys.forEach((key, i) => s3.objects.set(`${rawBucket}/${key}`, { body: envelope(`s${i}`, i * 10), etag: `"${i}"`, lastModified: T }));
    const normalizer = new Normalizer({ s3: s3.client, topology, formats: { lambda }, now: () => T });
    // Two are normalized; the third is not yet (the pruner must leave it, the read-back must count it as unprocessed).
    await normalizer.processBatch(keys.slice(0, 2).map((key) => ({ bucket: rawBucket, key })));
    const requests = keys.map((_, i) => logEventsFingerprint(group, `s${i}`, logEvents(`s${i}`, i * 10)));
    const before = await readStoredCounts(s3.client, topology, { requests });

    const first = await pruneConsumedRaw(s3.client, topology);
    expect(first.removed).toBe(2);
    expect(s3.keys(rawBucket, 'raw/')).toEqual(['raw/cwl/c']);
    expect(s3.keys(curatedBucket, PRUNED_PREFIX)).toHaveLength(1);
    expect(await readStoredCounts(s3.client, topology, { requests })).toEqual(before);
    expect(before.landed).toEqual({ lambda: 9 });
    expect(before.unprocessed).toEqual([`${rawBucket}/raw/cwl/c`]);

    // From its cursor, the next sweep finds only what was normalized since; a manifest seen again removes nothing twice.
    const idle = await pruneConsumedRaw(s3.client, topology, first.cursor);
    expect(idle.removed).toBe(0);
    await normalizer.processBatch([{ bucket: rawBucket, key: 'raw/cwl/c' }]);
    const done = await readStoredCounts(s3.client, topology, { requests });
    expect((await pruneConsumedRaw(s3.client, topology, idle.cursor)).removed).toBe(1);
    expect(s3.keys(rawBucket, 'raw/')).toEqual([]);
    expect(await readStoredCounts(s3.client, topology, { requests })).toEqual(done);
    expect(Object.values(done.requestCopies)).toEqual([1, 1, 1]);
  });
});
