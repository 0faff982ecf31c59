import type { Rng } from '../../core/index.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import { mergeByTime } from '../common/merge.ts';
import type { GeneratedEvent, GenerateWindow } from '../types.ts';
import type { LinkContext } from '../cascade/link.ts';
import { fillWording } from '../cascade/params.ts';
import { serviceModel, type ServiceModel } from '../ecs/service-model.ts';
import { dbModel, type DbModel } from '../rds/db-model.ts';
import { refusalText } from '../rds/exhaustion.ts';
import { CONNECT_FRAMES, ENDPOINTS, HEALTH_INTERVAL_MS, HEALTH_PATH, LOGGERS, POOL_FRAMES, POOL_TIMEOUT_MESSAGE } from './data.ts';
import { appUsers, concretePath, drawUser } from './traffic.ts';
import { exceptionLine, jsonLine, requestLine } from './lines.ts';

/** What the app sees of the database: refused connections (exhaustion) or, standalone, also a DB that is down. */
export type DbFailure = 'exhaustion' | 'any';

const DB_ENDPOINTS = ENDPOINTS.filter((e) => e.db);

function operationalError(rng: Rng, db: DbModel, failure: DbFailure, wording?: string): string {
  if (wording !== undefined) {
    // The same draws as PostgreSQL's own wording, so only the words change.
    if (failure !== 'any' || !rng.chance(0.3)) refusalText(rng, db);
    return fillWording(wording, db);
  }
  if (failure === 'any' && rng.chance(0.3)) {
    // libpq's wording when nothing listens on the port (a restarting or failed-over instance).
    return `psycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on host "${db.endpoint}" (${db.address}) and accepting\n\tTCP/IP connections on port 5432?`;
  }
  return `psycopg2.OperationalError: connection to server at "${db.endpoint}" (${db.address}), port 5432 failed: FATAL:  ${refusalText(rng, db)}`;
}

function* firstError(ctx: LinkContext, model: ServiceModel, db: DbModel, failure: DbFailure): Generator<GeneratedEvent> {
  const c = ctx.rng.fork('first');
  const e = c.pick(DB_ENDPOINTS);
  yield exceptionLine(model, c.pick(model.tasks).taskId, ctx.onset, LOGGERS.db, `database error on ${e.method} ${concretePath(c, e)}`, CONNECT_FRAMES, operationalError(c, db, failure, ctx.wording?.app), ctx.label);
}

function* errors(ctx: LinkContext, model: ServiceModel, db: DbModel, failure: DbFailure): Generator<GeneratedEvent> {
  const c = ctx.rng.fork('content');
  const users = appUsers(ctx.pools);
  const rate = 1 + 11 * ctx.intensity;
  for (const t of arrivals(ctx.rng.fork('arrivals'), constantRate(rate), { start: ctx.onset + 1, end: ctx.end })) {
    const task = c.pick(model.tasks).taskId;
    const e = c.pick(DB_ENDPOINTS);
    const path = concretePath(c, e);
    const user = drawUser(c, users);
    const r = c.next();
    if (r < 0.35) {
      yield exceptionLine(model, task, t, LOGGERS.db, `database error on ${e.method} ${path}`, CONNECT_FRAMES, operationalError(c, db, failure, ctx.wording?.app), ctx.label);
      yield requestLine(model, task, t, { method: e.method, path, status: 500, ms: c.logNormal(Math.log(40), 0.5), user }, ctx.label);
    } else if (r < 0.6) {
      // Waited pool_timeout (30 s) for a pooled connection, then gave up.
      yield exceptionLine(model, task, t, LOGGERS.db, `connection pool exhausted on ${e.method} ${path}`, POOL_FRAMES, POOL_TIMEOUT_MESSAGE, ctx.label);
      yield requestLine(model, task, t, { method: e.method, path, status: 500, ms: 30_000 + c.int(1, 60), user }, ctx.label);
    } else if (r < 0.85) {
      yield requestLine(model, task, t, { method: e.method, path, status: c.pick([500, 503, 504]), ms: c.logNormal(Math.log(8000), 0.6), user }, ctx.label);
    } else {
      // structlog's logger.exception(): the traceback rides in the JSON as one `exception` string.
      const exception = ['Traceback (most recent call last):', ...CONNECT_FRAMES, operationalError(c, db, failure, ctx.wording?.app)].join('\n');
      yield jsonLine(c, model, task, t, LOGGERS.db, 'error', 'db_unavailable', { method: e.method, path, status: 503, duration_ms: c.int(5000, 5100), user }, ctx.label, { trailing: { exception } });
    }
  }
}

/** The target group's health check (`SELECT 1` through the pool) now times out after 5 s: 503. */
function* failingHealth(rng: Rng, ctx: LinkContext, model: ServiceModel, taskId: string): Generator<GeneratedEvent> {
  const phase = parseInt(taskId.slice(0, 6), 16) % HEALTH_INTERVAL_MS;
  const w: GenerateWindow = { start: ctx.onset + 1, end: ctx.end };
  for (let t = Math.ceil((w.start - phase) / HEALTH_INTERVAL_MS) * HEALTH_INTERVAL_MS + phase; t < w.end; t += HEALTH_INTERVAL_MS) {
    yield requestLine(model, taskId, t, { method: 'GET', path: HEALTH_PATH, status: 503, ms: 5000 + rng.int(1, 9), user: '-' }, ctx.label);
  }
}

/**
 * The app link: DB errors with their tracebacks (psycopg2 refusals echoing the database's FATAL text,
 * SQLAlchemy QueuePool timeouts), 5xx request lines with long durations, structlog error events and the
 * health check failing. The first event is at `ctx.onset` exactly.
 */
export function appDbErrorsLink(ctx: LinkContext, failure: DbFailure): Iterable<GeneratedEvent> {
  const model = serviceModel(ctx.pools);
  const db = dbModel(ctx.pools);
  return mergeByTime([
    firstError(ctx, model, db, failure),
    errors(ctx, model, db, failure),
    ...model.tasks.map((task) => failingHealth(ctx.rng.fork(`health/${task.taskId}`), ctx, model, task.taskId)),
  ]);
}
