/** Local stand-ins for what an emulator cannot run: Lambda event sources (SQS) and handlers in worker threads. */
export { startLocalRuntime, type LocalRuntime, type QueueBinding, type QueueHandler, type QueueStats } from './sqs-event-source.ts';
export { startWorkerHandler, type WorkerHandler } from './worker-handler.ts';
