import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { NormalizedRecord } from '../../formats/index.ts';
import { formats } from '../../formats/index.ts';
import type { Finding } from '../../core/index.ts';
import type { SourceName } from '../../core/index.ts';
import { defaultTopology } from '../../core/topology/index.ts';
import { normalizeObject } from '../normalize/index.ts';
import { createDetectorState, detectWindow, type DetectTopology } from './detector.ts';
import { messageClasses } from './message-classes.ts';

/**
 * seeds/004 in its own estate: three lines, one second apart, in the seed's own log groups — nothing else. The
 * dependency graph is data (a team's estate, not firedrill's); the lines are generic text records as the
 * normalizer keeps lines of an unknown shape (time, level, text), their entities only in their log groups.
 */
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const W = 60_000;
const GROUPS = { rds: '/aws/rds/instance/mydb/postgresql', app: '/ecs/my-python-service', ecs: '/aws/ecs/containerinsights/my-cluster/performance' } as const;
const ESTATE: DetectTopology = {
  dependencies: [
    { from: 'app:my-python-service', to: 'rds:mydb' },
    { from: 'ecs:my-cluster', to: 'app:my-python-service' },
  ],
};

let n = 0;
function line(source: 'rds' | 'app' | 'ecs', time: number, message: string): NormalizedRecord {
  const m = /^(\w+):\s*(.*)$/.exec(message)!;
  return { id: `seed004-${n++}`, source: source as SourceName, time, logGroup: GROUPS[source], logStream: 'mock', entities: {}, fields: { shape: 'generic', level: m[1]!, text: m[2]! }, message };
}

function run(records: NormalizedRecord[], topology: DetectTopology = ESTATE, windows = 4): Finding[] {
  let state = createDetectorState();
  const latest = new Map<string, Finding>();
  for (let w = 0; w < windows; w++) {
    const start = T0 + w * W;
    const r = detectWindow(state, records.filter((x) => x.time >= start && x.time < start + W), { start, end: start + W }, topology);
    state = r.state;
    for (const f of r.findings) latest.set(f.findingId, f);
  }
  return [...latest.values()];
}

const SEED = [
  'WARN: Maximum connections exceeded for database mydb',
  'ERROR: psycopg2.OperationalError: could not connect to server',
  'INFO: Task stopped due to failed ELB health check',
];
const at = (msgs: string[], gapMs = 1000, t0 = T0 + 20_000) => (['rds', 'app', 'ecs'] as const).map((src, i) => line(src, t0 + i * gapMs, msgs[i]!));

/** The lines as the pipeline's normalizer reads them from CloudWatch Logs envelopes of the seed's groups. */
function normalized(msgs: string[], t0 = T0 + 20_000, gapMs = 1000): NormalizedRecord[] {
  const topology = defaultTopology();
  const bySource = new Map<string, SourceName>(Object.entries(GROUPS).map(([src, g]) => [g, src as SourceName]));
  const groups = (logGroup: string) => { const source = bySource.get(logGroup); return source ? { source } : undefined; };
  const body = Buffer.concat((['rds', 'app', 'ecs'] as const).map((src, i) => zlib.gzipSync(JSON.stringify({
    messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: GROUPS[src], logStream: 'mock', subscriptionFilters: ['f'],
    logEvents: [{ id: String(i + 1).padStart(56, '0'), timestamp: t0 + i * gapMs, message: msgs[i]! }],
  }))));
  const out = normalizeObject({ bucket: topology.pipeline.rawBucket, key: 'raw/seed004', body: new Uint8Array(body) }, { topology, formats }, groups);
  expect(out.quarantine).toEqual([]);
  return out.records.map((r) => r.record);
}

