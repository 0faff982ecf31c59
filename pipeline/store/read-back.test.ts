import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { logEventsFingerprint, recordsFingerprint, type RawCounts } from '../../core/index.ts';
import { defaultTopology } from '../../core/topology/index.ts';
import { countRawObject } from './read-back.ts';

const topology = defaultTopology();
const group = topology.pipeline.logGroups.find((g) => g.source === 'lambda')!.name;
const T = Date.UTC(2026, 10, 20, 10);
const events = [
  { id: '1', timestamp: T, message: 'same' },
  { id: '2', timestamp: T, message: 'same' },
];
const envelope = (ids: string[]) =>
  zlib.gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '1', logGroup: group, logStream: 's', subscriptionFilters: ['f'], logEvents: events.map((e, i) => ({ ...e, id: ids[i] })) }));

describe('countRawObject', () => {
  it('counts the landed copies of a request: the same content under new event ids is another copy', () => {
    const fp = logEventsFingerprint(group, 's', events);
    const counts: RawCounts = { objects: 0, landed: {}, requestCopies: {} };
    const wanted = new Set([fp]);
    countRawObject({ bucket: topology.pipeline.rawBucket, key: 'raw/cwl/a' }, envelope(['1', '2']), topology, wanted, counts);
    countRawObject({ bucket: topology.pipeline.rawBucket, key: 'raw/cwl/b' }, envelope(['3', '4']), topology, wanted, counts);
    expect(counts).toEqual({ objects: 2, landed: { lambda: 4 }, requestCopies: { [fp]: 2 } });
  });

  it('fingerprints a Firehose object as the records of one PutRecordBatch', () => {
    const records = ['{"a":1}\n', '{"a":1}\n'].map((r) => Buffer.from(r));
    const fp = recordsFingerprint(records);
    const counts: RawCounts = { objects: 0, landed: {}, requestCopies: {} };
    countRawObject({ bucket: topology.pipeline.rawBucket, key: 'raw/waf/x' }, Buffer.concat(records), topology, new Set([fp]), counts);
    expect(counts.requestCopies).toEqual({ [fp]: 1 });
    expect(counts.landed).toEqual({ waf: 2 });
  });
});
