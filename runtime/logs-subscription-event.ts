import { gunzipSync, gzipSync } from 'node:zlib';
import type { CloudWatchLogsData, CloudWatchLogsEvent } from '../core/index.ts';

/** The event a CloudWatch Logs subscription filter sends to its Lambda: the DATA_MESSAGE envelope, gzip, base64. */
export function logsSubscriptionEvent(data: CloudWatchLogsData): CloudWatchLogsEvent {
  return { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };
}

/** What a handler does first with such an event (for tests and for Node handlers that want the same code). */
export function decodeLogsSubscriptionEvent(event: CloudWatchLogsEvent): CloudWatchLogsData {
  return JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as CloudWatchLogsData;
}
