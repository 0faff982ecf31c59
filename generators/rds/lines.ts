import type { Rng } from '../../core/index.ts';
import { serializeRds, type RdsRecord, type RdsSeverity } from '../../formats/index.ts';
import type { GeneratedEvent, TruthLabel } from '../types.ts';
import type { DbModel } from './db-model.ts';
import { LOGGED_DURATION_STATEMENTS, SLOW_STATEMENTS, SSL_SUFFIX, TABLES, UNIQUE_VIOLATIONS } from './data.ts';

/** A client session as the log prefix shows it. */
export interface PgSession {
  host: string;
  port: number;
  user: string;
  database: string;
  pid: number;
}

/** One RDS log event; %t has whole seconds, so the CloudWatch event time is floored to match. */
/** `session` null means the checkpointer; `{ pid }` another background process (empty %r, %u, %d). */
export function rdsEvent(db: DbModel, time: number, session: PgSession | { pid: number } | null, severity: RdsSeverity, text: string, label?: TruthLabel): GeneratedEvent {
  const t = Math.floor(time / 1000) * 1000;
  const rec: RdsRecord = session && 'host' in session
    ? { time: t, clientHost: session.host, clientPort: session.port, user: session.user, database: session.database, pid: session.pid, severity, text }
    : { time: t, clientHost: '', clientPort: null, user: '', database: '', pid: session?.pid ?? backgroundPid(db, 'checkpointer'), severity, text };
  const ev: GeneratedEvent = { time: t, source: 'rds', dest: { kind: 'cwl', logGroup: db.logGroup, logStream: db.logStream }, message: serializeRds(rec) };
  if (label) ev.label = label;
  return ev;
}

/** A background process's pid: stable for an instance (they live as long as the postmaster). */
export function backgroundPid(db: DbModel, name: string): number {
  let h = 0;
  for (const c of `${db.dbInstanceId}/${name}`) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return 300 + (Math.abs(h) % 700);
}

export function newSession(rng: Rng, db: DbModel, host: string): PgSession {
  return { host, port: rng.int(32768, 60999), user: db.appUser, database: db.dbName, pid: rng.int(1000, 65000) };
}

/** `connection received` is logged before authentication, so user and database print as [unknown]. */
export function connectionReceived(db: DbModel, time: number, s: PgSession, label?: TruthLabel): GeneratedEvent {
  return rdsEvent(db, time, { ...s, user: '[unknown]', database: '[unknown]' }, 'LOG', `connection received: host=${s.host} port=${s.port}`, label);
}

export function connectionAuthorized(db: DbModel, time: number, s: PgSession, label?: TruthLabel): GeneratedEvent {
  return rdsEvent(db, time, s, 'LOG', `connection authorized: user=${s.user} database=${s.database} ${SSL_SUFFIX}`, label);
}

function hms(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h}:${String(m).padStart(2, '0')}:${s.toFixed(3).padStart(6, '0')}`;
}

export function disconnection(db: DbModel, time: number, s: PgSession, sessionMs: number, label?: TruthLabel): GeneratedEvent {
  return rdsEvent(db, time, s, 'LOG', `disconnection: session time: ${hms(sessionMs)} user=${s.user} database=${s.database} host=${s.host} port=${s.port}`, label);
}

/** ERROR + DETAIL + STATEMENT of a unique violation: three events of one backend at one instant. */
export function duplicateKey(rng: Rng, db: DbModel, time: number, s: PgSession): GeneratedEvent[] {
  const v = rng.pick(UNIQUE_VIOLATIONS);
  const values = v.key.map((k) => (k === 'provider_ref' ? `'pi_${rng.hex(24)}'` : k === 'line_no' ? String(rng.int(1, 8)) : String(rng.int(100000, 999999))));
  return [
    rdsEvent(db, time, s, 'ERROR', `duplicate key value violates unique constraint "${v.constraint}"`),
    rdsEvent(db, time, s, 'DETAIL', `Key (${v.key.join(', ')})=(${values.map((x) => x.replace(/'/g, '')).join(', ')}) already exists.`),
    rdsEvent(db, time, s, 'STATEMENT', v.statement),
  ];
}

export function statementTimeout(rng: Rng, db: DbModel, time: number, s: PgSession, label?: TruthLabel): GeneratedEvent[] {
  return [
    rdsEvent(db, time, s, 'ERROR', 'canceling statement due to statement timeout', label),
    rdsEvent(db, time, s, 'STATEMENT', rng.pick(SLOW_STATEMENTS), label),
  ];
}

export function connectionReset(db: DbModel, time: number, s: PgSession, label?: TruthLabel): GeneratedEvent {
  return rdsEvent(db, time, s, 'LOG', 'could not receive data from client: Connection reset by peer', label);
}

export function loggedDuration(rng: Rng, db: DbModel, time: number, s: PgSession): GeneratedEvent {
  const ms = 1000 + rng.logNormal(5.5, 0.8);
  return rdsEvent(db, time, s, 'LOG', `duration: ${ms.toFixed(3)} ms  statement: ${rng.pick(LOGGED_DURATION_STATEMENTS)}`);
}

export function checkpointStarting(db: DbModel, time: number): GeneratedEvent {
  return rdsEvent(db, time, null, 'LOG', 'checkpoint starting: time');
}

export function checkpointComplete(rng: Rng, db: DbModel, time: number, writeSeconds: number): GeneratedEvent {
  const buffers = rng.int(200, 4000);
  const sync = rng.int(1, 40) / 1000;
  const files = rng.int(8, 60);
  const distance = rng.int(2000, 40000);
  return rdsEvent(
    db,
    time,
    null,
    'LOG',
    `checkpoint complete: wrote ${buffers} buffers (${((buffers / 16384) * 100).toFixed(1)}%); 0 WAL file(s) added, 0 removed, ${rng.int(0, 2)} recycled; ` +
      `write=${writeSeconds.toFixed(3)} s, sync=${sync.toFixed(3)} s, total=${(writeSeconds + sync + 0.004).toFixed(3)} s; ` +
      `sync files=${files}, longest=${(sync / 2).toFixed(3)} s, average=${(sync / files).toFixed(3)} s; distance=${distance} kB, estimate=${distance + rng.int(0, 3000)} kB`,
  );
}

/** autovacuum's analyze report: one event whose message spans four tab-indented lines, as PostgreSQL logs it. */
export function autoAnalyze(rng: Rng, db: DbModel, time: number): GeneratedEvent {
  const table = rng.pick(TABLES);
  const hits = rng.int(200, 6000);
  const elapsed = rng.int(10, 400) / 1000;
  const text =
    `automatic analyze of table "${db.dbName}.public.${table}"\n` +
    `\tavg read rate: ${(rng.next() * 2).toFixed(3)} MB/s, avg write rate: ${(rng.next() * 0.5).toFixed(3)} MB/s\n` +
    `\tbuffer usage: ${hits} hits, ${rng.int(0, 50)} misses, ${rng.int(0, 20)} dirtied\n` +
    `\tsystem usage: CPU: user: ${(elapsed * 0.6).toFixed(2)} s, system: ${(elapsed * 0.1).toFixed(2)} s, elapsed: ${elapsed.toFixed(2)} s`;
  // Autovacuum workers are short-lived processes with their own pid.
  return rdsEvent(db, time, { pid: rng.int(1000, 65000) }, 'LOG', text);
}
