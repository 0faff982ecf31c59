import type { NormalizedRecord } from '../../formats/index.ts';
import { createRng, type Rng } from '../../core/index.ts';
import { app, ecsEvent, flow, lambdaLine, rds, s3, sshd, trail, waf } from './test-records.ts';

/**
 * A plausible, noisy background for detector tests, built by hand from the contract (not from generators/):
 * diurnal-free Poisson-ish volumes, a few internet scanners, stray errors, legit bots, heavy-tailed bytes.
 * Every source has the kind of noise a real estate has, so "zero findings" here means something.
 */
export const DB = 'test-orders-db';
export const SERVICE = 'checkout';
export const FUNCTIONS = ['fn-thumbnailer', 'fn-order-events'];
export const BUCKET = 'test-app-data';
export const USERS = ['alice', 'bob', 'carol', 'deploy-bot'];

const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'IN', 'FR', 'CA'];

function poisson(rng: Rng, mean: number): number {
  return Math.max(0, Math.round(rng.normal(mean, Math.sqrt(mean))));
}

export function background(seed: string | number, windowStart: number, windowMs = 60_000): NormalizedRecord[] {
  const rng = createRng(`${seed}/bg/${windowStart}`);
  const pools = createRng(`${seed}/pools`);
  const clients = Array.from({ length: 300 }, (_, i) => ({ ip: `198.51.${i % 100}.${(i * 7) % 250 + 1}`, country: COUNTRIES[pools.int(0, COUNTRIES.length - 1)]! }));
  const homeIps = Object.fromEntries(USERS.map((u) => [u, [`203.0.113.${pools.int(1, 250)}`, `203.0.113.${pools.int(1, 250)}`]]));
  const externals = ['52.94.1.10', '151.101.1.69', '140.82.112.3'];
  const t = () => windowStart + Math.floor(rng.next() * windowMs);
  const out: NormalizedRecord[] = [];

  // WAF
  for (let i = poisson(rng, 200); i > 0; i--) {
    const c = rng.pick(clients);
    const p = rng.next();
    const method = p < 0.8 ? 'GET' : p < 0.95 ? 'POST' : 'HEAD';
    const uri = method === 'POST' ? rng.pick(['/login', '/cart', '/cart', '/checkout']) : rng.pick(['/', '/products', '/products/42', '/static/app.js']);
    const bot = rng.chance(0.03);
    out.push(waf(t(), { ip: c.ip, country: c.country, method, uri, action: rng.chance(0.02) ? 'BLOCK' : 'ALLOW', userAgent: bot ? 'Mozilla/5.0 (compatible; Googlebot/2.1)' : rng.chance(0.01) ? 'curl/8.4.0' : 'Mozilla/5.0', labels: bot ? 'awswaf:managed:aws:bot-control:bot:verified' : '' }));
  }
  if (rng.chance(0.1)) out.push(waf(t(), { ip: rng.pick(clients).ip, conditionType: 'SQL_INJECTION', action: 'BLOCK', uri: '/products' }));

  // VPC flows
  for (let i = poisson(rng, 120); i > 0; i--) {
    const kind = rng.next();
    if (kind < 0.5) out.push(flow(t(), { src: `10.0.1.${rng.int(10, 12)}`, dst: `10.0.11.${rng.int(5, 6)}`, dstport: 5432, bytes: Math.round(rng.logNormal(9, 1)) }));
    else if (kind < 0.8) out.push(flow(t(), { src: rng.pick(clients).ip, dst: `10.0.1.${rng.int(10, 12)}`, dstport: 443, bytes: Math.round(rng.logNormal(8, 1)) }));
    else out.push(flow(t(), { src: `10.0.1.${rng.int(10, 12)}`, dst: rng.pick(externals), dstport: 443, bytes: Math.round(rng.logNormal(12, 1.2)) }));
  }
  for (let i = poisson(rng, 4); i > 0; i--) {
    const scanner = `45.${rng.int(1, 250)}.${rng.int(1, 250)}.${rng.int(1, 250)}`;
    for (let k = rng.int(1, 3); k > 0; k--) out.push(flow(t(), { src: scanner, dst: `10.0.1.${rng.int(10, 12)}`, dstport: rng.pick([22, 23, 80, 3389, 8080, 445]), packets: 1, bytes: 44, action: 'REJECT' }));
  }

  // EC2 host logs
  for (let i = poisson(rng, 2); i > 0; i--) out.push(sshd(t(), { kind: 'ssh-accepted', rhost: '10.0.1.5', user: 'ec2-user', detail: `Accepted publickey for ec2-user from 10.0.1.5 port ${rng.int(30000, 60000)} ssh2` }));
  if (rng.chance(0.3)) {
    const noise = `45.${rng.int(1, 250)}.${rng.int(1, 250)}.${rng.int(1, 250)}`;
    for (let k = rng.int(1, 3); k > 0; k--) out.push(sshd(t(), { kind: 'ssh-failed', rhost: noise, user: rng.pick(['root', 'admin', 'oracle']) }));
  }
  for (let i = poisson(rng, 5); i > 0; i--) out.push(sshd(t(), { kind: 'systemd', detail: rng.pick(['Started Session 12 of user ec2-user.', 'Starting Cleanup of Temporary Directories...', 'Finished Refresh fwupd metadata.']) }));

  // CloudTrail
  const habits = ['DescribeInstances', 'GetObject', 'ListBuckets', 'DescribeDBInstances', 'GetCallerIdentity', 'PutObject'];
  for (let i = poisson(rng, 20); i > 0; i--) {
    const u = rng.pick(USERS);
    out.push(trail(t(), { user: u, eventName: rng.pick(habits), ip: rng.pick(homeIps[u]!), readOnly: true, ...(rng.chance(0.05) ? { errorCode: 'AccessDenied', errorMessage: 'User is not authorized' } : {}) }));
  }
  if (rng.chance(0.05)) out.push(trail(t(), { user: rng.pick(USERS), eventName: 'ConsoleLogin', ip: '203.0.113.77', errorMessage: 'Failed authentication' }));

  // Lambda
  for (const fn of FUNCTIONS) {
    for (let i = poisson(rng, 25); i > 0; i--) {
      const time = t();
      const id = rng.uuid();
      out.push(lambdaLine(time, fn, { lineType: 'start', requestId: id }, `START RequestId: ${id} Version: $LATEST`));
      out.push(lambdaLine(time, fn, { lineType: 'app', requestId: id, level: 'INFO', text: `processed order ${rng.int(1000, 9999)} in ${rng.int(5, 80)} ms` }));
      if (rng.chance(0.02)) out.push(lambdaLine(time, fn, { lineType: 'error', requestId: id, level: 'ERROR', text: `upstream returned ${rng.pick([500, 502])}` }));
      out.push(lambdaLine(time, fn, { lineType: 'report', requestId: id, durationMs: rng.int(10, 200), maxMemoryUsedMb: rng.int(60, 100) }, `REPORT RequestId: ${id}\tDuration: 26.73 ms\tBilled Duration: 27 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB`));
    }
  }

  // S3 access logs
  for (let i = poisson(rng, 50); i > 0; i--) out.push(s3(t(), { bucket: BUCKET, op: 'REST.GET.OBJECT', bytes: Math.round(rng.logNormal(10, 1)) }));
  for (let i = poisson(rng, 10); i > 0; i--) out.push(s3(t(), { bucket: BUCKET, op: 'REST.PUT.OBJECT' }));
  for (let i = poisson(rng, 1); i > 0; i--) out.push(s3(t(), { bucket: BUCKET, op: 'REST.DELETE.OBJECT', status: 204 }));
  for (let i = poisson(rng, 1); i > 0; i--) out.push(s3(t(), { bucket: BUCKET, op: 'REST.GET.OBJECT', status: 403, ip: rng.pick(clients).ip }));

  // RDS, app, ECS
  for (let i = poisson(rng, 10); i > 0; i--) out.push(rds(t(), DB, 'LOG', rng.pick([`connection received: host=10.0.1.${rng.int(10, 12)} port=${rng.int(30000, 60000)}`, `connection authorized: user=app database=orders`, `checkpoint complete: wrote ${rng.int(1, 900)} buffers (${rng.int(0, 9)}.${rng.int(0, 9)}%)`])));
  if (rng.chance(0.1)) out.push(rds(t(), DB, 'LOG', 'could not receive data from client: Connection reset by peer'));
  for (let i = poisson(rng, 100); i > 0; i--) {
    const status = rng.chance(0.005) ? 500 : rng.chance(0.03) ? 404 : 200;
    out.push(app(t(), SERVICE, { level: status >= 500 ? 'ERROR' : 'INFO', text: `GET /checkout/${rng.int(1, 9999)} ${status} ${rng.int(5, 300)}ms`, httpStatus: status, path: '/checkout' }));
  }
  // The app's habitual transient: a refused connection now and then, and at the top of every hour (when the
  // database's scheduled jobs recycle connections), so a detector learning this estate has seen it. A first-ever
  // refused connection after the warm-up is, by design, an incident (one rare line of a failure class).
  const topOfHour = windowStart % 3_600_000 < windowMs;
  if (rng.chance(0.05) || topOfHour) out.push(app(topOfHour ? windowStart + 30_000 : t(), SERVICE, { level: 'ERROR', text: 'psycopg2.OperationalError: could not connect to server: Connection refused', exception: 'OperationalError' }));
  out.push(ecsEvent(windowStart + 1000, SERVICE, rng.chance(0.2) ? `(service ${SERVICE}) has reached a steady state.` : `(service ${SERVICE}) has reached a steady state.`));
  return out.sort((a, b) => a.time - b.time);
}
