import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IncidentKind } from '../../core/vocabulary.ts';
import { parseWaf, normalizeWaf, serializeWaf } from '../../formats/waf.ts';
import { ANOMALOUS_COUNTRIES } from '../common/data/countries.ts';
import { determinismSuite, sampleEvents, samplePools, SAMPLE_START } from '../common/testing.ts';
import { incidentGenerators } from '../registry.ts';
import { createRng } from '../../core/rng.ts';
import { constantRate } from '../common/rate/index.ts';
import { ByteChunk } from '../common/byte-chunk.ts';
import { fastRng } from '../common/fast-rng.ts';
import { ArrivalCursor } from '../common/rate/arrivals.ts';
import { backgroundRecord, wafBackground, WafBackgroundStream } from './background.ts';
import { wafContext } from './model.ts';
import { drawBackground, WafDraw } from './draw.ts';
import { WafRecordWriter } from './record-writer.ts';

const MODES: IncidentKind[] = ['waf-geo-anomaly', 'waf-credential-stuffing', 'waf-sqli-scanner', 'waf-http-flood', 'waf-bad-bots'];
const FIELD_ORDER = ['timestamp', 'formatVersion', 'webaclId', 'terminatingRuleId', 'terminatingRuleType', 'action', 'terminatingRuleMatchDetails', 'httpSourceName', 'httpSourceId', 'ruleGroupList', 'rateBasedRuleList', 'nonTerminatingMatchingRules', 'requestHeadersInserted', 'responseCodeSent', 'httpRequest', 'labels'];

determinismSuite({ background: 'waf' });
for (const kind of MODES) determinismSuite({ incident: kind });
// seeds/003's share-shift modes (one field's share of requests jumps): a generator of its own, outside the property test's modes.
determinismSuite({ incident: 'waf-share-shift' });

function fields(kind: IncidentKind | 'background', seed: number | string = 42, count = 2000) {
  const events = kind === 'background' ? sampleEvents({ background: 'waf' }, { seed, count }) : sampleEvents({ incident: kind }, { seed, count });
  return { events, fields: events.map((e) => normalizeWaf(parseWaf(e.message)).fields) };
}

describe('WAF generators: structure', () => {
  it('background records parse, keep AWS field order, go to the WAF Firehose stream, in time order', () => {
    const { events } = fields('background');
    let prev = 0;
    for (const e of events) {
      const o = JSON.parse(e.message) as Record<string, unknown>;
      expect(Object.keys(o).slice(0, FIELD_ORDER.length)).toEqual(FIELD_ORDER);
      expect(o['timestamp']).toBe(e.time);
      expect(e.time).toBeGreaterThanOrEqual(prev);
      expect(e.time).toBeGreaterThanOrEqual(SAMPLE_START);
      expect(e.dest).toEqual({ kind: 'firehose', deliveryStream: 'aws-waf-logs-firedrill' });
      expect(e.label).toBeUndefined();
      prev = e.time;
    }
  });
  it('property: every seed and mode yields parseable, labelled, time-ordered records that never mention the label', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...MODES), fc.double({ min: 0.1, max: 1, noNaN: true }), (seed, kind, intensity) => {
        const events = sampleEvents({ incident: kind }, { seed, count: 150, intensity });
        expect(events.length).toBeGreaterThan(0);
        let prev = 0;
        for (const e of events) {
          parseWaf(e.message);
          expect(e.label).toEqual({ incidentId: 'inc-0001', kind });
          expect(e.message).not.toContain('inc-0001');
          expect(e.message).not.toContain(kind);
          expect(e.time).toBeGreaterThanOrEqual(prev);
          prev = e.time;
        }
      }),
      { numRuns: 25 },
    );
  });
  it('describe() names the entities the events are about, deterministically', () => {
    const pools = samplePools(42);
    for (const kind of MODES) {
      const gen = incidentGenerators[kind]!;
      const req = { incidentId: 'i', kind, window: { start: SAMPLE_START, end: SAMPLE_START + 600_000 }, intensity: 1, entities: {} };
      const d = gen.describe(createRng(5), pools, req);
      expect(d).toEqual(gen.describe(createRng(5), pools, req));
      const ips = new Set<string>();
      let n = 0;
      for (const e of gen.generate(createRng(5), pools, req)) {
        ips.add(normalizeWaf(parseWaf(e.message)).entities.ip!);
        if (++n > 3000) break;
      }
      expect(ips.has(d.ip!), `${kind}: described ip appears in its events`).toBe(true);
    }
  });
});

