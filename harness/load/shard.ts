import { ConfigError, type WireEvent } from '../../core/index.ts';

/** Shard `index` of `count` (0-based): this process sends the streams that fall to it, and only those. */
export interface Shard {
  index: number;
  count: number;
}

/** `--shard i/n` (or FIREDRILL_SHARD, as the scheduled Fargate task sets it): 0 ≤ i < n. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 0 && index < count)) {
    throw new ConfigError(`invalid --shard ${JSON.stringify(text)}`, {
      expected: 'i/n with 0 ≤ i < n: this process is shard i of n (0-based)',
      seen: text,
      fix: 'e.g. --shard 0/3, --shard 1/3 and --shard 2/3 in three processes with the same --seed and --schedule',
    });
  }
  return { index, count };
}

/**
 * The stream an event travels in: the log stream of a log group, a Firehose delivery stream, a log stream's records
 * on a Kinesis stream, an S3 prefix. Streams
 * stay whole within a shard, so each keeps its order (and one writer per CloudWatch Logs stream).
 */
export function streamKey(e: WireEvent): string {
  const d = e.dest;
  const where =
    d.kind === 'cwl' ? `${d.logGroup}\u0000${d.logStream}` : d.kind === 'firehose' ? d.deliveryStream : d.kind === 'kinesis' ? `${d.stream}\u0000${d.logGroup}\u0000${d.logStream}` : `${d.bucket}\u0000${d.prefix}`;
  return `${e.source}\u0000${d.kind}\u0000${where}`;
}

/** FNV-1a (32 bit): the same shard for the same stream on every machine and Node version. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The shard an event's stream falls to. */
export function shardOf(e: WireEvent, count: number): number {
  return count <= 1 ? 0 : fnv1a(streamKey(e)) % count;
}
