import { paginateDescribeLogStreams, paginateFilterLogEvents, type CloudWatchLogsClient, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { createLogger } from '../core/index.ts';
import { CaughtUp } from './caught-up.ts';
import { sleep, type EventSource, type HandlerStats, type Invoke } from './event-source.ts';
import type { LogsTrigger } from './handler-spec.ts';
import { logsSubscriptionEvent } from './logs-subscription-event.ts';

const log = createLogger('local-runtime');

/** Wait between polls of the log group (a subscription delivers within seconds; moto at once). */
const POLL_MS = 300;
/** How far before the newest event a stream delivered its next read starts (events put slightly out of order). */
const LOOKBACK_MS = 5 * 60_000;

interface StreamCursor {
  /** The start of the caller's window (the trigger's startTimeMs). */
  startMs: number;
  /** The newest event timestamp delivered from this stream: the next query starts LOOKBACK_MS before it. */
  newestMs: number;
  /** Ids of the events delivered within the lookback, so that re-reading it delivers none twice. */
  seen: Map<string, number>;
  /** The stream's lastIngestionTime when it was last read, and when that read started. */
  ingestedAt?: number;
  readAt: number;
}

/**
 * A CloudWatch Logs subscription filter with the function as its destination, run locally (moto delivers no
 * subscription to Lambda). The log group is followed with FilterLogEvents and the subscription's filter pattern;
 * each batch of new events of one stream that arrived together (one PutLogEvents) becomes one invocation with
 * `awslogs.data` = base64(gzip(DATA_MESSAGE envelope)), as a subscription delivers them. Failed invocations are
 * retried as Lambda retries an asynchronous invocation (twice by default), then dropped and counted.
 *
 * The group is read per stream, each from five minutes before the newest event it delivered (FilterLogEvents can
 * filter on event time only, not on arrival), with the events already delivered skipped: DescribeLogStreams says
 * which streams received events since they were last read, so a poll costs the new events, not the whole group
 * again. An event put into a stream more than five minutes older than one that stream already delivered is
 * therefore not seen (a real subscription would deliver it); the drill's sinks put each stream's events in time
 * order.
 */
export async function startLogsEventSource(o: {
  logs: CloudWatchLogsClient;
  account: string;
  handler: string;
  trigger: LogsTrigger;
  invoke: Invoke;
  stats: HandlerStats;
}): Promise<EventSource> {
  const { logs, trigger, stats } = o;
  const group = trigger.logGroupName;
  const abort = new AbortController();
  const cursors = new Map<string, StreamCursor>();
  const caughtUp = new CaughtUp();
  let busy = false;

  const deliver = async (logStream: string, events: FilteredLogEvent[]): Promise<void> => {
    const event = logsSubscriptionEvent({
      messageType: 'DATA_MESSAGE',
      owner: o.account,
      logGroup: group,
      logStream,
      subscriptionFilters: [trigger.filterName ?? `${o.handler}-subscription`],
      logEvents: events.map((e) => ({ id: e.eventId!, timestamp: e.timestamp!, message: e.message ?? '' })),
    });
    const max = trigger.maxRetryAttempts ?? 2;
    for (let attempt = 0; !abort.signal.aborted; attempt++) {
      try {
        await o.invoke(event, { records: events.length });
        stats.succeeded += events.length;
        return;
      } catch {
        stats.failed += events.length;
        if (attempt >= max) {
          stats.dropped += events.length;
          log.warn({ group, logStream, events: events.length }, 'subscription delivery failed after its retries; dropped');
          return;
        }
        await sleep(200 * 2 ** attempt, abort.signal);
      }
    }
  };

  /** Reads the new events of one stream and delivers them, one invocation per arrival (ingestion time). */
  const readStream = async (name: string, c: StreamCursor): Promise<void> => {
    const fresh: FilteredLogEvent[] = [];
    const pages = paginateFilterLogEvents(
      { client: logs },
      { logGroupName: group, logStreamNames: [name], startTime: Math.max(c.startMs, c.newestMs - LOOKBACK_MS), ...(trigger.filterPattern ? { filterPattern: trigger.filterPattern } : {}) },
    );
    for await (const page of pages) for (const e of page.events ?? []) if (e.eventId && !c.seen.has(e.eventId)) fresh.push(e);
    if (!fresh.length) return;
    stats.received += fresh.length;
    for (const e of fresh) c.seen.set(e.eventId!, e.timestamp!);
    for (const e of fresh) c.newestMs = Math.max(c.newestMs, e.timestamp!);
    for (const [id, ts] of c.seen) if (ts < c.newestMs - LOOKBACK_MS) c.seen.delete(id);
    const byArrival = new Map<number, FilteredLogEvent[]>();
    for (const e of fresh) {
      const k = e.ingestionTime ?? 0;
      const same = byArrival.get(k);
      if (same) same.push(e);
      else byArrival.set(k, [e]);
    }
    for (const k of [...byArrival.keys()].sort((a, b) => a - b)) {
      const batch = byArrival.get(k)!.sort((a, b) => a.timestamp! - b.timestamp!);
      await deliver(name, batch);
    }
  };

  const poll = async (): Promise<number> => {
    let delivered = 0;
    const pages = paginateDescribeLogStreams({ client: logs }, { logGroupName: group });
    for await (const page of pages) {
      for (const s of page.logStreams ?? []) {
        const name = s.logStreamName!;
        let c = cursors.get(name);
        if (!c) cursors.set(name, (c = { startMs: trigger.startTimeMs ?? 0, newestMs: -Infinity, seen: new Map(), readAt: 0 }));
        const ingested = s.lastIngestionTime;
        // Read again what changed since the last read, and what may have changed within the same second as it.
        if (ingested !== undefined && c.ingestedAt !== undefined && ingested <= c.ingestedAt && ingested < c.readAt - 1_000) continue;
        const readAt = Date.now();
        const before = stats.received;
        await readStream(name, c);
        c.ingestedAt = ingested;
        c.readAt = readAt;
        delivered += stats.received - before;
        if (abort.signal.aborted) return delivered;
      }
    }
    return delivered;
  };

  const loop = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      const startedAt = Date.now();
      try {
        busy = true;
        const n = await poll();
        busy = false;
        if (n === 0) caughtUp.empty(startedAt);
      } catch (err) {
        busy = false;
        if (abort.signal.aborted) return;
        // A group that does not exist yet has nothing to deliver: the sinks create it with their first events.
        if ((err as Error).name === 'ResourceNotFoundException') caughtUp.empty(startedAt);
        else log.warn({ err, group }, 'reading the log group failed; polling again');
      }
      await sleep(POLL_MS, abort.signal);
    }
  };
  const running = loop();

  return {
    describe: `log group ${group}`,
    async drained() {
      return (await caughtUp.next(3_000)) && !busy;
    },
    async stop() {
      abort.abort();
      await running;
      caughtUp.close();
    },
  };
}
