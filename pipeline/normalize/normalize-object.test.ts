import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../core/errors.ts';
import { defaultTopology } from '../../core/topology/default-topology.ts';
import type { FormatSpec } from '../../formats/types.ts';
import { formats as realFormats } from '../../formats/registry.ts';
import { logGroupSources, normalizeObject, type FormatRegistry } from './normalize-object.ts';
import { gunzipMembers, splitJsonObjects } from './raw-decode.ts';
import { parseS3Notification } from './s3-notification.ts';

const topology = defaultTopology();
const { rawBucket, accessLogBucket } = topology.pipeline;
const lambdaGroup = topology.pipeline.logGroups.find((g) => g.source === 'lambda')!.name;

/** A tiny format: `T=<ms> <text>`; anything else is a FormatError. */
const fake = (source: 'lambda' | 'waf' | 's3access'): FormatSpec<{ t: number; text: string }> => ({
  source,
  title: 'fake',
  serialize: (r) => `T=${r.t} ${r.text}`,
  parse(line) {
    const m = /^(?:\{"T":(\d+),"x":"(.*)"\}|T=(\d+) (.*))$/.exec(line);
    if (!m) throw new FormatError(`not a ${source} line`, { seen: line.slice(0, 40) });
    return { t: Number(m[1] ?? m[3]), text: m[2] ?? m[4]! };
  },
  normalize: (r) => ({ time: r.t, entities: {}, fields: { text: r.text } }),
});
const formats: FormatRegistry = { lambda: fake('lambda') as FormatSpec<unknown>, waf: fake('waf') as FormatSpec<unknown>, s3access: fake('s3access') as FormatSpec<unknown> };
const ctx = { topology, formats };

const T = Date.UTC(2026, 10, 20, 10, 30);
let nextId = 0;
function envelope(logGroup: string, messages: string[], logStream = 'stream-1') {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup,
    logStream,
    subscriptionFilters: ['f'],
    logEvents: messages.map((m, i) => ({ id: String(++nextId).padStart(56, '0'), timestamp: T + i, message: m })),
  };
}
const gz = (v: unknown) => zlib.gzipSync(typeof v === 'string' ? v : JSON.stringify(v));
const cat = (...b: Uint8Array[]) => new Uint8Array(Buffer.concat(b));

