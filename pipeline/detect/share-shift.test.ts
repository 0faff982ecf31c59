import { describe, expect, it } from 'vitest';
import type { NormalizedRecord } from '../../formats/index.ts';
import { createRng } from '../../core/index.ts';
import { shareShiftCandidates, type ShareState } from './share-shift.ts';
import { rec, waf, WEB_ACL } from './test-records.ts';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const NORMAL = { action: ['ALLOW', 'ALLOW', 'ALLOW', 'CAPTCHA', 'Challenge', 'Count'], source: ['ALB', 'APIGW', 'CF'], country: ['US', 'UK', 'IN'], method: ['GET', 'GET', 'HEAD', 'POST'] };

/** A window of WAF requests drawn from seeds/003's normal value sets; `mode` replaces one field in a share of them. */
function window(seed: string, n: number, mode?: { share: number; set: (i: number) => Partial<Parameters<typeof waf>[1]> }): NormalizedRecord[] {
  const r = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const base = { ip: `198.51.100.${i % 250}`, action: r.pick(NORMAL.action), source: r.pick(NORMAL.source), country: r.pick(NORMAL.country), method: r.pick(NORMAL.method) };
    return waf(T0 + i, { ...base, ...(mode && r.next() < mode.share ? mode.set(i) : {}) });
  });
}

function warm(state: ShareState, windows = 10, n = 300): void {
  for (let w = 0; w < windows; w++) expect(shareShiftCandidates('waf', window(`w${w}`, n + ((w * 37) % 60)), state, { minHistory: 5 })).toEqual([]);
}

describe('share shift', () => {
  const modes: [string, string, (i: number) => Partial<Parameters<typeof waf>[1]>][] = [
    ['action', 'BLOCK', () => ({ action: 'BLOCK' })],
    ['httpSourceName', '-', () => ({ source: '-' })],
    ['httpMethod', 'DELETE', () => ({ method: 'DELETE' })],
  ];
  for (const [field, value, set] of modes) {
    it(`flags ${field} ${value} jumping to ~85% of a window, naming the field and value`, () => {
      const state: ShareState = {};
      warm(state);
      const c = shareShiftCandidates('waf', window('anomaly', 300, { share: 0.85, set }), state, { minHistory: 5 });
      expect(c).toHaveLength(1);
      expect(c[0]!.kind).toBe('share-shift');
      expect(c[0]!.method).toBe(`share-shift:${field}@waf`);
      expect(c[0]!.entities).toEqual({ webAcl: WEB_ACL });
      expect(c[0]!.features[`share:${field}=${value}`]).toBeGreaterThan(0.75);
      expect(c[0]!.summary).toContain(value);
    });
  }

  it('judges several rare values together (four unknown countries sharing the anomaly)', () => {
    const state: ShareState = {};
    warm(state);
    const c = shareShiftCandidates('waf', window('countries', 400, { share: 0.8, set: (i) => ({ country: ['XX', 'YY', 'ZZ', 'WW'][i % 4]! }) }), state, { minHistory: 5 });
    expect(c).toHaveLength(1);
    expect(c[0]!.features.values).toBe(4);
    expect(c[0]!.features.share).toBeGreaterThan(0.7);
  });

  it('does not learn an anomalous window: the same mode fires again in the next one', () => {
    const state: ShareState = {};
    warm(state);
    const mode = { share: 0.85, set: () => ({ action: 'BLOCK' }) };
    expect(shareShiftCandidates('waf', window('a1', 300, mode), state, { minHistory: 5 })).toHaveLength(1);
    expect(shareShiftCandidates('waf', window('a2', 300, mode), state, { minHistory: 5 })).toHaveLength(1);
  });

  it('stays quiet on volume: twenty times the traffic with the same mix', () => {
    const state: ShareState = {};
    warm(state);
    for (let w = 0; w < 5; w++) expect(shareShiftCandidates('waf', window(`big${w}`, 6000), state, { minHistory: 5 })).toEqual([]);
  });

  it('stays quiet when a common value grows or a rare one rises a little (tolerance scales with the count)', () => {
    const state: ShareState = {};
    warm(state);
    // ALLOW from ~50% to ~90%: a common value, not a rare one.
    expect(shareShiftCandidates('waf', window('allow', 300, { share: 0.8, set: () => ({ action: 'ALLOW' }) }), state, { minHistory: 5 })).toEqual([]);
    // BLOCK at ~8% of a window: more than ever, but not a mode.
    expect(shareShiftCandidates('waf', window('block-few', 300, { share: 0.08, set: () => ({ action: 'BLOCK' }) }), state, { minHistory: 5 })).toEqual([]);
  });

  it('needs its history and enough records before judging', () => {
    const state: ShareState = {};
    warm(state, 3);
    expect(shareShiftCandidates('waf', window('early', 300, { share: 0.85, set: () => ({ action: 'BLOCK' }) }), state, { minHistory: 5 })).toEqual([]);
    const warmState: ShareState = {};
    warm(warmState);
    expect(shareShiftCandidates('waf', window('tiny', 20, { share: 1, set: () => ({ action: 'BLOCK' }) }), warmState, { minHistory: 5 })).toEqual([]);
  });

  it('reads the level of text records (an ERROR share jumping among INFO lines)', () => {
    const state: ShareState = {};
    const line = (i: number, level: string) => rec('app', T0 + i, { level, text: 'x', shape: 'generic' }, { service: 'billing' });
    for (let w = 0; w < 8; w++) shareShiftCandidates('app', Array.from({ length: 200 }, (_, i) => line(i, i % 100 === 0 ? 'ERROR' : i % 10 === 0 ? 'WARNING' : 'INFO')), state, { minHistory: 5 });
    const c = shareShiftCandidates('app', Array.from({ length: 200 }, (_, i) => line(i, i % 3 === 0 ? 'INFO' : 'ERROR')), state, { minHistory: 5 });
    expect(c.map((x) => [x.method, x.entities.service])).toEqual([['share-shift:level@app', 'billing']]);
  });
});
