import { describe, expect, it } from 'vitest';
import type { NormalizedRecord } from '../../formats/types.ts';
import type { Finding } from '../../core/finding.ts';
import { createDetectorState, detectWindow } from './detector.ts';
import { SERVICE, background } from './test-background.ts';
import { app, trail } from './test-records.ts';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const W = 60_000;

function run(windows: number, inject: (w: number, start: number) => NormalizedRecord[]): Finding[] {
  let state = createDetectorState();
  const created: Finding[] = [];
  for (let w = 0; w < windows; w++) {
    const start = T0 + w * W;
    const r = detectWindow(state, [...background(31, start), ...inject(w, start)], { start, end: start + W }, { dependencies: [] });
    state = r.state;
    for (const ch of r.changes) if (ch.change === 'created') created.push(r.findings.find((f) => f.findingId === ch.findingId)!);
  }
  return created;
}

describe('generic detectors (no signature names these)', () => {
  it('a repeated never-seen log pattern after warm-up is a log-new-pattern finding on its service', () => {
    const created = run(16, (w, s) => (w === 12 ? Array.from({ length: 25 }, (_, i) => app(s + i * 2000, SERVICE, { level: 'ERROR', text: `payment gateway rejected signature for merchant ${1000 + i}` })) : []));
    // The same burst also lifts the share of ERROR among the service's lines: a share shift on its level.
    expect(created.map((f) => [f.kind, f.method, f.entities.service])).toEqual([['log-new-pattern', 'template:new-pattern@app', SERVICE], ['share-shift', 'share-shift:level@app', SERVICE]]);
    expect(created[0]!.summary).toContain('payment gateway rejected signature for merchant <NUM>');
  });

  it('a surge of HTTP 5xx in app logs is a metric-anomaly (HTTP error codes)', () => {
    const created = run(16, (w, s) => (w === 12 ? Array.from({ length: 80 }, (_, i) => app(s + i * 700, SERVICE, { level: 'INFO', text: `GET /checkout/${i} 503 12ms`, httpStatus: 503, path: '/checkout' })) : []));
    expect(created.map((f) => f.method)).toContain('template:http-error-codes@app');
    expect(created.every((f) => f.entities.service === SERVICE)).toBe(true);
  });

  it('an Isolation Forest outlier beyond the learned envelope is a metric-anomaly when no signature covers it', () => {
    // A known user suddenly calling 40 distinct read-only APIs from a home address: no signature's business,
    // but far outside every learned per-principal vector.
    const created = run(30, (w, s) => (w === 25 ? Array.from({ length: 120 }, (_, i) => trail(s + i * 400, { user: 'alice', eventName: `Describe${i % 40}`, ip: '203.0.113.250' })) : []));
    const ifo = created.filter((f) => f.method === 'iforest@cloudtrail');
    expect(ifo).toHaveLength(1);
    expect(ifo[0]!.kind).toBe('metric-anomaly');
    expect(ifo[0]!.entities.principal).toBe('arn:aws:iam::123456789012:user/alice');
    expect(ifo[0]!.evidence.features.iforestScore).toBeGreaterThan(0.7);
  });
});

describe('token variation', () => {
  it('one template suddenly naming hundreds of distinct values is a metric-anomaly (token variation)', () => {
    const line = (i: number) => `cache miss for key session-${i} in region eu`;
    const created = run(16, (w, s) => {
      // Steady: the template exists from the start with a handful of keys; then one window sprays hundreds.
      const n = w === 12 ? 300 : 5;
      return Array.from({ length: n }, (_, i) => app(s + Math.floor((i * W) / n), SERVICE, { level: 'INFO', text: line(w === 12 ? 1000 + i : i % 5) }));
    });
    expect(created.map((f) => f.method)).toContain('template:token-variation@app');
  });
});
