export { startLocalRuntime, type LocalRuntime, type QueueBinding, type QueueHandler, type QueueStats } from './sqs-event-source.ts';
export { ensureAccessLogNotification } from './access-log-notification.ts';
export { runIngest, type RunIngestOptions, type RunIngestResult } from './run-ingest.ts';
