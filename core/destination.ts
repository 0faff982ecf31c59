import type { SourceName } from './vocabulary.ts';

/**
 * Where AWS would deliver a line. Lives in core/ because both the generators (which choose it) and the
 * pipeline's sinks (which honour it) need it, and pipeline/ may not import generators/.
 */
export type Destination =
  | { kind: 'cwl'; logGroup: string; logStream: string }
  | { kind: 'firehose'; deliveryStream: string }
  | { kind: 's3'; bucket: string; prefix: string }
  /** A Kinesis Data Stream, as a CloudWatch Logs subscription writes to it: the group and stream the lines are of. */
  | { kind: 'kinesis'; stream: string; logGroup: string; logStream: string };

/**
 * What the sinks receive: a generated event with its truth label stripped (docs/CONTRACTS.md, Plan → sinks).
 * `message` is the line exactly as AWS would carry it. In core/ for the same reason as Destination.
 */
export interface WireEvent {
  /** Event time, epoch ms. */
  time: number;
  source: SourceName;
  dest: Destination;
  message: string;
}
