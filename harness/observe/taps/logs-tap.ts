import { paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { compileFilterPattern, motoAppliesPattern, type EventFilter } from '../filter-pattern.ts';
import { BaseTap } from './base-tap.ts';
import type { RawFinding } from '../types.ts';

/** Events can be ingested with timestamps a little before the newest one read: re-read this far back. */
const LOOKBACK_MS = 5 * 60_000;

/**
 * Lines of a log group that match the tap's filter pattern (a Lambda that prints `RCA: …`), through
 * FilterLogEvents (paginated). The raw finding is `{ message, timestamp, logStream }`, plus `json` when the
 * message is a JSON object (so a mapping can say `json.ip`). Events are told apart by eventId. The pattern is
 * also applied here (the unstructured subset, see filter-pattern.ts), because moto applies only plain terms.
 * arrivedAt is the event's ingestionTime.
 */
export class LogsTap extends BaseTap {
  private filter: EventFilter | undefined;
  private since = 0;

  private get src() {
    return this.spec.source as { type: 'logs'; logGroup: string; filterPattern: string };
  }

  protected async start(): Promise<void> {
    this.filter = compileFilterPattern(this.src.filterPattern);
    if (this.ctx.clients.target.endpoint && !motoAppliesPattern(this.src.filterPattern) && !this.filter) {
      this.ctx.warn?.(`tap ${this.spec.name}: moto does not apply the filter pattern ${JSON.stringify(this.src.filterPattern)} (JSON / space-delimited): every event of ${this.src.logGroup} is read`);
    }
    if (this.ctx.from === 'new') this.since = this.now() - LOOKBACK_MS;
  }

  protected async read(): Promise<RawFinding[]> {
    const out: RawFinding[] = [];
    let newest = this.since;
    const input = { logGroupName: this.src.logGroup, startTime: Math.max(0, this.since), ...(this.src.filterPattern.trim() ? { filterPattern: this.src.filterPattern } : {}) };
    try {
      for await (const page of paginateFilterLogEvents({ client: this.ctx.clients.logs }, input)) {
        for (const e of page.events ?? []) {
          const message = e.message ?? '';
          if (this.filter && !this.filter(message)) continue;
          newest = Math.max(newest, e.timestamp ?? 0);
          const raw: Record<string, unknown> = { message, timestamp: e.timestamp, logStream: e.logStreamName };
          const json = asJsonObject(message);
          if (json) raw.json = json;
          out.push({ id: e.eventId ?? `${e.logStreamName}/${e.timestamp}/${message}`, raw, ...(e.ingestionTime ? { arrivedAt: e.ingestionTime } : {}) });
        }
      }
    } catch (err) {
      // A log group the SUT has not written to yet does not exist: nothing to observe so far.
      if ((err as { name?: string }).name === 'ResourceNotFoundException') return [];
      throw err;
    }
    this.since = Math.max(this.since, newest - LOOKBACK_MS);
    return out;
  }

  protected async stop(): Promise<void> {}
}

function asJsonObject(message: string): Record<string, unknown> | undefined {
  const t = message.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(t) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
