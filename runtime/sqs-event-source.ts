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
import { pollUntil } from '../core/index.ts';
import type { SqsBatchResponse, SqsEvent, SqsRecord } from '../core/index.ts';

const log = createLogger('local-runtime');

/** SQS batch calls take at most ten entries. */
function tens<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += 10) out.push(items.slice(i, i + 10));
  return out;
}

/** A handler as Lambda calls it for SQS: may return a partial batch response (ReportBatchItemFailures). */
export type QueueHandler = (event: SqsEvent) => Promise<SqsBatchResponse | void>;

export interface QueueBinding {
  queueUrl: string;
  handler: QueueHandler;
  /** Messages per invocation (Lambda's BatchSize; default 10, SQS's receive maximum). */
  batchSize?: number;
  /**
   * Lambda's MaximumBatchingWindowInSeconds, in ms: after the first messages arrive, keep receiving what is queued
   * for up to this long (or until batchSize) before invoking. Needed for batches above 10 (default 0: invoke per
   * receive).
   */
  batchWindowMs?: number;
  /** Long-poll wait per ReceiveMessage (default 1 s: stop() waits for the polls in flight to end). */
  waitTimeSeconds?: number;
  /** Invocations in flight at once for this queue (Lambda's MaximumConcurrency; default 1). */
  concurrency?: number;
  /**
   * Lambda leaves a failed message invisible for the rest of the queue's visibility timeout. Locally that can be
   * minutes; set this to make failed messages visible again sooner (the retry semantics stay the same).
   */
  failedVisibilitySeconds?: number;
}

export interface QueueStats {
  queueUrl: string;
  invocations: number;
  received: number;
  deleted: number;
  failed: number;
  handlerErrors: number;
  /** Time spent inside the handler, ms (the rest of a drain is polling and the emulator's delivery). */
  handlerMs: number;
}

export interface LocalRuntime extends AsyncDisposable {
  /**
   * Resolves when every bound queue is empty (visible and in-flight messages both 0) and no invocation is
   * running, seen twice in a row; rejects with TimeoutError after `timeoutMs` (default 120 s).
   */
  idle(opts?: { timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
  stats(): QueueStats[];
}

interface Poller {
  binding: QueueBinding;
  arn: string;
  stats: QueueStats;
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
 * What a Lambda event source mapping does for SQS, run locally (emulators cannot run Node Lambdas): long-poll
 * the queue, invoke the handler with up to `batchSize` records, delete the records that succeeded (all of
 * them unless the handler reported batchItemFailures; none if it threw). Failed records become visible again
 * and are retried; the queue's own redrive policy moves them to the DLQ after maxReceiveCount receives.
 */
export async function startLocalRuntime(opts: { sqs: SQSClient; region?: string; bindings: QueueBinding[] }): Promise<LocalRuntime> {
  const { sqs } = opts;
  const abort = new AbortController();
  const pollers: Poller[] = [];
  for (const binding of opts.bindings) {
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: binding.queueUrl, AttributeNames: ['QueueArn'] }));
    pollers.push({
      binding,
      arn: attrs.Attributes?.QueueArn ?? binding.queueUrl,
      stats: { queueUrl: binding.queueUrl, invocations: 0, received: 0, deleted: 0, failed: 0, handlerErrors: 0, handlerMs: 0 },
      inFlight: 0,
      settle: pLimit(1),
    });
  }
  const region = opts.region ?? (await sqs.config.region());

  const loop = async (p: Poller): Promise<void> => {
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
        await invoke(p, messages);
      } finally {
        p.inFlight--;
      }
    }
  };

  /**
   * The batching window, approximated: short receives while the queue has messages, until batchSize or the
   * window's end. A backlog makes big batches; a trickle is not held back. A failed receive ends it early.
   */
  const gather = async (binding: QueueBinding, have: number): Promise<Message[]> => {
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

  const invoke = async (p: Poller, messages: Message[]): Promise<void> => {
    const { binding, stats } = p;
    stats.invocations++;
    stats.received += messages.length;
    const records: SqsRecord[] = messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? '',
      attributes: (m.Attributes ?? {}) as Record<string, string>,
      messageAttributes: (m.MessageAttributes ?? {}) as Record<string, unknown>,
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: p.arn,
      awsRegion: region,
    }));
    let failedIds: Set<string>;
    const started = Date.now();
    try {
      const res = await binding.handler({ Records: records }).finally(() => (stats.handlerMs += Date.now() - started));
      failedIds = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      // Lambda treats an identifier it does not know as a failure of the whole batch.
      if ([...failedIds].some((id) => !records.some((r) => r.messageId === id))) failedIds = new Set(records.map((r) => r.messageId));
    } catch (err) {
      stats.handlerErrors++;
      log.warn({ err, queue: binding.queueUrl }, 'handler threw; the whole batch returns to the queue');
      failedIds = new Set(records.map((r) => r.messageId));
    }
    const ok = records.filter((r) => !failedIds.has(r.messageId));
    const failed = records.filter((r) => failedIds.has(r.messageId));
    stats.failed += failed.length;
    for (const part of tens(ok)) {
      await p.settle(() => retrying(() => sqs.send(new DeleteMessageBatchCommand({ QueueUrl: binding.queueUrl, Entries: part.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })) })))).then(
        (res) => {
          stats.deleted += res.Successful?.length ?? 0;
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
            Entries: part.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle, VisibilityTimeout: binding.failedVisibilitySeconds })),
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

  const loops = pollers.flatMap((p) => Array.from({ length: p.binding.concurrency ?? 1 }, () => loop(p)));

  const queueEmpty = async (p: Poller): Promise<boolean> => {
    const res = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: p.binding.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
    );
    const a = res.Attributes ?? {};
    return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0) === 0 && p.inFlight === 0;
  };

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      // Receives in flight are not aborted: a receive cancelled client-side still runs on the server and takes
      // the messages that arrive meanwhile — even ones sent after stop() — which nobody then reads until the
      // visibility timeout. Each loop ends after its current long poll (≤ waitTimeSeconds, 1 s by default).
      abort.abort();
      await Promise.allSettled(loops);
    })());

  return {
    async idle(o = {}) {
      let streak = 0;
      await pollUntil(
        async () => {
          const empty = (await Promise.all(pollers.map(queueEmpty))).every(Boolean);
          streak = empty ? streak + 1 : 0;
          return streak >= 2;
        },
        { timeoutMs: o.timeoutMs ?? 120_000, intervalMs: 100, maxIntervalMs: 200, what: `the local runtime to drain ${pollers.map((p) => p.binding.queueUrl).join(', ')}` },
      );
    },
    stop,
    stats: () => pollers.map((p) => ({ ...p.stats })),
    [Symbol.asyncDispose]: stop,
  };
}
