import { describe, expect, it } from 'vitest';
import type { NormalizedRecord } from '../../formats/types.ts';
import type { Finding } from '../../core/finding.ts';
import { createDetectorState, detectWindow, windowsDue, type DetectorState } from './detector.ts';
import { BUCKET, DB, FUNCTIONS, SERVICE, USERS, background } from './test-background.ts';
import { app, ecsEvent, flow, lambdaLine, rds, s3, sshd, trail, waf } from './test-records.ts';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const W = 60_000;
const TOPOLOGY = { dependencies: [{ from: `ecs:${SERVICE}`, to: `app:${SERVICE}` }, { from: `app:${SERVICE}`, to: `rds:${DB}` }] };

interface Run {
  created: Finding[];
  latest: Map<string, Finding>;
  state: DetectorState;
}

function run(seed: string | number, windows: number, inject: (w: number, start: number) => NormalizedRecord[] = () => []): Run {
  let state = createDetectorState();
  const created: Finding[] = [];
  const latest = new Map<string, Finding>();
  for (let w = 0; w < windows; w++) {
    const start = T0 + w * W;
    const res = detectWindow(state, [...background(seed, start), ...inject(w, start)], { start, end: start + W }, TOPOLOGY);
    state = res.state;
    for (const ch of res.changes) {
      const f = res.findings.find((x) => x.findingId === ch.findingId)!;
      if (ch.change === 'created') created.push(f);
      latest.set(f.findingId, f);
    }
  }
  return { created, latest, state };
}

const spread = (start: number, n: number, make: (t: number, i: number) => NormalizedRecord): NormalizedRecord[] =>
  Array.from({ length: n }, (_, i) => make(start + Math.floor(((i + 0.5) * W) / n), i));

const ATTACK_AT = 15;
const during = (w: number, len = 3) => w >= ATTACK_AT && w < ATTACK_AT + len;

describe('detectWindow on a quiet baseline', () => {
  for (const seed of [1, 2, 3]) {
    it(`raises nothing over 60 windows of noisy background (seed ${seed})`, () => {
      const r = run(seed, 60);
      expect(r.created.map((f) => `${f.kind} ${f.summary}`)).toEqual([]);
    });
  }
});

describe('detectWindow on generic records (lines their source could not read)', () => {
  // What the normalizer writes for a line of unknown shape: the source, its entity, and only shape/level/text.
  const generic = (source: NormalizedRecord['source'], t: number, i: number, entities: NormalizedRecord['entities'] = {}): NormalizedRecord => ({
    id: `g-${source}-${t}-${i}`, source, time: t, entities, message: `2026-11-21 10:00:00 WARN worker ${i % 7} retrying batch ${i}`,
    fields: { shape: 'generic', level: 'WARN', text: `worker ${i % 7} retrying batch ${i}` },
  });
  const SOURCES = ['waf', 'vpcflow', 'cloudtrail', 'lambda', 's3access', 'ec2', 'rds', 'app', 'ecs'] as const;
  const flood = (start: number) => SOURCES.flatMap((src) => spread(start, 120, (t, i) => generic(src, t, i, src === 'lambda' ? { function: FUNCTIONS[0]! } : src === 'rds' ? { database: DB } : {})));

  it('raises nothing from per-source signatures, and the template miner learns their text', () => {
    // From window 10 on (after the baselines have learned), 120 records per source and window that lack every
    // field the signatures read (no user agent, no client, no status): read as regular records they would look
    // like bots, errors, a changed traffic mix.
    const r = run(1, 22, (w, start) => (w >= 10 ? flood(start) : []));
    expect(r.created.filter((f) => !f.method.startsWith('template:')).map((f) => `${f.kind} ${f.method} ${f.summary}`)).toEqual([]);
    // The miner reads their text: a pattern never seen before, repeated 120 times a window, is news wherever the
    // records name an entity to report it on (here the function and the database their groups name).
    expect(r.created.map((f) => f.method).sort()).toEqual(['template:new-pattern@lambda', 'template:new-pattern@rds']);
    for (const src of SOURCES) expect(r.state.templates[src]?.miner.clusters.length ?? 0, src).toBeGreaterThan(0);
  });
});

interface Case {
  kind: string;
  entity: [keyof Finding['entities'], string];
  inject: (w: number, start: number) => NormalizedRecord[];
}

