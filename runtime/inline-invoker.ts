import type { FunctionIdentity } from './function-identity.ts';
import type { InlineHandlerSpec } from './handler-spec.ts';
import { InvocationError, serializeError, timeoutError, type Invoker } from './invoker.ts';

/**
 * A handler given as a function, called in this thread. Its timeout fails the invocation but cannot stop it (only
 * a worker or a process can be ended): fine for tests and for firedrill's own callers, which is all it is for.
 */
export function startInlineInvoker(spec: InlineHandlerSpec, id: FunctionIdentity): Invoker {
  return {
    ready: async () => {},
    coldStarts: () => 1,
    invoke(event, requestId) {
      const deadline = Date.now() + id.timeoutMs;
      const context = { functionName: id.name, awsRequestId: requestId, invokedFunctionArn: id.arn, memoryLimitInMB: String(id.memoryMb), getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(timeoutError(id.name, id.timeoutMs)), id.timeoutMs);
        Promise.resolve()
          .then(() => spec.fn(event, context))
          .then(
            (r) => resolve(r === undefined ? null : r),
            (err: unknown) => reject(new InvocationError(id.name, 'error', serializeError(err))),
          )
          .finally(() => clearTimeout(timer));
      });
    },
    close: async () => {},
  };
}
