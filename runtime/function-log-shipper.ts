import { randomBytes } from 'node:crypto';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClients } from '../core/aws/index.ts';
import { errorMessage } from '../core/index.ts';
import type { HandlerLogLine } from './invoker.ts';

export interface FunctionLogShipper {
  /** Pass to startRuntime's `onLog`: every line is queued for the handler's log group (and to `next`). */
  onLog(line: HandlerLogLine): void;
  /** Puts what is queued; resolves when it is in CloudWatch Logs. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

/** PutLogEvents takes at most 10,000 events (and 1 MB) a call. */
const MAX_EVENTS = 5000;

/**
 * What a handler prints goes where Lambda sends it: the log group `/aws/lambda/<function>`, one stream per
 * shipper (`YYYY/MM/DD/[$LATEST]<hex>`, as an execution environment's). A SUT whose findings are lines it prints
 * (a `logs` tap on its own group) needs this; the runtime itself only hands the lines to `onLog`. Lines carry the
 * wall time they were printed. Groups and streams are created on first use.
 */
export function functionLogShipper(opts: { clients: AwsClients; next?: (line: HandlerLogLine) => void; flushEveryMs?: number; onError?: (message: string) => void }): FunctionLogShipper {
  const { clients } = opts;
  const queued = new Map<string, { timestamp: number; message: string }[]>();
  const ready = new Map<string, Promise<string>>();
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  let chain: Promise<void> = Promise.resolve();

  const streamOf = (handler: string): Promise<string> => {
    let p = ready.get(handler);
    if (!p) {
      const group = `/aws/lambda/${handler}`;
      const stream = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
      p = (async () => {
        await clients.logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch((err: unknown) => {
          if ((err as Error).name !== 'ResourceAlreadyExistsException') throw err;
        });
        await clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
        return stream;
      })();
      ready.set(handler, p);
    }
    return p;
  };

  const put = async () => {
    for (const [handler, events] of queued) {
      if (events.length === 0) continue;
      const batch = events.splice(0, events.length).sort((a, b) => a.timestamp - b.timestamp);
      const stream = await streamOf(handler);
      for (let i = 0; i < batch.length; i += MAX_EVENTS) {
        await clients.logs.send(new PutLogEventsCommand({ logGroupName: `/aws/lambda/${handler}`, logStreamName: stream, logEvents: batch.slice(i, i + MAX_EVENTS) }));
      }
    }
  };
  const flush = (): Promise<void> => {
    chain = chain.then(put).catch((err: unknown) => opts.onError?.(`function logs not shipped: ${errorMessage(err)}`));
    return chain;
  };
  const timer = setInterval(() => void flush(), opts.flushEveryMs ?? 1000);
  timer.unref();

  return {
    onLog(line) {
      let q = queued.get(line.handler);
      if (!q) queued.set(line.handler, (q = []));
      q.push({ timestamp: line.timeMs, message: line.line });
      opts.next?.(line);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