const ATTACKER = '185.220.101.45';
const CASES: Case[] = [
  { kind: 'ec2-ssh-bruteforce', entity: ['ip', ATTACKER], inject: (w, s) => (during(w) ? spread(s, 40, (t, i) => sshd(t, { kind: i % 2 ? 'ssh-failed' : 'ssh-invalid-user', rhost: ATTACKER, user: `u${i}` })) : []) },
  { kind: 'vpc-ssh-bruteforce', entity: ['ip', ATTACKER], inject: (w, s) => (during(w) ? spread(s, 60, (t, i) => flow(t, { src: ATTACKER, dst: '10.0.1.10', srcport: 40000 + i, dstport: 22, packets: 12, bytes: 2400 })) : []) },
  { kind: 'vpc-port-scan', entity: ['ip', ATTACKER], inject: (w, s) => (during(w) ? spread(s, 200, (t, i) => flow(t, { src: ATTACKER, dst: '10.0.1.11', dstport: 1 + i * 7, packets: 1, bytes: 44, action: 'REJECT' })) : []) },
  { kind: 'vpc-exfiltration', entity: ['ip', '91.198.174.192'], inject: (w, s) => (during(w) ? spread(s, 30, (t) => flow(t, { src: '10.0.1.12', dst: '91.198.174.192', dstport: 443, bytes: 8_000_000, packets: 6000 })) : []) },
  { kind: 'vpc-ddos', entity: ['ip', '10.0.1.10'], inject: (w, s) => (during(w) ? spread(s, 2000, (t, i) => flow(t, { src: `77.${(i >> 8) & 255}.${i & 255}.9`, dst: '10.0.1.10', dstport: 443, packets: 3, bytes: 180 })) : []) },
  { kind: 'waf-sqli-scanner', entity: ['ip', ATTACKER], inject: (w, s) => (during(w) ? spread(s, 30, (t, i) => waf(t, { ip: ATTACKER, conditionType: i % 3 ? 'SQL_INJECTION' : 'XSS', action: 'BLOCK', uri: `/products/${i}`, userAgent: 'sqlmap/1.7' })) : []) },
  { kind: 'waf-http-flood', entity: ['ip', ATTACKER], inject: (w, s) => (during(w) ? spread(s, 1500, (t, i) => waf(t, { ip: ATTACKER, rateBased: i > 300, action: i > 300 ? 'BLOCK' : 'ALLOW' })) : []) },
  { kind: 'waf-credential-stuffing', entity: ['webAcl', 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/test-acl/1111'], inject: (w, s) => (during(w) ? spread(s, 400, (t, i) => waf(t, { ip: `100.${20 + (i % 60)}.${i % 200}.${i % 250}`, method: 'POST', uri: '/login' })) : []) },
  { kind: 'waf-geo-anomaly', entity: ['country', 'KP'], inject: (w, s) => (during(w) ? spread(s, 120, (t, i) => waf(t, { ip: `175.45.176.${i % 250}`, country: i % 4 ? 'KP' : 'IR' })) : []) },
  { kind: 'waf-bad-bots', entity: ['webAcl', 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/test-acl/1111'], inject: (w, s) => (during(w) ? spread(s, 300, (t, i) => waf(t, { ip: `34.${i % 20}.1.${i % 200}`, userAgent: 'python-requests/2.31', labels: 'awswaf:managed:aws:bot-control:bot:category:http_library' })) : []) },
  { kind: 'cloudtrail-compromised-key', entity: ['principal', 'arn:aws:iam::123456789012:user/bob'], inject: (w, s) => (during(w, 1) ? spread(s, 8, (t, i) => trail(t, { user: 'bob', ip: '185.220.101.45', eventName: ['ListUsers', 'CreateAccessKey', 'AttachUserPolicy', 'PutUserPolicy', 'ListRoles', 'CreateUser', 'PutBucketPolicy', 'GetCallerIdentity'][i]!, readOnly: false })) : []) },
  { kind: 'cloudtrail-console-login-failures', entity: ['ip', ATTACKER], inject: (w, s) => (during(w) ? spread(s, 25, (t, i) => trail(t, { user: USERS[i % USERS.length]!, eventName: 'ConsoleLogin', ip: ATTACKER, errorMessage: 'Failed authentication' })) : []) },
  { kind: 'cloudtrail-access-denied-storm', entity: ['principal', 'arn:aws:iam::123456789012:user/carol'], inject: (w, s) => (during(w) ? spread(s, 80, (t, i) => trail(t, { user: 'carol', ip: '203.0.113.9', eventName: `List${i % 9}`, errorCode: 'AccessDenied' })) : []) },
  { kind: 'cloudtrail-root-usage', entity: ['principal', 'arn:aws:iam::123456789012:root'], inject: (w, s) => (w === ATTACK_AT ? [trail(s + 5000, { user: 'root', identityType: 'Root', eventName: 'CreateUser', ip: '198.18.0.1' })] : []) },
  { kind: 'lambda-timeout-storm', entity: ['function', FUNCTIONS[0]!], inject: (w, s) => (during(w) ? spread(s, 20, (t, i) => i % 2
    ? lambdaLine(t, FUNCTIONS[0]!, { lineType: 'timeout', requestId: `to-${w}-${i}` }, `2026-11-21T10:15:00.000Z to-${w}-${i} Task timed out after 30.02 seconds`)
    : lambdaLine(t, FUNCTIONS[0]!, { lineType: 'report', requestId: `to-${w}-${i}`, status: 'timeout', durationMs: 30000 }, `REPORT RequestId: to-${w}-${i}\tDuration: 30000.00 ms\tStatus: timeout`)) : []) },
  { kind: 'lambda-error-spike', entity: ['function', FUNCTIONS[1]!], inject: (w, s) => (during(w) ? spread(s, 40, (t) => lambdaLine(t, FUNCTIONS[1]!, { lineType: 'error', level: 'ERROR', text: 'TypeError: Cannot read properties of undefined' })) : []) },
  { kind: 'lambda-memory-exhaustion', entity: ['function', FUNCTIONS[0]!], inject: (w, s) => (during(w) ? spread(s, 6, (t) => lambdaLine(t, FUNCTIONS[0]!, { lineType: 'report', memorySizeMb: 128, maxMemoryUsedMb: 128 })) : []) },
  { kind: 's3-mass-delete', entity: ['bucket', BUCKET], inject: (w, s) => (during(w) ? spread(s, 400, (t, i) => s3(t, { bucket: BUCKET, op: 'REST.DELETE.OBJECT', status: 204, key: `k${i}`, ip: '203.0.113.200' })) : []) },
  { kind: 's3-403-burst', entity: ['bucket', BUCKET], inject: (w, s) => (during(w) ? spread(s, 150, (t) => s3(t, { bucket: BUCKET, op: 'REST.GET.OBJECT', status: 403, ip: ATTACKER })) : []) },
  { kind: 's3-unusual-get-volume', entity: ['bucket', BUCKET], inject: (w, s) => (during(w) ? spread(s, 800, (t, i) => s3(t, { bucket: BUCKET, op: 'REST.GET.OBJECT', key: `k${i}`, bytes: 2_000_000, ip: '203.0.113.201' })) : []) },
  { kind: 'ec2-disk-full', entity: ['instance', 'i-0123456789abcdef0'], inject: (w, s) => (during(w) ? spread(s, 5, (t) => sshd(t, { kind: 'disk-full', detail: 'write error: No space left on device' })) : []) },
  { kind: 'ec2-oom', entity: ['instance', 'i-0123456789abcdef0'], inject: (w, s) => (w === ATTACK_AT ? [sshd(s + 100, { kind: 'oom-kill', detail: 'Out of memory: Killed process 4242 (java)' })] : []) },
];

describe('detectWindow signatures', () => {
  for (const c of CASES) {
    it(`detects ${c.kind} on the right entity within the first attack window, and nothing else`, () => {
      const r = run(7, ATTACK_AT + 8, c.inject);
      const hits = r.created.filter((f) => f.kind === c.kind);
      expect(hits.length, JSON.stringify(r.created.map((f) => f.kind))).toBeGreaterThan(0);
      expect(hits[0]!.entities[c.entity[0]]).toBe(c.entity[1]);
      expect(hits[0]!.detectedAt).toBe(T0 + (ATTACK_AT + 1) * W);
      expect(hits[0]!.evidence.sampleLines.length).toBeGreaterThan(0);
      // One finding per ongoing incident, and no collateral findings of other kinds.
      expect(hits).toHaveLength(1);
      expect(r.created.filter((f) => f.kind !== c.kind).map((f) => `${f.kind}: ${f.summary}`)).toEqual([]);
    });
  }
});

describe('root cause analysis', () => {
  const cascade = (w: number, s: number): NormalizedRecord[] => {
    const out: NormalizedRecord[] = [];
    if (w >= ATTACK_AT && w < ATTACK_AT + 5) out.push(...spread(s, 30, (t) => rds(t, DB, 'FATAL', 'remaining connection slots are reserved for roles with the SUPERUSER attribute')));
    if (w >= ATTACK_AT + 1 && w < ATTACK_AT + 5) out.push(...spread(s, 40, (t) => app(t, SERVICE, { level: 'ERROR', text: 'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server failed: FATAL:  sorry, too many clients already', exception: 'sqlalchemy.exc.OperationalError' })));
    if (w >= ATTACK_AT + 2 && w < ATTACK_AT + 5) out.push(...spread(s, 4, (t, i) => ecsEvent(t, SERVICE, `(service ${SERVICE}) (task ${i}abc) failed container health checks.`)));
    return out;
  };

  it('names the database as root and chains the symptoms in dependency order', () => {
    const r = run(11, ATTACK_AT + 10, cascade);
    const kinds = r.created.map((f) => f.kind).sort();
    expect(kinds).toEqual(['app-db-errors', 'ecs-task-restarts', 'rds-connection-exhaustion', 'root-cause']);
    const rc = [...r.latest.values()].find((f) => f.kind === 'root-cause')!;
    expect(rc.chain).toEqual([`rds:${DB} connection exhaustion`, `app:${SERVICE} DB errors`, `ecs:${SERVICE} task restarts`]);
    expect(rc.entities.database).toBe(DB);
    expect(rc.primary).toBe('database');
    const ids = r.created.filter((f) => f.kind !== 'root-cause').map((f) => f.findingId).sort();
    expect([...(rc.explains ?? [])].sort()).toEqual(ids);
    // Raised as soon as two links were visible.
    expect(r.created.find((f) => f.kind === 'root-cause')!.detectedAt).toBe(T0 + (ATTACK_AT + 2) * W);
  });
});

describe('detectWindow mechanics', () => {
  it('is pure and deterministic', () => {
    const s0 = createDetectorState();
    const recs = background(5, T0);
    const before = JSON.stringify(s0);
    const a = detectWindow(s0, recs, { start: T0, end: T0 + W }, TOPOLOGY);
    expect(JSON.stringify(s0)).toBe(before);
    const b = detectWindow(s0, recs, { start: T0, end: T0 + W }, TOPOLOGY);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const r1 = run(9, 20, CASES[0]!.inject);
    const r2 = run(9, 20, CASES[0]!.inject);
    expect(JSON.stringify(r1.created)).toBe(JSON.stringify(r2.created));
  });

  it('stays quiet during warm-up even under attack', () => {
    const r = run(3, 4, (w, s) => spread(s, 50, (t) => sshd(t, { kind: 'ssh-failed', rhost: ATTACKER })));
    expect(r.created).toEqual([]);
  });

  it('counts duplicates and out-of-window records, and ignores replayed windows', () => {
    const s0 = createDetectorState();
    const recs = background(5, T0);
    const res = detectWindow(s0, [...recs, recs[0]!, { ...recs[1]!, id: 'late', time: T0 - 1 }], { start: T0, end: T0 + W }, TOPOLOGY);
    expect(res.state.stats.duplicates).toBe(1);
    expect(res.state.stats.outOfWindow).toBe(1);
    const again = detectWindow(res.state, recs, { start: T0, end: T0 + W }, TOPOLOGY);
    expect(again.findings).toEqual([]);
    expect(again.state.stats.replayedWindows).toBe(1);
    expect(again.state.windowsSeen).toBe(res.state.windowsSeen);
  });

  it('keeps one finding while an attack lasts and opens a new one after a quiet gap', () => {
    const inject = (w: number, s: number) => (w >= 10 && w < 14) || w >= 25 && w < 27 ? spread(s, 30, (t) => sshd(t, { kind: 'ssh-failed', rhost: ATTACKER })) : [];
    const r = run(4, 30, inject);
    const ssh = r.created.filter((f) => f.kind === 'ec2-ssh-bruteforce');
    expect(ssh).toHaveLength(2);
    expect(ssh[0]!.findingId).not.toBe(ssh[1]!.findingId);
    const first = r.latest.get(ssh[0]!.findingId)!;
    expect(first.evidence.features.windows).toBe(4);
    expect(first.lastSeen).toBeGreaterThan(T0 + 13 * W);
  });

  it('state survives a JSON round trip between windows (what the handler does)', () => {
    let a = createDetectorState();
    let b = createDetectorState();
    for (let w = 0; w < 12; w++) {
      const start = T0 + w * W;
      const recs = [...background(6, start), ...(w >= 8 ? spread(start, 30, (t) => sshd(t, { kind: 'ssh-failed', rhost: ATTACKER })) : [])];
      const ra = detectWindow(a, recs, { start, end: start + W }, TOPOLOGY);
      const rb = detectWindow(JSON.parse(JSON.stringify(b)) as DetectorState, recs, { start, end: start + W }, TOPOLOGY);
      expect(JSON.stringify(rb.findings)).toBe(JSON.stringify(ra.findings));
      a = ra.state;
      b = rb.state;
    }
  });

  it('windowsDue finalizes windows only after the lateness allowance', () => {
    const s = { ...createDetectorState(), lastWindowEnd: T0 };
    expect(windowsDue(s, T0 + W + 59_999, { latenessMs: 60_000 })).toEqual([]);
    expect(windowsDue(s, T0 + 2 * W, { latenessMs: 60_000 })).toEqual([{ start: T0, end: T0 + W }]);
    expect(windowsDue(s, T0 + 5 * W + 1, { latenessMs: 60_000 })).toHaveLength(4);
  });
});