describe('normalizeObject: CloudWatch Logs envelopes', () => {
  it('reads concatenated gzip members, skips CONTROL_MESSAGE and keeps the CWL event id', () => {
    const control = { messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [], logEvents: [{ id: '', timestamp: T, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }] };
    const body = cat(gz(control), gz(envelope(lambdaGroup, [`T=${T} a`, `T=${T + 1} b`])), gz(envelope(lambdaGroup, [`T=${T + 2} c`])));
    const out = normalizeObject({ bucket: rawBucket, key: 'raw/x', body }, ctx);
    expect(out.kind).toBe('cwl');
    expect(out.controlMessages).toBe(1);
    expect(out.records.map((r) => r.record.message)).toEqual([`T=${T} a`, `T=${T + 1} b`, `T=${T + 2} c`]);
    expect(out.records[0]!.record.id).toMatch(/^\d{56}$/);
    expect(out.records[0]!.record.logGroup).toBe(lambdaGroup);
    expect(out.landed.get('lambda')).toBe(3);
    expect(out.quarantine).toEqual([]);
  });

  it('keys each event on its delivery: content-identical events are distinct, a redelivered event is the same', () => {
    const same = (e: ReturnType<typeof envelope>) => ({ ...e, logEvents: e.logEvents.map((x) => ({ ...x, timestamp: T })) });
    const first = same(envelope(lambdaGroup, [`T=${T} same`, `T=${T} same`]));
    const a = normalizeObject({ bucket: rawBucket, key: 'raw/a', body: gz(first) }, ctx);
    // Another request with the same text: new event ids, so new events.
    const b = normalizeObject({ bucket: rawBucket, key: 'raw/b', body: gz(same(envelope(lambdaGroup, [`T=${T} same`, `T=${T} same`]))) }, ctx);
    // The first envelope delivered again in another object (Firehose is at-least-once): the same events.
    const again = normalizeObject({ bucket: rawBucket, key: 'raw/c', body: gz(first) }, ctx);
    const keysOf = (o: typeof a) => o.records.map((r) => r.dedupeKey);
    expect(new Set([...keysOf(a), ...keysOf(b)]).size).toBe(4);
    expect(keysOf(again)).toEqual(keysOf(a));
  });

  it('keys direct records on the object and their position, never on their text', () => {
    const body = new TextEncoder().encode(`T=${T} same\nT=${T} same\n`);
    const one = normalizeObject({ bucket: accessLogBucket, key: 'logs/a', body, etag: '"e1"' }, ctx);
    const other = normalizeObject({ bucket: accessLogBucket, key: 'logs/b', body, etag: '"e1"' }, ctx);
    const reread = normalizeObject({ bucket: accessLogBucket, key: 'logs/a', body, etag: '"e1"' }, ctx);
    const keysOf = (o: typeof one) => o.records.map((r) => r.dedupeKey);
    expect(new Set([...keysOf(one), ...keysOf(other)]).size).toBe(4);
    expect(keysOf(reread)).toEqual(keysOf(one));
  });

  it('quarantines an unknown log group with its event count; keeps a line of unknown shape as a generic record', () => {
    const body = cat(gz(envelope('/not/declared', ['x', 'y'])), gz(envelope(lambdaGroup, ['2026-11-20 10:29:59 WARNING garbage', `T=${T} ok`, 'no time at all'])));
    const out = normalizeObject({ bucket: rawBucket, key: 'raw/y', body }, ctx);
    expect(out.quarantine.map((q) => [q.code, q.source, q.events])).toEqual([['unknown-log-group', null, 2]]);
    expect(out.landed.get(null)).toBe(2);
    expect(out.landed.get('lambda')).toBe(3);
    expect(out.records).toHaveLength(3);
    expect(out.generic.get('lambda')).toBe(2);
    expect(normalizeObject({ bucket: rawBucket, key: 'raw/y', body }, { ...ctx, landedOnly: true }).landed).toEqual(out.landed);
    const [garbage, , none] = out.records.map((r) => r.record);
    // The source is kept; what can be read is read: the line's own time, its level and the message.
    expect(garbage).toMatchObject({ source: 'lambda', time: Date.UTC(2026, 10, 20, 10, 29, 59), fields: { shape: 'generic', level: 'WARNING', text: 'garbage' } });
    // Without a time of its own a line takes the CloudWatch event's.
    expect(none).toMatchObject({ source: 'lambda', time: T + 2, fields: { shape: 'generic', level: null, text: 'no time at all' } });
  });

  it('quarantines only lines that are not text, with the reason', () => {
    const out = normalizeObject({ bucket: rawBucket, key: 'raw/z', body: gz(envelope(lambdaGroup, ['\u0000\u0001\u0002binary', `T=${T} ok`])) }, ctx);
    expect(out.quarantine.map((q) => [q.code, q.source, q.events])).toEqual([['not-text', 'lambda', 1]]);
    expect(out.quarantine[0]!.reason).toMatch(/not text/);
    expect(out.records).toHaveLength(1);
    expect(out.landed.get('lambda')).toBe(2);
  });

  it('salvages the good members before a truncated one', () => {
    const good = gz(envelope(lambdaGroup, [`T=${T} a`]));
    const broken = gz(envelope(lambdaGroup, [`T=${T} b`])).subarray(0, 25);
    const out = normalizeObject({ bucket: rawBucket, key: 'raw/t', body: cat(good, broken) }, ctx);
    expect(out.records).toHaveLength(1);
    expect(out.quarantine.map((q) => q.code)).toEqual(['truncated-gzip']);
  });
});

