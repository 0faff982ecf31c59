import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../core/rng.ts';
import { parseS3Access, S3ACCESS_FIELDS, s3accessFormat, tokenizeS3Access, type S3AccessRecord } from '../../formats/s3access.ts';
import { constantRate } from '../common/rate/index.ts';
import { determinismSuite, SAMPLE_START, samplePools } from '../common/testing.ts';
import type { GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { s3accessBackground, s3ForbiddenBurst, s3MassDelete, s3UnusualGetVolume } from './index.ts';

const pools = samplePools(42);
const window = { start: SAMPLE_START, end: SAMPLE_START + 10 * 60_000 };
const bucket = pools.estate.buckets.data;
const OPS = new Set(['REST.GET.OBJECT', 'REST.PUT.OBJECT', 'REST.HEAD.OBJECT', 'REST.GET.BUCKET', 'REST.DELETE.OBJECT', 'REST.POST.MULTI_OBJECT_DELETE', 'BATCH.DELETE.OBJECT']);

function incident(gen: IncidentGenerator, seed: number, intensity = 1): { events: GeneratedEvent[]; req: IncidentRequest } {
  const req: IncidentRequest = { incidentId: 'inc-7', kind: gen.kind, window, intensity, entities: {} };
  return { events: [...gen.generate(createRng(seed), pools, req)], req };
}

/** Structure: 26 fields in order, bracketed UTC time, quoted URI/Referer/UA, value sets, destination. */
function records(events: GeneratedEvent[]): S3AccessRecord[] {
  const problems: string[] = [];
  const out: S3AccessRecord[] = [];
  let last = -Infinity;
  for (const e of events) {
    const bad = (why: string) => problems.length < 5 && problems.push(`${why}: ${e.message.slice(0, 240)}`);
    if (e.time < last || e.time < window.start || e.time >= window.end) bad('time');
    last = e.time;
    if (e.dest.kind !== 's3' || e.dest.bucket !== pools.estate.buckets.accessLogs || e.dest.prefix !== `${bucket}/`) bad('destination');
    const tokens = tokenizeS3Access(e.message);
    if (tokens.length !== S3ACCESS_FIELDS.length) bad(`field count ${tokens.length}`);
    if (!/^\[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\]$/.test(tokens[2] ?? '')) bad('time field');
    for (const i of [8, 15, 16]) if (!/^".*"$/.test(tokens[i] ?? '')) bad(`field ${i} not quoted`);
    const r = parseS3Access(e.message);
    out.push(r);
    if (r.bucket !== bucket || !/^[0-9a-f]{64}$/.test(r.bucketOwner)) bad('bucket/owner');
    if (r.time !== Math.floor(e.time / 1000) * 1000) bad('line time differs from event time');
    if (!OPS.has(r.operation)) bad('operation');
    if (!/^[0-9A-F]{16}$/.test(r.requestId)) bad('request id');
    if (r.httpStatus === null || (r.httpStatus >= 400) !== (r.errorCode !== null)) bad('status/error code');
    if (e.message.includes('inc-7')) bad('label leaked into the line');
  }
  expect(problems).toEqual([]);
  return out;
}

describe('s3access background', () => {
  const events = [...s3accessBackground.generate(createRng(3), pools, { window, rate: constantRate(5) })];
  const recs = records(events);
  it('writes exact access-log lines from the pool principals, each from their own addresses', () => {
    expect(events.length).toBeGreaterThan(2000);
    expect(events.every((e) => e.label === undefined)).toBe(true);
    const byArn = new Map(pools.users.filter((u) => u.iamUser).map((u) => [u.iamUser!.arn, u]));
    for (const r of recs) {
      const u = byArn.get(r.requester ?? '');
      if (u) expect(u.homeIps).toContain(r.remoteIp);
      else expect(r.requester).toMatch(/^arn:aws:sts::\d{12}:assumed-role\//);
    }
    const ops = new Set(recs.map((r) => r.operation));
    for (const op of ['REST.GET.OBJECT', 'REST.PUT.OBJECT', 'REST.GET.BUCKET']) expect(ops.has(op)).toBe(true);
    expect(recs.filter((r) => (r.httpStatus ?? 0) >= 400).length / recs.length).toBeLessThan(0.02);
  });
  it('normalizes to the contract fields and entities', () => {
    const n = s3accessFormat.normalize(recs[0]!);
    expect(n.entities.bucket).toBe(bucket);
    expect(n.entities.principal).toBe(recs[0]!.requester);
  });
});

describe('s3access incidents', () => {
  it('mass delete: one principal, DELETE and BATCH.DELETE bursts', () => {
    const { events, req } = incident(s3MassDelete, 5);
    const recs = records(events);
    const who = s3MassDelete.describe(createRng(5), pools, req);
    expect(recs.every((r) => r.requester === who.principal && r.remoteIp === who.ip)).toBe(true);
    const deletes = recs.filter((r) => r.operation === 'BATCH.DELETE.OBJECT' || r.operation === 'REST.DELETE.OBJECT');
    expect(deletes.length).toBeGreaterThan(500);
    // Every BATCH line shares the request id of a multi-object delete request.
    const multi = new Set(recs.filter((r) => r.operation === 'REST.POST.MULTI_OBJECT_DELETE').map((r) => r.requestId));
    expect(recs.filter((r) => r.operation === 'BATCH.DELETE.OBJECT').every((r) => multi.has(r.requestId))).toBe(true);
  });

  it('403 burst: AccessDenied from one address', () => {
    const { events, req } = incident(s3ForbiddenBurst, 6);
    const recs = records(events);
    const who = s3ForbiddenBurst.describe(createRng(6), pools, req);
    expect(recs.length).toBeGreaterThan(1000);
    expect(recs.every((r) => r.httpStatus === 403 && r.errorCode === 'AccessDenied' && r.remoteIp === who.ip)).toBe(true);
  });

  it('unusual GET volume: one principal reads far more than anyone normally does', () => {
    const { events, req } = incident(s3UnusualGetVolume, 7);
    const recs = records(events);
    const who = s3UnusualGetVolume.describe(createRng(7), pools, req);
    expect(recs.every((r) => r.operation === 'REST.GET.OBJECT' && r.httpStatus === 200 && r.requester === who.principal)).toBe(true);
    expect(recs.length).toBeGreaterThan(10_000);
  });

  it('property: any seed and intensity gives ordered, labelled, parseable lines naming the described address', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0.05, max: 2, noNaN: true }), fc.constantFrom(s3MassDelete, s3ForbiddenBurst, s3UnusualGetVolume), (seed, intensity, gen) => {
        const short = { start: window.start, end: window.start + 60_000 };
        const req: IncidentRequest = { incidentId: 'p', kind: gen.kind, window: short, intensity, entities: {} };
        const who = gen.describe(createRng(seed), pools, req);
        let last = -Infinity;
        for (const e of gen.generate(createRng(seed), pools, req)) {
          if (e.time < last || e.time >= short.end || e.label?.kind !== gen.kind) return false;
          last = e.time;
          if (parseS3Access(e.message).remoteIp !== who.ip) return false;
        }
        return true;
      }),
      { numRuns: 25 },
    );
  });
});

determinismSuite({ background: 's3access' });
determinismSuite({ incident: 's3-mass-delete' });
determinismSuite({ incident: 's3-403-burst' });
determinismSuite({ incident: 's3-unusual-get-volume' });
