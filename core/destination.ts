/**
 * Where AWS would deliver a line. Lives in core/ because both the generators (which choose it) and the
 * pipeline's sinks (which honour it) need it, and pipeline/ may not import generators/.
 */
export type Destination =
  | { kind: 'cwl'; logGroup: string; logStream: string }
  | { kind: 'firehose'; deliveryStream: string }
  | { kind: 's3'; bucket: string; prefix: string };
