import { describe, expect, it } from 'vitest';
import type { NormalizedRecord } from '../../formats/index.ts';
import type { Finding } from '../../core/index.ts';
import { createDetectorState, detectWindow } from './detector.ts';
import { rec } from './test-records.ts';

/**
 * Rare events at any rate: seeds/002's `<date> <time> <LEVEL> <message>` stream — INFO lines, now and then a
 * WARNING — where one ERROR line in a quiet minute is the incident. Severity and meaning decide whether one line
 * is enough, not a per-minute floor.
 */
const T0 = Date.UTC(2025, 11, 28, 10, 0, 0);
const W = 60_000;
const INFO = ['User login successful for user {n}', 'Request processed in {n} ms', 'Cache refreshed with {n} entries', 'Health probe ok'];

const line = (time: number, level: string, text: string): NormalizedRecord =>
  rec('app', time, { shape: 'generic', level, text }, { service: 'log-collector' }, `2025-12-28 10:00:01 ${level} ${text}`);

function quietMinute(w: number, extra: (start: number) => NormalizedRecord[] = () => []): NormalizedRecord[] {
  const start = T0 + w * W;
  const out = Array.from({ length: 40 }, (_, i) => line(start + i * 1400, i % 13 === 0 ? 'WARNING' : 'INFO', INFO[(i + w) % INFO.length]!.replace('{n}', String(100 + ((i * 37 + w * 11) % 900)))));
  return [...out, ...extra(start)];
}

function run(windows: number, inject: (w: number, start: number) => NormalizedRecord[]): Finding[] {
  let state = createDetectorState();
  const created: Finding[] = [];
  for (let w = 0; w < windows; w++) {
    const start = T0 + w * W;
    const r = detectWindow(state, quietMinute(w, (s) => inject(w, s)), { start, end: start + W }, { dependencies: [] });
    state = r.state;
    for (const ch of r.changes) if (ch.change === 'created') created.push(r.findings.find((f) => f.findingId === ch.findingId)!);
  }
  return created;
}

describe('rare severe lines', () => {
  it('one never-seen ERROR of a known failure class fires alone in a quiet minute', () => {
    const f = run(14, (w, s) => (w === 11 ? [line(s + 30_000, 'ERROR', 'Database connection failed')] : []));
    // Reported as what the class means on an app: DB errors.
    expect(f.map((x) => [x.kind, x.method, x.entities.service])).toEqual([['app-db-errors', 'template:rare-severe@app', 'log-collector']]);
    expect(f[0]!.summary).toContain('connection-failure');
    expect(f[0]!.firstSeen).toBe(T0 + 11 * W + 30_000);
  });

  it('one FATAL line fires alone whatever it says', () => {
    const f = run(14, (w, s) => (w === 10 ? [line(s + 5_000, 'FATAL', 'unrecoverable state in scheduler, shutting down')] : []));
    expect(f.map((x) => x.method)).toEqual(['template:rare-severe@app']);
  });

  it('a new ERROR that means no known failure, in a stream without a regular error history, does not', () => {
    expect(run(14, (w, s) => (w === 11 ? [line(s + 30_000, 'ERROR', 'payment authorization declined for order 7731')] : []))).toEqual([]);
  });

  it('a new ERROR in a stream whose errors are regular (few one-off templates among many lines) does', () => {
    const regular = (s: number) => Array.from({ length: 8 }, (_, i) => line(s + 500 + i * 7000, 'ERROR', i % 2 ? `retrying upload of chunk ${i}` : `stale session evicted for user ${i}`));
    const f = run(16, (w, s) => [...regular(s), ...(w === 14 ? [line(s + 59_000, 'ERROR', 'ledger checksum mismatch in batch 77')] : [])]);
    expect(f.map((x) => [x.method, x.summary.includes('new in a regular stream')])).toEqual([['template:rare-severe@app', true]]);
  });

  it('stays quiet while learning: the same failure line during warm-up is not an incident', () => {
    expect(run(6, (w, s) => (w === 2 ? [line(s + 30_000, 'ERROR', 'Database connection failed')] : []))).toEqual([]);
  });

  it('is rare only once: the same template again later is not a new rare event', () => {
    const f = run(16, (w, s) => (w === 9 || w === 14 ? [line(s + 30_000, 'ERROR', 'Database connection failed')] : []));
    expect(f.map((x) => x.firstSeen)).toEqual([T0 + 9 * W + 30_000]);
  });
});
