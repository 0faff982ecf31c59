import type { ServerResponse } from 'node:http';

/** Frames kept for onlookers who connect late; the oldest go first beyond this (a long load run). */
const MAX_HISTORY = 5000;

/** What the hub forwards: anything with a `type`, serialized once. */
export interface LiveMessage {
  type: string;
  drill?: string;
}

/**
 * Fans the events of a run out to every connected page as server-sent events, and replays what happened so
 * far to a page that connects late (so a reload shows the whole drill). A timeline is a snapshot, so only the
 * latest one per drill is kept.
 */
export class LiveHub {
  private readonly history: (string | undefined)[] = [];
  private readonly latestTimeline = new Map<string, number>();
  private readonly clients = new Set<ServerResponse>();
  private seq = 0;
  private closed = false;

  publish<M extends LiveMessage>(message: M): void {
    if (this.closed) return;
    const frame = `id: ${++this.seq}\ndata: ${JSON.stringify(message)}\n\n`;
    if (message.type === 'timeline' && message.drill !== undefined) {
      const at = this.latestTimeline.get(message.drill);
      if (at !== undefined) this.history[at] = undefined;
      this.latestTimeline.set(message.drill, this.history.length);
    }
    this.history.push(frame);
    if (this.history.length > MAX_HISTORY) this.compact();
    for (const res of this.clients) res.write(frame);
  }

  /** Turns `res` into an event stream: the history first, then every new event until the page goes away. */
  attach(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    // The browser reconnects after 2 s if the stream drops, and the replay makes the page whole again.
    res.write('retry: 2000\n\n');
    for (const frame of this.history) if (frame !== undefined) res.write(frame);
    if (this.closed) {
      res.end();
      return;
    }
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  /** Keep-alive comments, so proxies do not cut an idle stream. */
  heartbeat(): void {
    for (const res of this.clients) res.write(': keep-alive\n\n');
  }

  get listeners(): number {
    return this.clients.size;
  }

  close(): void {
    this.closed = true;
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private compact(): void {
    const kept = this.history.filter((f): f is string => f !== undefined).slice(-Math.floor(MAX_HISTORY / 2));
    this.history.length = 0;
    this.latestTimeline.clear();
    this.history.push(...kept);
    kept.forEach((f, i) => {
      const m = /"type":"timeline","drill":"((?:[^"\\]|\\.)*)"/.exec(f);
      if (m) this.latestTimeline.set(JSON.parse(`"${m[1]}"`) as string, i);
    });
  }
}
