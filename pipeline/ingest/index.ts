export * from './types.ts';
export * from './retry.ts';
export * from './log-batches.ts';
export * from './record-batches.ts';
export * from './access-log-objects.ts';
export { CloudWatchLogsSink, type CloudWatchLogsSinkOptions } from './cloudwatch-logs-sink.ts';
export { FirehoseSink, type FirehoseSinkOptions } from './firehose-sink.ts';
export { S3AccessLogSink, type S3AccessLogSinkOptions } from './s3-access-log-sink.ts';
export { createSinks, pumpEvents, type CreateSinksOptions, type Sinks } from './pump-events.ts';
