import { createHash } from 'node:crypto';
import type { WireEvent } from '../deliver/index.ts';
import type { EntrySpec } from '../sut/index.ts';

/**
 * Sends each event to the SUT's entry point for its source: a log group of its own (a source with several gets
 * its streams split over them, a stream always to the same group), a Firehose stream, or a bucket and prefix. A
 * source the SUT does not name keeps the builtin topology's destination.
 */
export function routeToEntry(entry: EntrySpec): (e: WireEvent) => WireEvent {
  const groups = entry.logGroups;
  const firehose = entry.firehose;
  const buckets = entry.buckets;
  if (!Object.keys(groups).length && !Object.keys(firehose).length && !Object.keys(buckets).length) return (e) => e;
  const pick = (names: readonly string[], stream: string) => names[names.length === 1 ? 0 : createHash('sha1').update(stream).digest().readUInt32BE(0) % names.length]!;
  return (e) => {
    const stream = firehose[e.source];
    if (stream) return { ...e, dest: { kind: 'firehose', deliveryStream: stream } };
    const bucket = buckets[e.source];
    if (bucket) return { ...e, dest: { kind: 's3', bucket: bucket.bucket, prefix: bucket.prefix } };
    const names = groups[e.source];
    if (names?.length) {
      const logStream = e.dest.kind === 'cwl' ? e.dest.logStream : e.source;
      return { ...e, dest: { kind: 'cwl', logGroup: pick(names, logStream), logStream } };
    }
    return e;
  };
}
