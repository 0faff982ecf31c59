import type { Rng } from '../../core/index.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import { mergeByTime } from '../common/merge.ts';
import type { BackgroundGenerator, BackgroundRequest, EntityPools, GeneratedEvent, GenerateWindow } from '../types.ts';
import { serviceModel } from '../ecs/service-model.ts';
import { dbModel, type DbModel } from './db-model.ts';
import {
  autoAnalyze,
  checkpointComplete,
  checkpointStarting,
  connectionAuthorized,
  connectionReceived,
  connectionReset,
  disconnection,
  duplicateKey,
  loggedDuration,
  newSession,
  statementTimeout,
} from './lines.ts';

/** checkpoint_timeout (5 min) and checkpoint_completion_target (0.9): RDS's defaults. */
const CHECKPOINT_MS = 300_000;
const CHECKPOINT_WRITE_S = 269.9;

/**
 * What the activity arrivals become. Connects and disconnects have equal weight so the number of open
 * connections stays level (the SQLAlchemy pools recycle connections): a steady baseline a detector can learn.
 */
const ACTIVITY = ['connect', 'disconnect', 'duration', 'duplicate-key', 'statement-timeout', 'connection-reset'] as const;
const ACTIVITY_WEIGHTS = [40, 40, 12, 3, 1.5, 1.5];

function* activity(rng: Rng, db: DbModel, hosts: readonly string[], req: BackgroundRequest): Generator<GeneratedEvent> {
  const content = rng.fork('content');
  for (const t of arrivals(rng.fork('arrivals'), req.rate, req.window)) {
    const kind = content.weighted(ACTIVITY, ACTIVITY_WEIGHTS);
    const s = newSession(content, db, content.pick(hosts));
    switch (kind) {
      case 'connect':
        yield connectionReceived(db, t, s);
        yield connectionAuthorized(db, t, s);
        break;
      case 'disconnect':
        // Pooled connections live for minutes (pool_recycle = 30 min caps them).
        yield disconnection(db, t, s, Math.min(1_800_000, Math.round(content.logNormal(12, 1))));
        break;
      case 'duration':
        yield loggedDuration(content, db, t, s);
        break;
      case 'duplicate-key':
        yield* duplicateKey(content, db, t, s);
        break;
      case 'statement-timeout':
        yield* statementTimeout(content, db, t, s);
        break;
      case 'connection-reset':
        yield connectionReset(db, t, s);
        break;
    }
  }
}

/** The phase of the checkpoint timer: a property of the instance, so sub-windows agree with whole days. */
function checkpointPhase(db: DbModel): number {
  let h = 7;
  for (const c of db.dbInstanceId) h = (Math.imul(h, 131) + c.charCodeAt(0)) >>> 0;
  return h % CHECKPOINT_MS;
}

function* checkpoints(rng: Rng, db: DbModel, w: GenerateWindow): Generator<GeneratedEvent> {
  const phase = checkpointPhase(db);
  // Start one period early: a checkpoint begun before the window may complete inside it.
  let t = Math.floor((w.start - phase) / CHECKPOINT_MS) * CHECKPOINT_MS + phase - CHECKPOINT_MS;
  for (; t < w.end; t += CHECKPOINT_MS) {
    if (t >= w.start) yield checkpointStarting(db, t);
    const r = rng.fork(`checkpoint/${t}`);
    const writeS = CHECKPOINT_WRITE_S + r.int(0, 90) / 1000;
    const done = t + Math.round(writeS * 1000);
    if (done >= w.start && done < w.end) yield checkpointComplete(r, db, done, writeS);
  }
}

function* autovacuum(rng: Rng, db: DbModel, w: GenerateWindow): Generator<GeneratedEvent> {
  const content = rng.fork('content');
  for (const t of arrivals(rng.fork('arrivals'), constantRate(1 / 900), w)) yield autoAnalyze(content, db, t);
}

/**
 * RDS for PostgreSQL background: the checkout tasks' pooled connections coming and going, slow-statement
 * and constraint-violation errors at their usual low rate, client resets, checkpoints every five minutes
 * and autovacuum analyze reports. `req.rate` drives the client activity; checkpoints and autovacuum keep
 * their own clocks. Assumes the parameter group sets log_connections, log_disconnections and
 * log_min_duration_statement = 1000 (what firedrill's parameter group declares).
 */
export const rdsBackground: BackgroundGenerator = {
  source: 'rds',
  generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Iterable<GeneratedEvent> {
    const db = dbModel(pools);
    const hosts = serviceModel(pools).tasks.map((t) => t.ip);
    return mergeByTime([activity(rng.fork('activity'), db, hosts, req), checkpoints(rng.fork('checkpoints'), db, req.window), autovacuum(rng.fork('autovacuum'), db, req.window)]);
  },
};
