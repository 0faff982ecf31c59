import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import pLimit, { type LimitFunction } from 'p-limit';
import { createLogger } from '../core/index.ts';
import type { SqsBatchResponse, SqsRecord } from '../core/index.ts';
import type { EventSource, HandlerStats, Invoke, StopOptions } from './event-source.ts';

const log = createLogger('local-runtime');

/** SQS batch calls take at most ten entries. */
function tens<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += 10) out.push(items.slice(i, i + 10));
  return out;
}

export interface QueuePollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** Messages per batch (Lambda's BatchSize; default 10, SQS's receive maximum). */
  batchSize?: number;
  /**
   * Lambda's MaximumBatchingWindowInSeconds, in ms: after the first messages arrive, keep receiving what is queued
   * for up to this long (or until batchSize) before invoking. Needed for batches above 10 (default 0: invoke per
   * receive).
   */
  batchWindowMs?: number;
  /** Long-poll wait per ReceiveMessage (default 1 s: stop() waits for the polls in flight to end). */
  waitTimeSeconds?: number;
  /** Batches in flight at once for this queue (Lambda's MaximumConcurrency; default 1). */
  concurrency?: number;
  /**
   * Lambda leaves a failed message invisible for the rest of the queue's visibility timeout. Locally that can be
   * minutes; set this to make failed messages visible again sooner (the retry semantics stay the same).
   */
  failedVisibilitySeconds?: number;
  /**
   * Handles one batch; resolves with the ids of the messages to return to the queue (`retry`; the others are
   * deleted) and of those deleted without success (`dropped`: not counted as succeeded).
   */
  handle: (messages: Message[], queueArn: string) => Promise<{ retry: Set<string>; dropped?: Set<string> }>;
  stats: HandlerStats;
}

interface Poller {
  binding: QueuePollerOptions;
  arn: string;
  stats: HandlerStats;
  inFlight: number;
  /**
   * Deletes run one at a time per queue. moto's DeleteMessage rebuilds the queue's message list from a snapshot
   * without a lock, so two deletes at once can put back a message the other one deleted: it then sits invisible
   * for the queue's whole visibility timeout (120 s) and idle() waits for it. Seen in bench:pipeline; reproduced
   * with threads against moto 5.2.5 (most of 400 deleted messages came back). Real SQS needs no such care.
   */
  settle: LimitFunction;
}

/**
 * What a Lambda event source mapping does with a queue, run locally (emulators cannot run Lambda code): long-poll
 * the queue, hand up to `batchSize` messages to `handle`, delete the ones it did not return, and let the returned
 * ones become visible again to be retried; the queue's own redrive policy moves them to its DLQ after
 * maxReceiveCount receives. The SQS trigger and the SNS trigger (through a queue of the runtime's own) both run on it.
 */
