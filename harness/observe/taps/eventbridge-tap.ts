import { DeleteRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { BaseTap, bodyAsFinding } from './base-tap.ts';
import { createOwnQueue, deleteOwnQueue, drainQueue, sentTimestamp } from './queue-reader.ts';
import { tapIndex } from './sns-tap.ts';
import type { RawFinding } from '../types.ts';

/**
 * Events on an EventBridge bus, through a rule of firedrill's own (the tap's pattern) targeting a queue of its
 * own; close() removes the target, the rule and the queue. The raw finding is the whole event (source,
 * detail-type, time, detail …: map `detail.…`). arrivedAt is when the rule delivered it to the queue.
 * (moto 5.2 delivers to SQS targets; a rule on the same bus that targets Lambda or Step Functions makes its
 * PutEvents fail, which is the SUT's own wiring and not something this tap adds.)
 */
export class EventBridgeTap extends BaseTap {
  protected override readonly stateful = false;
  private queue?: { url: string; arn: string };
  private rule?: string;

  private get src() {
    return this.spec.source as { type: 'eventbridge'; bus: string; pattern: Record<string, unknown> };
  }

  protected async start(): Promise<void> {
    const { clients, account } = this.ctx;
    const region = clients.target.region;
    const name = `firedrill-tap-${this.ctx.runId}-${tapIndex(this.spec.name)}`;
    const bus = this.src.bus;
    const busPart = bus === 'default' ? '' : `${bus.split('/').pop()}/`;
    const ruleArn = `arn:aws:events:${region}:${account}:rule/${busPart}${name}`;
    this.queue = await createOwnQueue(clients.sqs, name, account, region, { service: 'events.amazonaws.com', sourceArn: ruleArn });
    await clients.eventbridge.send(new PutRuleCommand({ Name: name, EventBusName: bus, EventPattern: JSON.stringify(this.src.pattern), State: 'ENABLED', Tags: [{ Key: 'firedrill:managed', Value: 'true' }] }));
    this.rule = name;
    await clients.eventbridge.send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: [{ Id: 'firedrill-tap', Arn: this.queue.arn }] }));
  }

  protected async read(): Promise<RawFinding[]> {
    if (!this.queue) return [];
    return (await drainQueue(this.ctx.clients.sqs, this.queue.url)).map((m) => {
      const event = bodyAsFinding(m.Body ?? '') as { id?: string };
      const at = sentTimestamp(m);
      return { id: event.id ?? m.MessageId!, raw: event, ...(at === undefined ? {} : { arrivedAt: at }) };
    });
  }

  protected async stop(): Promise<void> {
    const { clients } = this.ctx;
    if (this.rule) {
      await clients.eventbridge.send(new RemoveTargetsCommand({ Rule: this.rule, EventBusName: this.src.bus, Ids: ['firedrill-tap'] }));
      await clients.eventbridge.send(new DeleteRuleCommand({ Name: this.rule, EventBusName: this.src.bus }));
    }
    if (this.queue) await deleteOwnQueue(clients.sqs, this.queue.url);
    this.rule = undefined;
    this.queue = undefined;
  }
}
