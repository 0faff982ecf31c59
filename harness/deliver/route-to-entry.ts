import { createHash } from 'node:crypto';
import type { WireEvent } from './types.ts';
import type { EntrySpec } from '../sut/index.ts';

/**
 * Sends each event to the SUT's entry point for its source: a Kinesis stream (as a CloudWatch Logs subscription
 * puts the source's log group on it), a Firehose stream, a bucket and prefix, or a log group of its own (a source
 * with several gets its streams split over them, a stream always to the same group). A source the SUT does not
 * name keeps the estate's destination.
 */
export function routeToEntry(entry: EntrySpec): (e: WireEvent) => WireEvent {
  const groups = entry.logGroups;
  const firehose = entry.firehose;
  const buckets = entry.buckets;
  const kinesis = entry.kinesis;
  if (![groups, firehose, buckets, kinesis].some((m) => Object.keys(m).length)) return (e) => e;
  const pick = (names: readonly string[], stream: string) => names[names.length === 1 ? 0 : createHash('sha1').update(stream).digest().readUInt32BE(0) % names.length]!;
  return (e) => {
    const onto = kinesis[e.source];
    if (onto) {
      // The group and stream the lines are of, as the subscription's envelope names them: the SUT's own group for
      // the source when it declares one, else the estate's.
      const logStream = e.dest.kind === 'cwl' ? e.dest.logStream : e.source;
      const names = groups[e.source];
      const logGroup = names?.length ? pick(names, logStream) : e.dest.kind === 'cwl' ? e.dest.logGroup : e.source;
      return { ...e, dest: { kind: 'kinesis', stream: onto, logGroup, logStream } };
    }
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
