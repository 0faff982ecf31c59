/**
 * Checks shared by the rds, app, ecs and cascade tests: every generated line parses with its source's
 * format (with the origin the normalizer would have), and times never go back, overall and per stream.
 */
import { appFormat } from '../../formats/index.ts';
import { ecsFormat } from '../../formats/index.ts';
import { rdsFormat } from '../../formats/index.ts';
import type { LineOrigin } from '../../formats/index.ts';
import { destinationKey } from '../common/truth.ts';
import type { GeneratedEvent } from '../types.ts';

export function originOf(e: GeneratedEvent): LineOrigin {
  return e.dest.kind === 'cwl' ? { logGroup: e.dest.logGroup, logStream: e.dest.logStream } : {};
}

/** Parses and normalizes a generated event with its source's format; returns the normalized time and fields. */
export function normalizeEvent(e: GeneratedEvent): ReturnType<typeof rdsFormat.normalize> {
  const origin = originOf(e);
  switch (e.source) {
    case 'rds':
      return rdsFormat.normalize(rdsFormat.parse(e.message, origin), origin);
    case 'app':
      return appFormat.normalize(appFormat.parse(e.message, origin), origin);
    case 'ecs':
      return ecsFormat.normalize(ecsFormat.parse(e.message, origin), origin);
    default:
      throw new Error(`unexpected source ${e.source}`);
  }
}

/** A list of problems (empty when fine): time going back overall or within one destination stream. */
export function orderProblems(events: readonly GeneratedEvent[]): string[] {
  const problems: string[] = [];
  const last = new Map<string, number>();
  let prev = -Infinity;
  for (const [i, e] of events.entries()) {
    if (e.time < prev) problems.push(`event ${i} at ${e.time} before ${prev}`);
    prev = e.time;
    const k = destinationKey(e.dest);
    const p = last.get(k);
    if (p !== undefined && e.time < p) problems.push(`stream ${k}: ${e.time} before ${p}`);
    last.set(k, e.time);
  }
  return problems.slice(0, 5);
}
