/** The SQS → Lambda event shapes (aws-lambda's SQSEvent / SQSBatchResponse), declared here to avoid a
 * types dependency. Shared by the local runtime, which builds them, and the handlers, which take them. */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, unknown>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

/** Partial batch response: only these messages return to the queue (ReportBatchItemFailures). */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export type SqsHandler = (event: SqsEvent) => Promise<SqsBatchResponse>;

/** Kinesis Data Streams → Lambda (aws-lambda's KinesisStreamEvent). `data` is base64. */
export interface KinesisStreamRecord {
  kinesis: {
    kinesisSchemaVersion: '1.0';
    partitionKey: string;
    sequenceNumber: string;
    data: string;
    /** Seconds since the epoch, with ms as the fraction (as Lambda sends it). */
    approximateArrivalTimestamp: number;
  };
  eventSource: 'aws:kinesis';
  eventVersion: '1.0';
  /** `<shardId>:<sequenceNumber>`. */
  eventID: string;
  eventName: 'aws:kinesis:record';
  invokeIdentityArn: string;
  awsRegion: string;
  eventSourceARN: string;
}

export interface KinesisStreamEvent {
  Records: KinesisStreamRecord[];
}

/** CloudWatch Logs subscription → Lambda: `data` is base64(gzip(JSON of CloudWatchLogsData)). */
export interface CloudWatchLogsEvent {
  awslogs: { data: string };
}

export interface CloudWatchLogsData {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: { id: string; timestamp: number; message: string }[];
}

/** An EventBridge schedule's event (aws-lambda's ScheduledEvent). `time` is ISO 8601 to the second. */
export interface ScheduledEvent {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.events';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, never>;
}

/** SNS → Lambda (aws-lambda's SNSEvent): always one record per invocation. */
export interface SnsEventRecord {
  EventVersion: '1.0';
  EventSubscriptionArn: string;
  EventSource: 'aws:sns';
  Sns: {
    SignatureVersion: string;
    Timestamp: string;
    Signature: string;
    SigningCertUrl: string;
    MessageId: string;
    Message: string;
    MessageAttributes: Record<string, { Type: string; Value: string }>;
    Type: string;
    UnsubscribeUrl: string;
    TopicArn: string;
    Subject: string | null;
  };
}

export interface SnsEvent {
  Records: SnsEventRecord[];
}
