import { createRng, type Rng } from '../../core/index.ts';
import type { NormalizedRecord } from '../../formats/index.ts';
import { WINDOW_MS, type Corpus } from './corpus.ts';

/**
 * Corpora written by the team from the seeds' own descriptions (../shared/seeds), not by firedrill's generators:
 * each follows what its seed says and nothing the detector was tuned on. Deterministic (seeded).
 *
 * seeds/003 — WAF log fields with the seed's value sets: action ALLOW / CAPTCHA / Challenge / Count (BLOCK the
 *   anomaly), httpSourceName ALB / APIGW / APPSYNC / CF ("-"), httpStatus 200 / 202 / 307 / 308 (403 404 502 504),
 *   country US / UK / IN (XX YY ZZ WW), httpMethod GET / HEAD / POST (DELETE). Four files a minute; anomalous
 *   values appear at random at a low rate (the seed's "randomly generate anomalies"), and in five enforced minutes
 *   one field's anomalous values take over 80 % of the requests (the seed's "enforce anomalies").
 * seeds/004 — its three lines (`WARN: Maximum connections exceeded for database mydb`, `ERROR:
 *   psycopg2.OperationalError: could not connect to server`, `INFO: Task stopped due to failed ELB health check`)
 *   one second apart in its own log groups, four times in an hour (twice verbatim, twice reworded), amid the
 *   ordinary lines such groups carry — including a Python service's everyday ERRORs (a missing item, a bad request).
 * seeds/002 — `<date> <time> <LEVEL> <message>` application lines (its example: `2025-12-28 10:00:01 ERROR Database
 *   connection failed`): INFO and WARNING traffic with everyday ERRORs, and five minutes each holding one rare
 *   failure line (database down, disk full, out of memory, permission denied, upstream timeout).
 */
const T0 = Date.UTC(2025, 11, 28, 10, 0, 0);
const MINUTES = 60;

let seq = 0;
const id = (p: string) => `${p}-${seq++}`;

// ─── seeds/003 ────────────────────────────────────────────────────────────────────────────────────────
const WAF = {
  action: { normal: ['ALLOW', 'CAPTCHA', 'Challenge', 'Count'], anomalous: ['BLOCK'] },
  httpSourceName: { normal: ['ALB', 'APIGW', 'APPSYNC', 'CF'], anomalous: ['-'] },
  httpStatus: { normal: ['200', '202', '307', '308'], anomalous: ['403', '404', '502', '504'] },
  country: { normal: ['US', 'UK', 'IN'], anomalous: ['XX', 'YY', 'ZZ', 'WW'] },
  httpMethod: { normal: ['GET', 'HEAD', 'POST'], anomalous: ['DELETE'] },
} as const;
type WafField = keyof typeof WAF;
/** The seed does not give probabilities: anomalous values ride along in normal minutes at 0.4 % each field. */
const RANDOM_ANOMALY = 0.004;
const ENFORCED: [number, WafField][] = [[14, 'action'], [23, 'httpSourceName'], [31, 'country'], [42, 'httpMethod'], [51, 'httpStatus']];

export function seed003Corpus(): Corpus {
  const r = createRng('seed003-corpus');
  const records: NormalizedRecord[] = [];
  const anomalous = new Set<number>();
  for (let m = 0; m < MINUTES; m++) {
    const start = T0 + m * WINDOW_MS;
    const enforced = ENFORCED.find(([at]) => at === m)?.[1];
    if (enforced) anomalous.add(start);
    // Four files a minute, 50–70 requests each.
    for (let file = 0; file < 4; file++) {
      const n = r.int(50, 70);
      for (let i = 0; i < n; i++) {
        const t = start + file * 15_000 + Math.floor((i * 15_000) / n);
        const v = {} as Record<WafField, string>;
        for (const f of Object.keys(WAF) as WafField[]) {
          const set = WAF[f];
          v[f] = (enforced === f && r.next() < 0.85) || r.next() < RANDOM_ANOMALY ? r.pick(set.anomalous) : r.pick(set.normal);
        }
        const ip = `203.0.${r.int(0, 40)}.${r.int(1, 254)}`;
        records.push({
          id: id('waf'), source: 'waf', time: t, entities: { ip, webAcl: 'seed-003-web-acl', ...(v.country !== '-' ? { country: v.country } : {}) },
          fields: { action: v.action, httpSourceName: v.httpSourceName, country: v.country, httpMethod: v.httpMethod, responseCodeSent: Number(v.httpStatus), clientIp: ip, userAgent: 'Mozilla/5.0', uri: '/', conditionType: null, rateBased: false, labels: '' },
          message: JSON.stringify({ timestamp: t, action: v.action, httpSourceName: v.httpSourceName, httpStatus: v.httpStatus, httpRequest: { clientIp: ip, country: v.country, httpMethod: v.httpMethod } }),
        });
      }
    }
  }
  return { id: 'seed003-waf', origin: 'team-written from seeds/003 (value sets, enforced and random anomalies)', records, anomalous, topology: { dependencies: [] } };
}

// ─── seeds/004 ────────────────────────────────────────────────────────────────────────────────────────
const GROUPS = { rds: '/aws/rds/instance/mydb/postgresql', app: '/ecs/my-python-service', ecs: '/aws/ecs/containerinsights/my-cluster/performance' } as const;
const CASCADES: [number, [string, string, string]][] = [
  [15, ['WARN: Maximum connections exceeded for database mydb', 'ERROR: psycopg2.OperationalError: could not connect to server', 'INFO: Task stopped due to failed ELB health check']],
  [28, ['WARN: Maximum connections exceeded for database mydb', 'ERROR: psycopg2.OperationalError: could not connect to server', 'INFO: Task stopped due to failed ELB health check']],
  [40, ['FATAL: sorry, too many clients already', 'ERROR: sqlalchemy.exc.OperationalError: connection to server at "mydb" timed out', 'INFO: Task stopped: ELB health checks failed']],
  [52, ['ERROR: remaining connection slots are reserved for non-replication superuser connections', 'CRITICAL: database connection failed', 'WARN: target is unhealthy, task stopped']],
];

