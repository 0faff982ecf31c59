import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { CASCADE_KIND } from '../../core/vocabulary.ts';
import { determinismSuite, samplePools, SAMPLE_START } from '../common/testing.ts';
import type { GeneratedEvent, IncidentRequest } from '../types.ts';
import { cascadeIncident, cascadeTimeline } from './cascade.ts';
import { CASCADE_DEFAULTS, parseCascadeParams } from './params.ts';
import { normalizeEvent, orderProblems } from './test-helpers.ts';

const pools = samplePools(42);

function request(overrides: Partial<IncidentRequest> = {}): IncidentRequest {
  return { incidentId: 'inc-c1', kind: CASCADE_KIND, window: { start: SAMPLE_START, end: SAMPLE_START + 10 * 60_000 }, intensity: 1, entities: {}, ...overrides };
}

function firstOf(events: readonly GeneratedEvent[], role: string): number {
  return events.find((e) => e.label?.role === role)?.time ?? NaN;
}

describe('rds-app-ecs-cascade', () => {
  it('defaults to a 20 s app lag and a 60 s ECS lag with 3 s jitter, and the request intensity', () => {
    expect(CASCADE_DEFAULTS).toEqual({ appSeconds: 20, ecsSeconds: 60, jitterSeconds: 3 });
    expect(parseCascadeParams(undefined, 0.4)).toEqual({ lags: { appSeconds: 20, ecsSeconds: 60 }, jitterSeconds: 3, rampSeconds: 10, intensities: { rds: 0.4, app: 0.4, ecs: 0.4 }, wording: {} });
    expect(() => parseCascadeParams({ lags: { appSeconds: -1 } }, 1)).toThrow(ConfigError);
    expect(() => parseCascadeParams({ lag: {} }, 1)).toThrow(ConfigError);
  });

  it('ties the three sources causally: database first, then the app, then ECS', () => {
    const ev = [...cascadeIncident.generate(createRng(42), pools, request())];
    expect(orderProblems(ev)).toEqual([]);
    const rds = firstOf(ev, 'rds'), app = firstOf(ev, 'app'), ecs = firstOf(ev, 'ecs');
    expect(app - rds).toBeGreaterThanOrEqual(20_000);
    expect(app - rds).toBeLessThanOrEqual(23_000);
    expect(ecs - app).toBeGreaterThanOrEqual(60_000);
    expect(ecs - app).toBeLessThanOrEqual(63_000);
    const roleSource = new Set(ev.map((e) => `${e.label?.role}:${e.source}`));
    expect([...roleSource].sort()).toEqual(['app:app', 'ecs:ecs', 'rds:rds']);
    const msgs = ev.map((e) => e.message);
    expect(msgs.some((m) => m.endsWith(':FATAL:  sorry, too many clients already'))).toBe(true);
    expect(msgs.some((m) => m.endsWith(':FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute'))).toBe(true);
    // The app's psycopg2 error echoes the database's FATAL text, two spaces included.
    const echoes = msgs.filter((m) => m.includes('\npsycopg2.OperationalError: connection to server at '));
    expect(echoes.length).toBeGreaterThan(0);
    expect(echoes.every((m) => m.endsWith('failed: FATAL:  sorry, too many clients already') || m.endsWith('failed: FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute'))).toBe(true);
    expect(msgs.some((m) => m.includes('\nsqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached'))).toBe(true);
    expect(msgs.some((m) => m.includes('Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:'))).toBe(true);
    // Nothing of the truth rides in the data.
    expect(msgs.some((m) => m.includes('inc-c1') || m.includes(CASCADE_KIND))).toBe(false);
  });

  it('writes the same bytes whatever the label says (labels ride beside the message, never in it)', () => {
    const a = [...cascadeIncident.generate(createRng(9), pools, request({ incidentId: 'inc-a' }))];
    const b = [...cascadeIncident.generate(createRng(9), pools, request({ incidentId: 'a-much-longer-incident-id' }))];
    expect(b.map((e) => [e.time, e.message])).toEqual(a.map((e) => [e.time, e.message]));
  });

  it('speaks another wording in each service\'s own framing, on the same timeline', () => {
    const wording = { rds: 'WARNING:  Maximum connections exceeded for database {database}', app: 'psycopg2.OperationalError: could not connect to server: Connection refused' };
    const own = [...cascadeIncident.generate(createRng(7), pools, request())];
    const other = [...cascadeIncident.generate(createRng(7), pools, request({ params: { wording } }))];
    expect(other.map((e) => [e.time, e.source])).toEqual(own.map((e) => [e.time, e.source]));
    const msgs = other.map((e) => e.message);
    expect(msgs.some((m) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC:[\d.]+\(\d+\):app@\w+:\[\d+\]:WARNING: {2}Maximum connections exceeded for database firedrill-orders-db$/.test(m))).toBe(true);
    expect(msgs.some((m) => m.includes('too many clients') || m.includes('remaining connection slots'))).toBe(false);
    const echoes = msgs.flatMap((m) => m.split('psycopg2.OperationalError').slice(1));
    expect(echoes.length).toBeGreaterThan(0);
    expect(echoes.every((rest) => rest.startsWith(': could not connect to server: Connection refused'))).toBe(true);
    expect(msgs.some((m) => m.includes('Task failed ELB health checks in (target-group '))).toBe(true);
    for (let i = 0; i < other.length; i += 23) normalizeEvent(other[i]!);
    expect(() => parseCascadeParams({ wording: { rds: 'Maximum connections exceeded' } }, 1)).toThrow(/not a PostgreSQL message/);
    expect(() => parseCascadeParams({ wording: { ecs: 'x' } }, 1)).toThrow(ConfigError);
  });

  it('describes the database and the service', () => {
    expect(cascadeIncident.describe(createRng(1), pools, request())).toEqual({ database: 'firedrill-orders-db', service: 'checkout' });
    expect(() => cascadeIncident.describe(createRng(1), pools, request({ entities: { service: 'billing' } }))).toThrow(ConfigError);
  });

  it('refuses a window too short for its lags', () => {
    expect(() => cascadeIncident.generate(createRng(1), pools, request({ window: { start: SAMPLE_START, end: SAMPLE_START + 60_000 } }))).toThrow(ConfigError);
  });

  it('property: lags hold within the documented jitter, every event is in the window, streams are chronological', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: 0, max: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 30, max: 180 }),
        (seed, appS, ecsS, jitterS, iRds, iApp, iEcs, startMs, tailS) => {
          const start = SAMPLE_START + startMs;
          const end = start + (appS + ecsS + 2 * jitterS + tailS) * 1000;
          const req = request({
            incidentId: `inc-${seed}`,
            window: { start, end },
            intensity: 1,
            params: { lags: { appSeconds: appS, ecsSeconds: ecsS }, jitterSeconds: jitterS, intensities: { rds: iRds, app: iApp, ecs: iEcs } },
          });
          const ev = [...cascadeIncident.generate(createRng(seed), pools, req)];
          expect(orderProblems(ev)).toEqual([]);
          const rds = firstOf(ev, 'rds'), app = firstOf(ev, 'app'), ecs = firstOf(ev, 'ecs');
          const tl = cascadeTimeline(createRng(seed), req);
          expect([rds, app, ecs]).toEqual([tl.rdsOnset, tl.appOnset, tl.ecsOnset]);
          expect(app - rds).toBeGreaterThanOrEqual(appS * 1000);
          expect(app - rds).toBeLessThanOrEqual((appS + jitterS) * 1000);
          expect(ecs - app).toBeGreaterThanOrEqual(ecsS * 1000);
          expect(ecs - app).toBeLessThanOrEqual((ecsS + jitterS) * 1000);
          for (const e of ev) {
            if (e.time < start || e.time >= end) throw new Error(`event at ${e.time} outside [${start}, ${end})`);
            if (e.label?.incidentId !== req.incidentId || e.label.kind !== CASCADE_KIND || e.label.role !== e.source) throw new Error(`bad label ${JSON.stringify(e.label)}`);
          }
          // Structure: a sample of every source parses with its format (all of them would be slow here).
          for (let i = 0; i < ev.length; i += 37) normalizeEvent(ev[i]!);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('property: every generated line parses and normalizes to its own event time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, intensity) => {
        const ev = [...cascadeIncident.generate(createRng(seed), pools, request({ intensity, window: { start: SAMPLE_START, end: SAMPLE_START + 150_000 } }))];
        for (const e of ev) {
          const n = normalizeEvent(e);
          if (n.time !== e.time) throw new Error(`normalized time ${n.time} != event time ${e.time}: ${e.message.slice(0, 120)}`);
        }
      }),
      { numRuns: 10 },
    );
  });
});

determinismSuite({ incident: CASCADE_KIND });