describe('seeds/004: root cause from three lines over the declared dependencies', () => {
  it('gives database → app → ECS from the seed\'s lines as the normalizer reads them (app plain, database and ECS generic)', () => {
    const recs = normalized(SEED);
    expect(recs.map((r) => r.fields.shape)).toEqual(['generic', 'plain', 'generic']);
    const rc = run(recs).filter((x) => x.kind === 'root-cause');
    expect(rc.map((x) => x.chain)).toEqual([['rds:mydb connection exhaustion', 'app:my-python-service DB errors', 'ecs:my-cluster task restarts']]);
  });

  it('finds the incident again when it recurs after the warm-up: a failure class first seen late is not learned as a habit', () => {
    const quiet = (w: number) => [line('rds', T0 + w * W + 1_000, 'INFO: checkpoint starting: time'), line('app', T0 + w * W + 2_000, `INFO: GET /items/${w} 200 12ms`)];
    const recs = [...Array.from({ length: 20 }, (_, w) => quiet(w)).flat(), ...at(SEED, 1000, T0 + 6 * W + 20_000), ...at(SEED, 1000, T0 + 14 * W + 20_000)];
    const rc = run(recs, ESTATE, 20).filter((x) => x.kind === 'root-cause');
    expect(rc.map((x) => [Math.floor((x.firstSeen - T0) / W), x.chain?.map((c) => c.split(' ')[0])])).toEqual([
      [6, ['rds:mydb', 'app:my-python-service', 'ecs:my-cluster']],
      [14, ['rds:mydb', 'app:my-python-service', 'ecs:my-cluster']],
    ]);
  });

  it('is not corroborated by mere novelty: a weak line beside a new pattern on its dependency stays a stray line', () => {
    // Six quiet minutes to learn from, then in minute 6 the app's one line of a failure class (a WARN: weak
    // evidence only) and, on the database it depends on, either a burst of a never-seen but meaningless pattern
    // or the seed's own exhaustion line.
    const quiet = (w: number) => [
      line('rds', T0 + w * W + 1_000, 'INFO: checkpoint starting: time'),
      ...Array.from({ length: 5 }, (_, i) => line('app', T0 + w * W + 2_000 + i * 9_000, `INFO: GET /items/${w * 10 + i} 200 12ms`)),
    ];
    const start = T0 + 6 * W;
    const appLine = line('app', start + 30_000, 'WARN: could not connect to server, retrying');
    const novelty = Array.from({ length: 30 }, (_, i) => line('rds', start + 500 + i * 1_000, `WARN: worker ${i % 7} retrying batch ${i}`));
    const base = Array.from({ length: 6 }, (_, w) => quiet(w)).flat();
    const withNovelty = run([...base, ...novelty, appLine], ESTATE, 8);
    expect(withNovelty.map((f) => f.method)).toEqual(['template:new-pattern@rds']);
    const withMeaning = run([...base, line('rds', start + 29_000, SEED[0]!), appLine], ESTATE, 8);
    expect(withMeaning.filter((f) => f.kind === 'root-cause').map((f) => f.chain)).toEqual([['rds:mydb connection exhaustion', 'app:my-python-service DB errors']]);
  });

  it('gives database → app → ECS from the seed\'s own three lines in its own groups', () => {
    const f = run(at(SEED));
    const rc = f.filter((x) => x.kind === 'root-cause');
    expect(rc).toHaveLength(1);
    expect(rc[0]!.chain).toEqual(['rds:mydb connection exhaustion', 'app:my-python-service DB errors', 'ecs:my-cluster task restarts']);
    expect(rc[0]!.entities.database).toBe('mydb');
    expect(rc[0]!.primary).toBe('database');
    // The links are findings too, each on the entity its log group names.
    expect(f.filter((x) => x.kind !== 'root-cause').map((x) => [x.kind, x.entities[x.primary]]).sort()).toEqual([
      ['app-db-errors', 'my-python-service'], ['ecs-task-restarts', 'my-cluster'], ['rds-connection-exhaustion', 'mydb'],
    ]);
    expect(rc[0]!.explains).toHaveLength(3);
  });

  it('reads other wordings of the same three events the same way (stems, plurals, synonyms)', () => {
    const variants = [
      ['FATAL: sorry, too many clients already', 'ERROR: could not connect to server: Connection refused', 'WARN: service my-python-service task failed container health checks'],
      ['WARN: max connections reached on mydb', 'ERROR: sqlalchemy.exc.OperationalError: connection to server at "mydb" timed out', 'INFO: Task stopped: ELB health checks failed'],
      ['ERROR: remaining connection slots are reserved for non-replication superuser connections', 'CRITICAL: database connection failed', 'INFO: target is unhealthy, task stopped'],
    ];
    for (const v of variants) {
      const rc = run(at(v)).filter((x) => x.kind === 'root-cause');
      expect(rc.map((x) => x.chain?.map((c) => c.split(' ')[0]))).toEqual([['rds:mydb', 'app:my-python-service', 'ecs:my-cluster']]);
    }
  });

  it('classifies by meaning: each seed line and the catalog\'s wording in the same class', () => {
    expect(messageClasses(SEED[0]!)).toEqual(['connection-exhaustion']);
    expect(messageClasses('sorry, too many clients already')).toEqual(['connection-exhaustion']);
    expect(messageClasses(SEED[1]!)).toContain('connection-failure');
    expect(messageClasses(SEED[2]!)).toEqual(['health-check-failure']);
    expect(messageClasses('(service checkout) has stopped 1 running tasks: (task abc) failed container health checks.')).toEqual(['health-check-failure']);
    expect(messageClasses('GET /api/health 200 3ms')).toEqual([]);
    expect(messageClasses('java.lang.OutOfMemoryError: Java heap space')).toEqual(['out-of-memory']);
  });

  it('raises nothing without the declared dependencies: one line of each is weak evidence only', () => {
    expect(run(at(SEED), { dependencies: [] })).toEqual([]);
  });

  it('raises nothing for one lonely line', () => {
    expect(run([line('rds', T0 + 5_000, SEED[0]!)])).toEqual([]);
  });

  it('raises nothing when the order contradicts the graph (the ECS trouble came minutes before the database\'s)', () => {
    const reversed = [line('ecs', T0 + 5_000, SEED[2]!), line('app', T0 + 2 * W + 5_000, SEED[1]!), line('rds', T0 + 4 * W + 5_000, SEED[0]!)];
    expect(run(reversed, ESTATE, 7).filter((x) => x.kind === 'root-cause')).toEqual([]);
  });
});
