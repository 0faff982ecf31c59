import type { Rng } from '../../core/index.ts';
import { arrivals, constantRate, rampRate } from '../common/rate/index.ts';
import type { GeneratedEvent } from '../types.ts';
import type { LinkContext } from '../cascade/link.ts';
import { fillWording } from '../cascade/params.ts';
import { serviceModel } from '../ecs/service-model.ts';
import { dbModel, reservedSlotsMessage, TOO_MANY_CLIENTS, type DbModel } from './db-model.ts';
import { connectionAuthorized, connectionReceived, connectionReset, newSession, rdsEvent, statementTimeout, type PgSession } from './lines.ts';

/**
 * Share of refused connections that get the reserved-slots FATAL rather than "too many clients": once only
 * reserved slots remain, ordinary roles get the former; the latter appears when a connection storm takes
 * the last PGPROC slots before authentication (both show in real exhaustion incidents, seed 004).
 */
export const RESERVED_SHARE = 0.6;

/** The FATAL a refused application connection gets; the app link echoes the same text. */
export function refusalText(rng: Rng, db: DbModel): string {
  return rng.chance(RESERVED_SHARE) ? reservedSlotsMessage(db.engineMajor) : TOO_MANY_CLIENTS;
}

function refused(rng: Rng, db: DbModel, t: number, s: PgSession, ctx: LinkContext): GeneratedEvent[] {
  // Drawn even when another wording replaces it, so a wording changes words, not the drill's timeline.
  const own = refusalText(rng, db);
  const other = ctx.wording?.rds;
  return [connectionReceived(db, t, s, ctx.label), other ? rdsEvent(db, t, { ...s }, other.severity, fillWording(other.text, db), ctx.label) : rdsEvent(db, t, { ...s }, 'FATAL', own, ctx.label)];
}

/**
 * The database link: connections climb (authorized with no matching disconnections) for `rampMs`, then
 * every new connection is refused with FATAL, while the saturated instance also cancels slow statements
 * and sees clients give up. The first event is at `ctx.onset` exactly (a whole second: %t has no ms).
 */
export function* rdsExhaustionLink(ctx: LinkContext, rampMs: number): Generator<GeneratedEvent> {
  const db = dbModel(ctx.pools);
  const hosts = serviceModel(ctx.pools).tasks.map((t) => t.ip);
  const c = ctx.rng.fork('content');
  const peak = 3 + 27 * ctx.intensity;
  const sat = Math.min(ctx.end, ctx.onset + rampMs);
  const first = newSession(c, db, c.pick(hosts));
  if (rampMs > 0) {
    yield connectionReceived(db, ctx.onset, first, ctx.label);
    yield connectionAuthorized(db, ctx.onset, first, ctx.label);
    if (sat > ctx.onset + 1) {
      for (const t of arrivals(ctx.rng.fork('ramp'), rampRate({ start: ctx.onset, end: sat, from: 2, to: peak }), { start: ctx.onset + 1, end: sat })) {
        const s = newSession(c, db, c.pick(hosts));
        yield connectionReceived(db, t, s, ctx.label);
        yield connectionAuthorized(db, t, s, ctx.label);
      }
    }
  } else {
    yield* refused(c, db, ctx.onset, first, ctx);
  }
  if (sat >= ctx.end) return;
  for (const t of arrivals(ctx.rng.fork('saturated'), constantRate(peak), { start: sat, end: ctx.end })) {
    const s = newSession(c, db, c.pick(hosts));
    const r = c.next();
    if (r < 0.1) yield* statementTimeout(c, db, t, s, ctx.label);
    else if (r < 0.15) yield connectionReset(db, t, s, ctx.label);
    else yield* refused(c, db, t, s, ctx);
  }
}
