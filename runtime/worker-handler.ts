import { Worker } from 'node:worker_threads';
import { createLogger } from '../core/index.ts';
import type { SqsBatchResponse, SqsEvent } from '../core/index.ts';
import type { HandlerWorkerData, HandlerWorkerReply } from './handler-worker-main.ts';
import type { QueueHandler } from './sqs-event-source.ts';

const log = createLogger('local-runtime');

export interface WorkerHandler {
  handler: QueueHandler;
  close(): Promise<void>;
}

/**
 * A queue handler that runs in its own thread, as a Lambda runs in its own runtime: the normalizer's parsing,
 * JSON and gzip then use the second core instead of sharing one with the generators and the sinks. The handler
 * module is the same one the Lambda entry point uses; only its clients are made again in the worker. A worker
 * that dies fails the invocations in flight (their messages return to the queue) and is started again on the
 * next invocation, like a cold start.
 */
export function startWorkerHandler(data: HandlerWorkerData): WorkerHandler {
  let worker: Worker | undefined;
  let seq = 0;
  const pending = new Map<number, { resolve: (r: SqsBatchResponse | void) => void; reject: (e: Error) => void }>();
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const spawn = (): Worker => {
    const w = new Worker(new URL('./handler-worker.mjs', import.meta.url), { workerData: data });
    w.on('message', (reply: HandlerWorkerReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if ('error' in reply) p.reject(new Error(`handler worker: ${reply.error}`));
      else p.resolve(reply.result as SqsBatchResponse | void);
    });
    w.on('error', (err) => {
      log.warn({ err }, 'handler worker failed; the invocations in flight return to the queue');
      if (worker === w) worker = undefined;
      failAll(err);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      if (pending.size) failAll(new Error(`handler worker exited with ${code}`));
    });
    // An idle worker must not keep a CLI run alive.
    w.unref();
    return w;
  };
  // Started now rather than at the first invocation: loading the handler module overlaps the runtime's start and
  // the first deliveries, as a provisioned Lambda is ready before its first event.
  worker = spawn();
  return {
    handler: (event: SqsEvent) =>
      new Promise((resolve, reject) => {
        worker ??= spawn();
        const id = ++seq;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, event });
      }),
    async close() {
      const w = worker;
      worker = undefined;
      if (!w) return;
      const exited = new Promise<void>((r) => w.once('exit', () => r()));
      w.postMessage('close');
      // The worker ends once its port closes; terminate() is the fallback when it does not.
      const timer = setTimeout(() => void w.terminate(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