export async function startQueuePoller(opts: QueuePollerOptions): Promise<EventSource & { arn: string }> {
  const { sqs } = opts;
  const abort = new AbortController();
  // Cancels the long polls in flight (stop with cutLongPolls), apart from `abort`, which only ends the loops.
  const cut = new AbortController();
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: opts.queueUrl, AttributeNames: ['QueueArn'] }));
  const p: Poller = { binding: opts, arn: attrs.Attributes?.QueueArn ?? opts.queueUrl, stats: opts.stats, inFlight: 0, settle: pLimit(1) };

  const loop = async (): Promise<void> => {
    const { binding } = p;
    while (!abort.signal.aborted) {
      let messages: Message[];
      try {
        const res = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: binding.queueUrl,
            MaxNumberOfMessages: Math.min(10, binding.batchSize ?? 10),
            WaitTimeSeconds: binding.waitTimeSeconds ?? 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: cut.signal },
        );
        messages = res.Messages ?? [];
      } catch (err) {
        if (abort.signal.aborted) return;
        log.warn({ err, queue: binding.queueUrl }, 'ReceiveMessage failed; polling again');
        // Backoff before the next receive so a dead endpoint is not hammered.
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (messages.length === 0) continue;
      messages = messages.concat(await gather(binding, messages.length));
      if (abort.signal.aborted) {
        // Received while stopping: hand the messages straight back instead of leaving them invisible for the
        // queue's whole visibility timeout (an aborted long poll would have done exactly that server-side).
        for (const part of tens(messages)) {
          await retrying(() =>
            sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: binding.queueUrl, Entries: part.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })) })),
          ).catch((err: unknown) => log.warn({ err }, 'could not release messages received while stopping'));
        }
        return;
      }
      p.inFlight++;
      try {
        await settleBatch(messages);
      } finally {
        p.inFlight--;
      }
    }
  };

  /**
   * The batching window, approximated: short receives while the queue has messages, until batchSize or the
   * window's end. A backlog makes big batches; a trickle is not held back. A failed receive ends it early.
   */
  const gather = async (binding: QueuePollerOptions, have: number): Promise<Message[]> => {
    const size = binding.batchSize ?? 10;
    const until = Date.now() + (binding.batchWindowMs ?? 0);
    const more: Message[] = [];
    while (have + more.length < size && Date.now() < until && !abort.signal.aborted) {
      let got: Message[];
      try {
        const res = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: binding.queueUrl,
            MaxNumberOfMessages: Math.min(10, size - have - more.length),
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        got = res.Messages ?? [];
      } catch {
        break;
      }
      // An empty answer ends the gathering: polling on would cost more than it gathers (moto's ReceiveMessage
      // scans the whole queue, twice per message it returns).
      if (got.length === 0) break;
      more.push(...got);
    }
    return more;
  };

  const settleBatch = async (messages: Message[]): Promise<void> => {
    const { binding, stats } = p;
    stats.received += messages.length;
    let failedIds: Set<string>;
    let dropped: Set<string> | undefined;
    try {
      ({ retry: failedIds, dropped } = await binding.handle(messages, p.arn));
    } catch (err) {
      // handle() reports failures through its result; a throw here is a bug of the source, not of the handler.
      log.warn({ err, queue: binding.queueUrl }, 'the batch could not be handled; it returns to the queue');
      failedIds = new Set(messages.map((m) => m.MessageId!));
    }
    const ok = messages.filter((m) => !failedIds.has(m.MessageId!));
    const failed = messages.filter((m) => failedIds.has(m.MessageId!));
    stats.failed += failed.length;
    for (const part of tens(ok)) {
      await p.settle(() => retrying(() => sqs.send(new DeleteMessageBatchCommand({ QueueUrl: binding.queueUrl, Entries: part.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) })))).then(
        (res) => {
          stats.succeeded += dropped?.size ? (res.Successful ?? []).filter((e) => !dropped.has(part[Number(e.Id)]!.MessageId!)).length : (res.Successful?.length ?? 0);
          // A delete that failed leaves the message to come back: the handler is idempotent, so that is safe.
          if (res.Failed?.length) log.warn({ failed: res.Failed }, 'some deletes failed; those messages will be redelivered');
        },
        (err: unknown) => log.warn({ err }, 'DeleteMessageBatch failed; the messages will be redelivered'),
      );
    }
    for (const part of binding.failedVisibilitySeconds !== undefined ? tens(failed) : []) {
      await retrying(() =>
        sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: binding.queueUrl,
            Entries: part.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: binding.failedVisibilitySeconds })),
          }),
        ),
      ).catch((err: unknown) => log.warn({ err }, 'ChangeMessageVisibilityBatch failed; the visibility timeout applies'));
    }
  };

  const retrying = async <T>(fn: () => Promise<T>): Promise<T> => {
    let last: unknown;
    for (let i = 0; i < 5; i++) {
      try {
        return await fn();
      } catch (err) {
        last = err;
        await new Promise((r) => setTimeout(r, 50 * 2 ** i));
      }
    }
    throw last;
  };

  const loops = Array.from({ length: opts.concurrency ?? 1 }, () => loop());

  let stopped: Promise<void> | undefined;
  return {
    arn: p.arn,
    describe: `queue ${opts.queueUrl}`,
    async drained() {
      const res = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: opts.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
      );
      const a = res.Attributes ?? {};
      return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0) === 0 && p.inFlight === 0;
    },
    stop: (o?: StopOptions) =>
      (stopped ??= (async () => {
        // Receives in flight are not aborted unless asked (cutLongPolls): a receive cancelled client-side still runs
        // on the server and takes the messages that arrive meanwhile — even ones sent after stop() — which nobody
        // then reads until the visibility timeout. Each loop ends after its current long poll (≤ waitTimeSeconds,
        // 1 s by default).
        abort.abort();
        if (o?.cutLongPolls) cut.abort();
        await Promise.allSettled(loops);
      })()),
  };
}

/**
 * The SQS trigger: the queue's messages as Lambda's SQS event, in batches. Succeeded records are deleted: all of
 * them unless the handler threw (none) or, with reportBatchItemFailures, returned batchItemFailures (all but
 * those; an identifier Lambda does not know fails the whole batch).
 */
export async function startSqsEventSource(o: {
  sqs: SQSClient;
  region: string;
  trigger: Omit<QueuePollerOptions, 'sqs' | 'handle' | 'stats'> & { reportBatchItemFailures?: boolean; maxBacklog?: number };
  invoke: Invoke;
  stats: HandlerStats;
}): Promise<EventSource> {
  const { maxBacklog, ...trigger } = o.trigger;
  const source = await startQueuePoller({
    ...trigger,
    sqs: o.sqs,
    stats: o.stats,
    handle: async (messages, arn) => {
      const records = messages.map((m) => sqsRecord(m, arn, o.region));
      const all = () => ({ retry: new Set(records.map((r) => r.messageId)) });
      const none = { retry: new Set<string>() };
      let res: unknown;
      try {
        res = await o.invoke({ Records: records }, { records: records.length });
      } catch {
        // The invocation's error is logged and counted where it was made (the runtime's invoke).
        return all();
      }
      if (!trigger.reportBatchItemFailures) return none;
      const failures = (res as SqsBatchResponse | null)?.batchItemFailures;
      if (failures === undefined || failures === null) return none;
      if (!Array.isArray(failures)) return all();
      const ids = new Set(failures.map((f) => (f as { itemIdentifier?: unknown })?.itemIdentifier));
      // Lambda treats an identifier it does not know (or an empty one) as a failure of the whole batch.
      if ([...ids].some((id) => typeof id !== 'string' || !records.some((r) => r.messageId === id))) return all();
      return { retry: ids as Set<string> };
    },
  });
  if (maxBacklog === undefined) return source;
  return {
    ...source,
    // Visible messages only: those in flight are the handler's already, and the bound is on what waits for it.
    backlog: async () => {
      const res = await o.sqs.send(new GetQueueAttributesCommand({ QueueUrl: trigger.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      return { waiting: Number(res.Attributes?.ApproximateNumberOfMessages ?? 0), max: maxBacklog };
    },
  };
}

/** One message as Lambda's SQS event record. */
export function sqsRecord(m: Message, queueArn: string, region: string): SqsRecord {
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: (m.Attributes ?? {}) as Record<string, string>,
    messageAttributes: (m.MessageAttributes ?? {}) as Record<string, unknown>,
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
