import type { KinesisStreamEvent, KinesisStreamRecord } from '../core/index.ts';

/** A record as GetRecords returns it (the SDK's `_Record`, reduced to what Lambda passes on). */
export interface KinesisRecordIn {
  Data?: Uint8Array;
  PartitionKey?: string;
  SequenceNumber?: string;
  ApproximateArrivalTimestamp?: Date;
}

export interface KinesisEventSource {
  shardId: string;
  streamArn: string;
  region: string;
  /** The function's execution role as Lambda names it in `invokeIdentityArn`. */
  roleArn: string;
}

/** The event Lambda's Kinesis event source mapping sends for a batch read from one shard. */
export function kinesisEvent(records: readonly KinesisRecordIn[], source: KinesisEventSource): KinesisStreamEvent {
  return {
    Records: records.map(
      (r): KinesisStreamRecord => ({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: r.PartitionKey ?? '',
          sequenceNumber: r.SequenceNumber ?? '',
          data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
          approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${source.shardId}:${r.SequenceNumber ?? ''}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: source.roleArn,
        awsRegion: source.region,
        eventSourceARN: source.streamArn,
      }),
    ),
  };
}
