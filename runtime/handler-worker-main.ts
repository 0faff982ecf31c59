import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { SerializedError } from './invoker.ts';

/** What the main thread sends to start a handler worker (structured-cloneable). */
export interface HandlerWorkerData {
  /** Absolute path of the module (ESM, CommonJS, or TypeScript through tsx). */
  file: string;
  exportName: string;
  context: { functionName: string; invokedFunctionArn: string; memoryLimitInMB: string; logGroupName: string; logStreamName: string };
}

export type HandlerWorkerRequest = { id: number; event: unknown; requestId: string; deadlineMs: number };
export type HandlerWorkerReply =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: SerializedError };

type Handler = (event: unknown, context: object, callback?: (err: unknown, result?: unknown) => void) => unknown;

function serialize(err: unknown): SerializedError {
  if (err instanceof Error) return { errorType: err.name || 'Error', errorMessage: err.message, stackTrace: (err.stack ?? '').split('\n').slice(1).map((l) => l.trim()) };
  return { errorType: typeof err, errorMessage: String(err) };
}

/**
 * The export, wherever the module system put it: an ESM export, or a CommonJS `exports.x` that Node's import of
 * CommonJS exposes as a named export (or only on `default` when its static analysis cannot see it).
 */
function resolveExport(mod: Record<string, unknown>, name: string): Handler | undefined {
  const direct = mod[name];
  if (typeof direct === 'function') return direct as Handler;
  const viaDefault = (mod.default as Record<string, unknown> | undefined)?.[name];
  return typeof viaDefault === 'function' ? (viaDefault as Handler) : undefined;
}

const data = workerData as HandlerWorkerData;
const port = parentPort!;
const t0 = performance.now();
let handler: Handler | undefined;
try {
  const mod = (await import(pathToFileURL(data.file).href)) as Record<string, unknown>;
  handler = resolveExport(mod, data.exportName);
  if (!handler) {
    const exported = Object.keys(mod).filter((k) => k !== 'default');
    port.postMessage({
      type: 'init-error',
      error: { errorType: 'Runtime.HandlerNotFound', errorMessage: `${data.file}#${data.exportName} is undefined or not a function (the module exports: ${exported.join(', ') || 'nothing by name'})` },
    } satisfies HandlerWorkerReply);
  }
} catch (err) {
  const e = serialize(err);
  port.postMessage({ type: 'init-error', error: { ...e, errorType: 'Runtime.ImportModuleError', errorMessage: `${e.errorType}: ${e.errorMessage}` } } satisfies HandlerWorkerReply);
}

if (handler) {
  const fn = handler;
  port.postMessage({ type: 'ready', initMs: performance.now() - t0 } satisfies HandlerWorkerReply);
  port.on('message', (msg: HandlerWorkerRequest | 'close') => {
    if (msg === 'close') {
      port.close();
      return;
    }
    const context = {
      ...data.context,
      functionVersion: '$LATEST',
      awsRequestId: msg.requestId,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, msg.deadlineMs - Date.now()),
    };
    // Lambda's Node runtime takes a promise, a plain value, or (a handler of three parameters) a callback.
    const run =
      fn.length >= 3
        ? new Promise<unknown>((resolve, reject) => {
            const r = fn(msg.event, context, (err, result) => (err ? reject(err) : resolve(result)));
            if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(resolve, reject);
          })
        : Promise.resolve().then(() => fn(msg.event, context));
    run.then(
      (result) => {
        // The result crosses as Lambda returns it: JSON (undefined becomes null; dates become strings).
        let json: unknown;
        try {
          json = result === undefined ? null : JSON.parse(JSON.stringify(result));
        } catch (err) {
          port.postMessage({ type: 'error', id: msg.id, error: { errorType: 'Runtime.MarshalError', errorMessage: `Unable to marshal response: ${serialize(err).errorMessage}` } } satisfies HandlerWorkerReply);
          return;
        }
        port.postMessage({ type: 'result', id: msg.id, result: json } satisfies HandlerWorkerReply);
      },
      (err: unknown) => port.postMessage({ type: 'error', id: msg.id, error: serialize(err) } satisfies HandlerWorkerReply),
    );
  });
} else {
  port.close();
}