describe('normalizeObject: direct deliveries', () => {
  it('splits WAF JSON records concatenated with no delimiter and newline-delimited', () => {
    const rec = (i: number) => `{"T":${T + i},"x":"r{${i}}\\"q"}`;
    const body = new TextEncoder().encode(`${rec(0)}${rec(1)}\n${rec(2)}\n`);
    const out = normalizeObject({ bucket: rawBucket, key: 'waf/x', body }, ctx);
    expect(out.kind).toBe('direct');
    expect(out.records.map((r) => r.record.fields.text)).toEqual(['r{0}\\"q', 'r{1}\\"q', 'r{2}\\"q']);
    expect(out.records.every((r) => r.record.source === 'waf' && r.record.id === r.dedupeKey)).toBe(true);
  });

  it('reads S3 access log objects line by line', () => {
    const out = normalizeObject({ bucket: accessLogBucket, key: 'logs/2026-11-20-10-30-00-0123456789ABCDEF', body: new TextEncoder().encode(`T=${T} a\nT=${T} b\n`) }, ctx);
    expect(out.records.map((r) => r.record.source)).toEqual(['s3access', 's3access']);
  });

  it('keeps a direct text line of unknown shape as a generic record, timed by the line or else by the delivery', () => {
    const body = new TextEncoder().encode(`T=${T} a\n[20/Nov/2026:10:31:00 +0000] a future field layout\nno time here\n`);
    const out = normalizeObject({ bucket: accessLogBucket, key: 'logs/2026-11-20-10-30-00-0123456789ABCDEF', body }, ctx);
    expect(out.quarantine).toEqual([]);
    expect(out.records.map((r) => [r.record.source, r.record.time, r.record.fields.shape ?? null])).toEqual([
      ['s3access', T, null],
      ['s3access', Date.UTC(2026, 10, 20, 10, 31), 'generic'],
      ['s3access', Date.UTC(2026, 10, 20, 10, 30), 'generic'],
    ]);
    // A WAF object is JSON-framed: a JSON object of an unknown shape is a generic record, broken JSON stays quarantined.
    const waf = normalizeObject({ bucket: rawBucket, key: 'raw/2026/11/20/10/waf-1-2026-11-20-10-30-00-abc', body: new TextEncoder().encode(`{"timestamp":${T},"somethingElse":true}\n{"T": nope}\n`) }, ctx);
    expect(waf.records.map((r) => [r.record.time, r.record.fields.shape])).toEqual([[T, 'generic']]);
    expect(waf.quarantine.map((q) => q.code)).toEqual(['invalid-json']);
  });

  it('judges a delivery as a whole: in an object of binary bytes nothing unreadable becomes a record', () => {
    const body = cat(Buffer.from(`T=${T} a\nlooks like text\n`), Buffer.from([0x00, 0x01, 0x02, 0x0a]));
    const out = normalizeObject({ bucket: accessLogBucket, key: 'logs/2026-11-20-10-30-00-0123456789ABCDEF', body }, ctx);
    expect(out.records.map((r) => r.record.message)).toEqual([`T=${T} a`]);
    expect(out.quarantine.map((q) => q.code)).toEqual(['parse-error', 'not-text']);
  });

  it('quarantines invalid JSON, invalid UTF-8 and a 2 MB line with reasons', () => {
    const body = cat(Buffer.from(`{"T":${T},"x":"ok"}\n{"T": nope}\n`), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]), Buffer.from(`{"T":${T},"x":"${'a'.repeat(2 * 1024 * 1024)}"}\n`));
    const out = normalizeObject({ bucket: rawBucket, key: 'waf/bad', body }, ctx);
    expect(out.records).toHaveLength(1);
    expect(out.quarantine.map((q) => q.code)).toEqual(['invalid-json', 'invalid-utf8', 'line-too-large']);
    expect(out.quarantine.every((q) => q.reason.length > 0)).toBe(true);
  });

  it('property: random bytes never throw, and every landed unit is a record or a quarantine entry', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), (bytes, gzipIt) => {
        const body = gzipIt ? cat(gz(Buffer.from(bytes).toString('latin1')), bytes) : bytes;
        const out = normalizeObject({ bucket: rawBucket, key: 'raw/random', body }, ctx);
        const landed = [...out.landed.values()].reduce((a, b) => a + b, 0);
        const quarantined = out.quarantine.reduce((a, q) => a + q.events, 0);
        expect(out.records.length + quarantined).toBe(landed);
        // The ledger's count-only pass lands the same events, source by source.
        expect(normalizeObject({ bucket: rawBucket, key: 'raw/random', body }, { ...ctx, landedOnly: true }).landed).toEqual(out.landed);
      }),
      { numRuns: 300 },
    );
  });
});

describe('with the real formats', () => {
  it('normalizes Lambda platform lines with the CWL timestamp', () => {
    const lines = ['START RequestId: 8f5e2a39-1b1f-4a55-9f0e-0c8d2f1d6b11 Version: $LATEST', 'END RequestId: 8f5e2a39-1b1f-4a55-9f0e-0c8d2f1d6b11'];
    const out = normalizeObject({ bucket: rawBucket, key: 'raw/l', body: gz(envelope(lambdaGroup, lines)) }, { topology, formats: realFormats });
    expect(out.quarantine).toEqual([]);
    expect(out.records.map((r) => [r.record.time, r.record.fields.lineType])).toEqual([
      [T, 'start'],
      [T + 1, 'end'],
    ]);
  });
});

