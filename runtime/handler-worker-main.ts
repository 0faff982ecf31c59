import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { SerializedError } from './invoker.ts';
import { wantsTypeScript } from './typescript-loader.ts';

/** What the main thread sends to start a handler worker (structured-cloneable). */
export interface HandlerWorkerData {
  /** Absolute path of the module (ESM, CommonJS, or TypeScript through tsx). */
  file: string;
  /** Register tsx before loading `file` (needsTypeScriptLoader); without it a thread loads plain JavaScript only. */
  typescript: boolean;
  exportName: string;
  context: { functionName: string; invokedFunctionArn: string; memoryLimitInMB: string; logGroupName: string; logStreamName: string };
}

export type HandlerWorkerRequest = { id: number; event: unknown; requestId: string; deadlineMs: number };
export type HandlerWorkerReply =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'result'; id: number; result: unknown; memoryMb: number }
  | { type: 'error'; id: number; error: SerializedError; memoryMb: number };

/**
 * What this thread's isolate holds, in MB: its V8 heap's resident pages and the memory outside the heap its objects
 * own (Buffers). Sent with every reply: the runtime's `Max Memory Used` of the handler.
 */
function memoryMb(): number {
  const h = getHeapStatistics();
  return (h.total_physical_size + h.external_memory) / 1048576;
}

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

/**
 * The handler's module. A thread started without tsx (a JavaScript handler) whose module turns out to import
 * TypeScript registers tsx and imports it again, under another URL so the failed attempt's cache entry is not reused.
 */
async function importHandler(data: HandlerWorkerData): Promise<Record<string, unknown>> {
  const url = pathToFileURL(data.file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    if (data.typescript || !wantsTypeScript(err)) throw err;
    const { register } = await import('tsx/esm/api');
    register();
    return (await import(`${url}?typescript`)) as Record<string, unknown>;
  }
}

const data = workerData as HandlerWorkerData;
const port = parentPort!;
const t0 = performance.now();
let handler: Handler | undefined;
try {
  const mod = await importHandler(data);
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
          port.postMessage({ type: 'error', id: msg.id, error: { errorType: 'Runtime.MarshalError', errorMessage: `Unable to marshal response: ${serialize(err).errorMessage}` }, memoryMb: memoryMb() } satisfies HandlerWorkerReply);
          return;
        }
        port.postMessage({ type: 'result', id: msg.id, result: json, memoryMb: memoryMb() } satisfies HandlerWorkerReply);
      },
      (err: unknown) => port.postMessage({ type: 'error', id: msg.id, error: serialize(err), memoryMb: memoryMb() } satisfies HandlerWorkerReply),
    );
  });
} else {
  port.close();
}
