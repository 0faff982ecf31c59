import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from '../core/index.ts';

/**
 * The event an EventBridge schedule sends to its target. `time` is the occurrence's time (event time in a drill,
 * wall time with `load`), to the second as EventBridge writes it.
 */
export function scheduledEvent(o: { timeMs: number; account: string; region: string; ruleArn: string; id?: string }): ScheduledEvent {
  return {
    version: '0',
    id: o.id ?? randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: o.account,
    time: new Date(Math.floor(o.timeMs / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    region: o.region,
    resources: [o.ruleArn],
    detail: {},
  };
}