function textRecord(source: 'rds' | 'app' | 'ecs', t: number, line: string, group: string): NormalizedRecord {
  const m = /^([A-Z]+):\s*(.*)$/.exec(line);
  return { id: id(source), source, time: t, logGroup: group, logStream: 'mock', entities: {}, fields: { shape: 'generic', level: m?.[1] ?? '', text: m?.[2] ?? line }, message: line };
}

export function seed004Corpus(): Corpus {
  const r = createRng('seed004-corpus');
  const records: NormalizedRecord[] = [];
  const anomalous = new Set<number>();
  for (let m = 0; m < MINUTES; m++) {
    const start = T0 + m * WINDOW_MS;
    for (let i = 0, n = r.int(2, 5); i < n; i++) records.push(textRecord('rds', start + r.int(0, 59_999), `LOG: connection received: host=10.0.1.${r.int(2, 60)} port=${r.int(30000, 60000)}`, GROUPS.rds));
    if (m % 5 === 0) records.push(textRecord('rds', start + 1_000, 'LOG: checkpoint starting: time', GROUPS.rds));
    for (let i = 0, n = r.int(10, 20); i < n; i++) records.push(textRecord('app', start + r.int(0, 59_999), `INFO: GET /items/${r.int(1, 5000)} 200 ${r.int(3, 90)}ms`, GROUPS.app));
    if (r.next() < 0.3) records.push(textRecord('app', start + r.int(0, 59_999), `WARNING: slow request GET /search took ${r.int(900, 3000)}ms`, GROUPS.app));
    if (r.next() < 0.25) records.push(textRecord('app', start + r.int(0, 59_999), `ERROR: item ${r.int(1, 9999)} not found`, GROUPS.app));
    if (r.next() < 0.1) records.push(textRecord('app', start + r.int(0, 59_999), 'ERROR: invalid JSON in request body', GROUPS.app));
    if (m % 10 === 3) records.push(textRecord('ecs', start + 2_000, 'INFO: Task started', GROUPS.ecs));
    const c = CASCADES.find(([at]) => at === m);
    if (c) {
      anomalous.add(start);
      const t = start + r.int(5_000, 50_000);
      records.push(textRecord('rds', t, c[1][0], GROUPS.rds), textRecord('app', t + 1000, c[1][1], GROUPS.app), textRecord('ecs', t + 2000, c[1][2], GROUPS.ecs));
    }
  }
  records.sort((a, b) => a.time - b.time);
  return {
    id: 'seed004-cascade', origin: 'team-written from seeds/004 (its three lines in its groups, amid ordinary lines)', records, anomalous,
    topology: { dependencies: [{ from: 'app:my-python-service', to: 'rds:mydb' }, { from: 'ecs:my-cluster', to: 'app:my-python-service' }] },
  };
}

// ─── seeds/002 ────────────────────────────────────────────────────────────────────────────────────────
const INFO = ['User {n} logged in', 'Request processed in {n} ms', 'Cache hit ratio {n} percent', 'Scheduled job {n} completed', 'Uploaded batch {n} to S3'];
const WARN = ['High response time {n} ms on /api/orders', 'Retrying request {n} to inventory service'];
const EVERYDAY_ERRORS = ['Invalid input from user {n}', 'Order {n} rejected: payment declined'];
const RARE: [number, string][] = [
  [12, 'ERROR Database connection failed'],
  [24, 'ERROR Disk full while writing /var/lib/app/events.log'],
  [33, 'FATAL Out of memory: worker process killed'],
  [45, 'ERROR Permission denied opening /etc/app/secrets.conf'],
  [56, 'ERROR Upstream connection to payment service timed out'],
];

const fill = (r: Rng, s: string) => s.replace('{n}', String(r.int(1, 9999)));
const stamp = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 19);

function appLine(t: number, level: string, text: string): NormalizedRecord {
  return { id: id('app'), source: 'app', time: t, logGroup: '/ecs/log-collector', logStream: 'collector', entities: { service: 'log-collector' }, fields: { shape: 'generic', level, text }, message: `${stamp(t)} ${level} ${text}` };
}

export function seed002Corpus(): Corpus {
  const r = createRng('seed002-corpus');
  const records: NormalizedRecord[] = [];
  const anomalous = new Set<number>();
  for (let m = 0; m < MINUTES; m++) {
    const start = T0 + m * WINDOW_MS;
    for (let i = 0, n = r.int(30, 50); i < n; i++) records.push(appLine(start + r.int(0, 59_999), 'INFO', fill(r, r.pick(INFO))));
    if (r.next() < 0.5) records.push(appLine(start + r.int(0, 59_999), 'WARNING', fill(r, r.pick(WARN))));
    if (r.next() < 0.35) records.push(appLine(start + r.int(0, 59_999), 'ERROR', fill(r, r.pick(EVERYDAY_ERRORS))));
    const rare = RARE.find(([at]) => at === m);
    if (rare) {
      anomalous.add(start);
      const [level, ...rest] = rare[1].split(' ');
      records.push(appLine(start + r.int(0, 59_999), level!, rest.join(' ')));
    }
  }
  records.sort((a, b) => a.time - b.time);
  return { id: 'seed002-app', origin: 'team-written from seeds/002 (its line format and example, everyday and rare errors)', records, anomalous, topology: { dependencies: [] } };
}