describe('WAF generators: seeds/003 monitored fields', () => {
  const bg = fields('background', 42, 5000).fields;
  it('background is normal: no DELETE, no unknown source, no anomalous country, few BLOCKs', () => {
    expect(bg.filter((f) => f['httpMethod'] === 'DELETE')).toHaveLength(0);
    expect(bg.filter((f) => f['httpSourceName'] === '-')).toHaveLength(0);
    expect(bg.filter((f) => ANOMALOUS_COUNTRIES.includes(String(f['country'])))).toHaveLength(0);
    const blocks = bg.filter((f) => f['action'] === 'BLOCK').length / bg.length;
    expect(blocks).toBeGreaterThan(0);
    expect(blocks).toBeLessThan(0.03);
    expect(new Set(bg.map((f) => f['httpSourceName']))).toEqual(new Set(['ALB', 'APIGW', 'CF']));
    expect(bg.some((f) => Number(f['countMatches']) > 0)).toBe(true);
    expect(bg.some((f) => f['labels'] !== '')).toBe(true);
  });
  it('modes show the anomalous values seeds/003 monitors', () => {
    const share = (fs: typeof bg, p: (f: (typeof bg)[number]) => boolean) => fs.filter(p).length / fs.length;
    const geo = fields('waf-geo-anomaly').fields;
    expect(share(geo, (f) => ANOMALOUS_COUNTRIES.includes(String(f['country'])))).toBe(1);
    expect(share(geo, (f) => f['action'] === 'BLOCK')).toBeGreaterThan(0.2);
    expect(share(geo, (f) => f['httpMethod'] === 'DELETE')).toBeGreaterThan(0.05);
    const sqli = fields('waf-sqli-scanner').fields;
    expect(share(sqli, (f) => f['action'] === 'BLOCK')).toBeGreaterThan(0.7);
    expect(share(sqli, (f) => f['httpSourceName'] === '-')).toBeGreaterThan(0.1);
    expect(share(sqli, (f) => f['httpMethod'] === 'DELETE')).toBeGreaterThan(0.05);
    expect(new Set(sqli.map((f) => f['conditionType']))).toEqual(new Set(['SQL_INJECTION', 'XSS', null]));
    const bots = fields('waf-bad-bots').fields;
    expect(share(bots, (f) => f['action'] === 'BLOCK' || f['action'] === 'CHALLENGE')).toBeGreaterThan(0.7);
    expect(share(bots, (f) => f['httpSourceName'] === '-')).toBeGreaterThan(0.05);
    const flood = fields('waf-http-flood', 42, 20000).fields;
    expect(new Set(flood.map((f) => f['clientIp'])).size).toBeLessThanOrEqual(20);
    expect(share(flood, (f) => f['rateBased'] === true)).toBeGreaterThan(0.1);
    const stuffing = fields('waf-credential-stuffing').fields;
    expect(share(stuffing, (f) => f['httpMethod'] === 'POST' && f['uri'] === '/login')).toBe(1);
    expect(new Set(stuffing.map((f) => f['clientIp'])).size).toBeGreaterThan(300);
  });
});

describe('WAF background: spliced fragments and the bytes path', () => {
  const req = { window: { start: SAMPLE_START, end: SAMPLE_START + 300_000 }, rate: constantRate(100) };
  for (const seed of [1, 42, 'splice', 'fallback']) {
    it(`event path = serializeWaf(record) and fill() = event path, byte for byte (seed ${seed})`, () => {
      const p = samplePools(seed);
      // 'fallback': client addresses JSON must escape or that are not ASCII, so records take the writer's
      // fallback (serializeWaf) in the middle of batches and chunks.
      if (seed === 'fallback') p.clients = p.clients.map((c, i) => (i % 3 === 0 ? { ...c, ip: `${c.ip}${i % 2 ? '"q' : 'é'}` } : c));
      // The reference: records built as objects and serialized by formats/waf.ts, the same draws.
      const ctx = wafContext(p);
      const rng = createRng(seed).fork('background/waf');
      const r = fastRng(rng.fork('content'));
      const times = new ArrivalCursor(fastRng(rng.fork('arrivals')), req.rate, req.window);
      const want: string[] = [];
      for (let t = times.next(); t >= 0; t = times.next()) want.push(serializeWaf(backgroundRecord(ctx, r, t)));
      expect(want.length).toBeGreaterThan(25_000);
      const events = [...wafBackground.generate(createRng(seed).fork('background/waf'), p, req)];
      expect(events.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) if (events[i]!.message !== want[i]) expect(events[i]!.message).toBe(want[i]);
      // Every front door (ALB, API Gateway, CloudFront request ids) and outcome kind went through the splice.
      expect(new Set(events.map((e) => JSON.parse(e.message).httpSourceName))).toEqual(new Set(['ALB', 'APIGW', 'CF']));
      const s = new WafBackgroundStream(createRng(seed).fork('background/waf'), p, req);
      const out = new ByteChunk(1024);
      let lines = 0;
      let text = '';
      for (let i = 0; ; i++) {
        out.reset();
        const n = s.fill(out, 50_000, i % 3 === 0 ? 5 : Infinity);
        if (n === 0) break;
        lines += n;
        text += Buffer.from(out.view()).toString('utf8');
      }
      expect(lines).toBe(want.length);
      expect(text).toBe(want.map((l) => `${l}\n`).join(''));
      if (seed === 'fallback') expect(want.some((l) => l.includes('é')) && want.some((l) => l.includes('\\"q'))).toBe(true);
    });
  }
});

describe('WafRecordWriter', () => {
  it('declines what it cannot splice exactly (JSON escapes, non-ASCII) and the message falls back to serializeWaf', () => {
    const p = samplePools(3);
    const ctx = wafContext(p);
    const w = new WafRecordWriter(ctx);
    for (const [field, value] of [['args', 'q="quoted"'], ['args', 'q=caf\u00e9'], ['uriPrefix', '/back\\slash'], ['ip', '10.0.0.1\n']] as const) {
      const d = new WafDraw();
      drawBackground(ctx, fastRng(createRng(9)), SAMPLE_START + 1234, d);
      d[field] = value;
      const out = new ByteChunk(64);
      expect(w.write(out, d, fastRng(createRng(1)))).toBe(false);
      expect(out.pos).toBe(0);
      expect(w.message(d, fastRng(createRng(1)))).toBe(serializeWaf(d.toRecord(ctx, fastRng(createRng(1)))));
    }
  });
});