describe('with the real formats: data firedrill did not write', () => {
  const real = { topology, formats: realFormats };
  // Seed 004's groups and lines, in its own wording (a team's estate: the groups are declared by a source map).
  const seedGroups = logGroupSources(
    defaultTopology({
      logGroups: [
        { name: '/aws/rds/instance/mydb/postgresql', source: 'rds' },
        { name: '/ecs/my-python-service', source: 'app' },
        { name: '/aws/ecs/containerinsights/my-cluster/performance', source: 'ecs' },
        { name: '/team/vpc/flow-logs', source: 'vpcflow' },
      ],
    }),
  );

  it("keeps seed 004's three cascade lines, each on its entity, none quarantined", () => {
    const body = cat(
      gz(envelope('/aws/rds/instance/mydb/postgresql', ['WARN: Maximum connections exceeded for database mydb'], 'mydb')),
      gz(envelope('/ecs/my-python-service', ['ERROR: psycopg2.OperationalError: could not connect to server'], 'ecs/app/1')),
      gz(envelope('/aws/ecs/containerinsights/my-cluster/performance', ['INFO: Task stopped due to failed ELB health check'], 'FargateTelemetry-1')),
    );
    const out = normalizeObject({ bucket: rawBucket, key: 'raw/seed4', body }, real, seedGroups);
    expect(out.quarantine).toEqual([]);
    const [rds, app, ecs] = out.records.map((r) => r.record);
    // The database line is no PostgreSQL log line: a generic rds record, on the database its group names.
    expect(rds).toMatchObject({ source: 'rds', time: T, entities: { database: 'mydb' }, fields: { shape: 'generic', level: 'WARN', text: 'Maximum connections exceeded for database mydb' } });
    // The app line is plain text with a level and an exception class.
    expect(app).toMatchObject({ source: 'app', entities: { service: 'my-python-service' }, fields: { shape: 'plain', level: 'ERROR', exception: 'psycopg2.OperationalError' } });
    // The ECS line is not an ECS event: generic, with its level and text for the template miner.
    expect(ecs).toMatchObject({ source: 'ecs', fields: { shape: 'generic', level: 'INFO', text: 'Task stopped due to failed ELB health check' } });
    expect(out.generic).toEqual(new Map([['rds', 1], ['ecs', 1]]));
  });

  it("hands each line its group's declared shape (source map hint)", () => {
    const fields = '${version} ${vpc-id} ${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${action} ${start} ${end}';
    const hinted = { ...real, hintOf: (g: string) => (g === '/team/vpc/flow-logs' ? { fields: [fields] } : g === '/ecs/my-python-service' ? { shape: 'json' } : undefined) };
    const body = cat(
      gz(envelope('/team/vpc/flow-logs', ['3 vpc-0a1b2c3d eni-0a1b2c3d4e5f60718 198.51.100.7 10.0.1.15 22 REJECT 1766916000 1766916060'], 'eni-0a1b2c3d4e5f60718-all')),
      gz(envelope('/ecs/my-python-service', ['{"level":"error","msg":"db down","time":"2025-12-28T10:00:00Z"}', 'Starting gunicorn 21.2.0'], 'ecs/app/1')),
    );
    const out = normalizeObject({ bucket: rawBucket, key: 'raw/hinted', body }, hinted, seedGroups);
    expect(out.quarantine).toEqual([]);
    const [flow, json, banner] = out.records.map((r) => r.record);
    expect(flow).toMatchObject({ source: 'vpcflow', time: Date.UTC(2025, 11, 28, 10), fields: { version: 3, vpcId: 'vpc-0a1b2c3d', dstport: 22, action: 'REJECT' }, entities: { eni: 'eni-0a1b2c3d4e5f60718' } });
    expect(json).toMatchObject({ fields: { shape: 'json', level: 'ERROR', text: 'db down' } });
    // Not of the declared shape: kept, as a generic record of the same source.
    expect(banner).toMatchObject({ source: 'app', fields: { shape: 'generic', text: 'Starting gunicorn 21.2.0' }, entities: { service: 'my-python-service' } });
    // Without the declaration the custom flow line is no known layout: generic, never quarantined.
    const bare = normalizeObject({ bucket: rawBucket, key: 'raw/bare', body }, real, seedGroups);
    expect(bare.records[0]!.record.fields.shape).toBe('generic');
  });

  it("takes a group's shape, fields and entities from the declared estate, and routes undeclared groups by the source map", () => {
    const fields = '${version} ${vpc-id} ${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${action} ${start} ${end}';
    const declared = defaultTopology({
      logGroups: [
        { name: '/team/vpc/flow-logs', source: 'vpcflow', format: 'custom', fields },
        { name: '/team/orders', source: 'app', format: 'plain', entities: { service: 'orders' } },
      ],
      sourceMap: [{ match: '/aws/ecs/containerinsights/*/performance', source: 'ecs', entities: { service: 'my-python-service' } }],
    });
    const body = cat(
      gz(envelope('/team/vpc/flow-logs', ['3 vpc-0a1b2c3d eni-0a1b2c3d4e5f60718 198.51.100.7 10.0.1.15 22 REJECT 1766916000 1766916060'], 'eni-0a1b2c3d4e5f60718-all')),
      gz(envelope('/team/orders', ['2026-11-20 10:30:01 ERROR Database connection failed'], 'web-1')),
      gz(envelope('/aws/ecs/containerinsights/my-cluster/performance', ['INFO: Task stopped due to failed ELB health check'], 'FargateTelemetry-1')),
      gz(envelope('/somebody/else', ['hello'], 's')),
    );
    const out = normalizeObject({ bucket: declared.pipeline.rawBucket, key: 'raw/declared', body }, { topology: declared, formats: realFormats });
    const [flow, plain, ecs] = out.records.map((r) => r.record);
    expect(flow).toMatchObject({ source: 'vpcflow', fields: { version: 3, vpcId: 'vpc-0a1b2c3d', dstport: 22, action: 'REJECT' } });
    // seeds/002's format, from a declared plain-app group that does not follow AWS's naming: its service is declared.
    expect(plain).toMatchObject({ source: 'app', time: T + 1000, entities: { service: 'orders' }, fields: { shape: 'plain', level: 'ERROR', text: 'Database connection failed' } });
    expect(ecs).toMatchObject({ source: 'ecs', entities: { service: 'my-python-service' }, fields: { shape: 'generic', level: 'INFO' } });
    expect(out.quarantine.map((q) => [q.code, q.logGroup])).toEqual([['unknown-log-group', '/somebody/else']]);
    expect(out.quarantine[0]!.reason).toContain('matches no source map pattern (estate.sourceMap)');
  });

  it('property: every text message of a declared group becomes a record; the ledger balances', () => {
    // Text: any string without the control characters that mark bytes as binary.
    const text = fc.string({ maxLength: 200, unit: 'grapheme' }).map((t) => t.replace(/[\p{Cc}]/gu, (c) => (c === '\t' || c === '\n' ? c : ' ')));
    const groups = topology.pipeline.logGroups.map((g) => g.name);
    fc.assert(
      fc.property(fc.constantFrom(...groups), fc.array(text, { minLength: 1, maxLength: 8 }), (group, messages) => {
        const out = normalizeObject({ bucket: rawBucket, key: 'raw/text', body: gz(envelope(group, messages)) }, real);
        expect(out.quarantine).toEqual([]);
        expect(out.records).toHaveLength(messages.length);
        expect([...out.landed.values()].reduce((a, b) => a + b, 0)).toBe(messages.length);
        for (const r of out.records) expect(Number.isFinite(r.record.time) && r.record.time > 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('raw-decode helpers', () => {
  it('detects a corrupt member by CRC', () => {
    const m = Buffer.from(gz('hello'));
    m[m.length - 6]! ^= 0xff;
    expect(gunzipMembers(m).problems[0]!.code).toBe('invalid-gzip');
  });
  it('splits a truncated object at its newline so the next line survives', () => {
    const pieces = [...splitJsonObjects(Buffer.from('{"a":1\n{"b":2}'))];
    expect(pieces.map((p) => (p.ok ? p.text : p.problem.code))).toEqual(['invalid-json', '{"b":2}']);
  });
});

describe('parseS3Notification', () => {
  it('reads records, decodes keys, recognises the test event and rejects junk', () => {
    const body = JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key: 'raw/a+b%3Dc.gz' } } }] });
    expect(parseS3Notification(body)).toEqual({ kind: 'objects', objects: [{ bucket: 'b', key: 'raw/a b=c.gz', eventName: 'ObjectCreated:Put' }] });
    expect(parseS3Notification(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual({ kind: 'test' });
    expect(parseS3Notification('nope').kind).toBe('invalid');
  });
});
