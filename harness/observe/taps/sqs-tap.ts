import { BaseTap, bodyAsFinding } from './base-tap.ts';
import { drainQueue, queueUrlOf, sentTimestamp } from './queue-reader.ts';
import type { RawFinding } from '../types.ts';

/**
 * A queue the SUT writes its findings to: read and deleted (declare only a queue nothing else consumes). A body
 * that is JSON is the raw finding; any other is `{ message }`. arrivedAt is the message's SentTimestamp.
 */
export class SqsTap extends BaseTap {
  protected override readonly stateful = false;
  private url = '';

  protected async start(): Promise<void> {
    const src = this.spec.source as { type: 'sqs'; queue: string };
    this.url = await queueUrlOf(this.ctx.clients.sqs, src.queue, this.spec.name);
  }

  protected async read(): Promise<RawFinding[]> {
    const messages = await drainQueue(this.ctx.clients.sqs, this.url);
    return messages.map((m) => ({ id: m.MessageId!, raw: bodyAsFinding(m.Body ?? ''), ...(sentTimestamp(m) === undefined ? {} : { arrivedAt: sentTimestamp(m)! }) }));
  }

  protected async stop(): Promise<void> {}
}
