import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { parseApp } from '../../formats/app.ts';
import { constantRate } from '../common/rate/index.ts';
import { determinismSuite, samplePools, SAMPLE_START } from '../common/testing.ts';
import { normalizeEvent, orderProblems } from '../cascade/test-helpers.ts';
import { appDbErrors } from '../cascade/single-links.ts';
import { serviceModel } from '../ecs/service-model.ts';
import { appBackground } from './background.ts';

describe('app background', () => {
  const pools = samplePools(11);
  const model = serviceModel(pools);
  const window = { start: SAMPLE_START, end: SAMPLE_START + 40 * 60_000 };
  const events = [...appBackground.generate(createRng(11).fork('app'), pools, { window, rate: constantRate(20) })];
  const norm = events.map((e) => normalizeEvent(e));

  it('writes parseable plain and JSON lines to /ecs/<app> task streams, in order', () => {
    expect(orderProblems(events)).toEqual([]);
    const streams = new Set(model.tasks.map((t) => `ecs/${model.container}/${t.taskId}`));
    const bad: string[] = [];
    events.forEach((e, i) => {
      if (e.dest.kind !== 'cwl' || e.dest.logGroup !== '/ecs/checkout' || !streams.has(e.dest.logStream)) bad.push(`dest ${JSON.stringify(e.dest)}`);
      if (norm[i]!.time !== e.time) bad.push(`time ${e.time} vs ${norm[i]!.time}`);
      if (norm[i]!.entities.service !== 'checkout') bad.push('entity');
    });
    expect(bad.slice(0, 3)).toEqual([]);
    const json = norm.filter((n) => n.fields.json === true).length;
    expect(json / norm.length).toBeGreaterThan(0.05);
    expect(json / norm.length).toBeLessThan(0.5);
  });

  it('names pool users in request lines and checks health every 30 s per task', () => {
    const names = new Set(pools.users.map((u) => u.userName));
    const seen = new Set<string>();
    for (const e of events) {
      const m = / user=(\S+)$/.exec(e.message);
      if (m && m[1] !== '-') {
        expect(names.has(m[1]!)).toBe(true);
        seen.add(m[1]!);
      }
    }
    expect(seen.size).toBeGreaterThan(5);
    const health = events.filter((e) => e.message.includes(' GET /health 200 ') && e.dest.kind === 'cwl' && e.dest.logStream.endsWith(model.tasks[0]!.taskId));
    expect(health.length).toBe(80);
  });

  it('keeps each endpoint’s error rate steady (a learnable baseline)', () => {
    const half = (window.start + window.end) / 2;
    const rate = (from: number, to: number) => {
      const reqs = norm.filter((n) => n.fields.path === '/api/cart' && n.time >= from && n.time < to);
      return reqs.filter((n) => (n.fields.httpStatus as number) >= 500).length / reqs.length;
    };
    expect(rate(window.start, half)).toBeLessThan(0.02);
    expect(rate(half, window.end)).toBeLessThan(0.02);
    const fiveXX = norm.filter((n) => typeof n.fields.httpStatus === 'number' && n.fields.httpStatus >= 500).length;
    expect(fiveXX / norm.length).toBeLessThan(0.01);
  });
});

describe('app-db-errors', () => {
  it('logs DB tracebacks as single events, 5xx and failing health checks; labelled and in the window', () => {
    const pools = samplePools(2);
    const req = { incidentId: 'inc-3', kind: 'app-db-errors' as const, window: { start: SAMPLE_START, end: SAMPLE_START + 180_000 }, intensity: 1, entities: {} };
    const ev = [...appDbErrors.generate(createRng(2), pools, req)];
    expect(orderProblems(ev)).toEqual([]);
    expect(ev[0]!.time).toBe(SAMPLE_START);
    const exceptions = new Set<string>();
    for (const e of ev) {
      expect(e.label).toEqual({ incidentId: 'inc-3', kind: 'app-db-errors' });
      expect(e.time).toBeLessThan(req.window.end);
      const n = normalizeEvent(e);
      if (typeof n.fields.exception === 'string') exceptions.add(n.fields.exception);
    }
    expect([...exceptions].sort()).toEqual(['psycopg2.OperationalError', 'sqlalchemy.exc.TimeoutError']);
    // structlog JSON errors carry the traceback as one `exception` string.
    expect(ev.map((e) => normalizeEvent(e)).some((n) => n.fields.json === true && n.fields.exception === 'psycopg2.OperationalError')).toBe(true);
    const tb = ev.find((e) => e.message.includes('Traceback (most recent call last):'))!;
    const rec = parseApp(tb.message);
    expect(rec.kind === 'plain' && rec.traceback[0]).toBe('Traceback (most recent call last):');
    expect(ev.some((e) => e.message.includes('could not connect to server: Connection refused'))).toBe(true);
    expect(ev.some((e) => / GET \/health 503 \d+ms user=-$/.test(e.message))).toBe(true);
    expect(appDbErrors.describe(createRng(2), pools, req)).toEqual({ service: 'checkout' });
  });
});

determinismSuite({ background: 'app' });
determinismSuite({ incident: 'app-db-errors' });
