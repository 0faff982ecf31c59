import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IncidentKind } from '../../core/vocabulary.ts';
import { DEFAULT_VPC_FORMAT, parseVpcFlow, vpcFlowFormat, type VpcFlowRecord } from '../../formats/vpcflow.ts';
import { determinismSuite, sampleEvents, samplePools, SAMPLE_START } from '../common/testing.ts';
import { incidentGenerators } from '../registry.ts';
import { createRng } from '../../core/rng.ts';
import { constantRate } from '../common/rate/index.ts';
import { ByteChunk } from '../common/byte-chunk.ts';
import { BackgroundFlows, vpcFlowBackground } from './background.ts';

const MODES: IncidentKind[] = ['vpc-port-scan', 'vpc-ssh-bruteforce', 'vpc-exfiltration', 'vpc-ddos'];
const V5 = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';

determinismSuite({ background: 'vpcflow' });
determinismSuite({ background: 'vpcflow' }, { options: { format: V5, aggregationSeconds: 60 }, seeds: ['v5'] });
for (const kind of MODES) determinismSuite({ incident: kind });

const pools = samplePools(42);
const enis = new Set(pools.estate.instances.map((i) => i.eniId));

function records(kind: IncidentKind | 'background', count = 3000, seed: number | string = 42): { recs: VpcFlowRecord[]; stream: string[] } {
  const events = kind === 'background' ? sampleEvents({ background: 'vpcflow' }, { seed, count }) : sampleEvents({ incident: kind }, { seed, count });
  return { recs: events.map((e) => parseVpcFlow(e.message)), stream: events.map((e) => (e.dest.kind === 'cwl' ? e.dest.logStream : '')) };
}

describe('VPC flow generators: structure', () => {
  it('background lines are default v2, seconds, on the right ENI stream, within one aggregation window', () => {
    const events = sampleEvents({ background: 'vpcflow' }, { count: 5000 });
    let prev = 0;
    for (const e of events) {
      const r = parseVpcFlow(e.message);
      // The writer's precomputed fast path must equal the format's own serializer, byte for byte.
      expect(DEFAULT_VPC_FORMAT.serialize(r)).toBe(e.message);
      expect(r.version).toBe(2);
      expect(enis.has(r.interfaceId!)).toBe(true);
      expect(e.dest).toEqual({ kind: 'cwl', logGroup: '/firedrill/vpc/flow-logs', logStream: `${r.interfaceId}-all` });
      expect(e.time).toBe(r.start! * 1000);
      expect(Math.floor(r.end! / 600)).toBe(Math.floor(r.start! / 600));
      expect(r.packets).toBeGreaterThan(0);
      expect(r.bytes).toBeGreaterThanOrEqual(r.packets! * 20);
      expect(e.time).toBeGreaterThanOrEqual(prev);
      prev = e.time;
    }
  });
  it('custom v5 format with 1-minute aggregation fills v3–v5 fields consistently', () => {
    const f = vpcFlowFormat(V5);
    const events = sampleEvents({ background: 'vpcflow' }, { count: 2000, options: { format: V5, aggregationSeconds: 60 } });
    for (const e of events) {
      const r = f.parse(e.message);
      expect(r.version).toBe(5);
      expect(r.pktSrcaddr).toBe(r.srcaddr);
      expect(['ingress', 'egress']).toContain(r.flowDirection);
      expect(r.flowDirection === 'ingress' ? r.dstaddr : r.srcaddr).toMatch(/^10\./);
      if (r.flowDirection === 'ingress') expect(r.trafficPath).toBeNull();
      expect(Math.floor(r.end! / 60)).toBe(Math.floor(r.start! / 60));
      expect(r.instanceId).toMatch(/^i-/);
    }
    expect(() => sampleEvents({ background: 'vpcflow' }, { count: 1, options: { aggregationSeconds: 300 } })).toThrow(/60 or 600/);
  });
  it('property: every seed and mode yields parseable, labelled, time-ordered lines', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...MODES), fc.double({ min: 0.1, max: 1, noNaN: true }), (seed, kind, intensity) => {
        const events = sampleEvents({ incident: kind }, { seed, count: 100, intensity });
        expect(events.length).toBeGreaterThan(0);
        let prev = 0;
        for (const e of events) {
          const r = parseVpcFlow(e.message);
          expect(enis.has(r.interfaceId!)).toBe(true);
          expect(e.label).toEqual({ incidentId: 'inc-0001', kind });
          expect(e.time).toBeGreaterThanOrEqual(prev);
          prev = e.time;
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('VPC flow generators: learnable normal, anomalous incidents', () => {
  const bg = records('background', 20000).recs;
  it('background is consistent per entity', () => {
    // Only admins' home addresses complete SSH sessions with real payloads on the bastion.
    const bastion = pools.estate.instances.find((i) => /bastion/.test(i.name))!;
    const admins = new Set(pools.users.filter((u) => u.iamUser).flatMap((u) => u.homeIps));
    const ssh = bg.filter((r) => r.interfaceId === bastion.eniId && r.dstport === 22 && r.dstaddr === bastion.privateIp && r.bytes! > 5000);
    expect(ssh.length).toBeGreaterThan(0);
    for (const r of ssh) expect(admins.has(r.srcaddr!)).toBe(true);
    // Egress of each host goes to its own small set of external services.
    const external = bg.filter((r) => r.srcaddr!.startsWith('10.') && !r.dstaddr!.startsWith('10.'));
    const known = new Set([...pools.externalServices.map((s) => s.ip), ...pools.clients.map((c) => c.ip), ...pools.users.flatMap((u) => u.homeIps)]);
    for (const r of external) expect(known.has(r.dstaddr!)).toBe(true);
    // REJECTs exist and come only from internet noise.
    const noise = new Set(pools.internetNoise);
    const rejects = bg.filter((r) => r.action === 'REJECT');
    expect(rejects.length / bg.length).toBeGreaterThan(0.02);
    for (const r of rejects) expect(noise.has(r.srcaddr!)).toBe(true);
    // Heavy-tailed bytes: the top 1% carries far more than the median.
    const bytes = bg.map((r) => r.bytes!).sort((a, b) => a - b);
    expect(bytes[Math.floor(bytes.length * 0.99)]! / bytes[Math.floor(bytes.length / 2)]!).toBeGreaterThan(20);
  });
  it('port scan: one source, hundreds of ports, mostly REJECT', () => {
    const { recs } = records('vpc-port-scan', 1500);
    expect(new Set(recs.map((r) => r.srcaddr)).size).toBe(1);
    expect(new Set(recs.map((r) => r.dstport)).size).toBeGreaterThan(500);
    expect(recs.filter((r) => r.action === 'REJECT').length / recs.length).toBeGreaterThan(0.95);
  });
  it('ssh brute force: many complete port-22 flows from few sources', () => {
    const { recs } = records('vpc-ssh-bruteforce', 1000);
    const inbound = recs.filter((r) => r.dstport === 22);
    expect(new Set(inbound.map((r) => r.srcaddr)).size).toBeLessThanOrEqual(3);
    expect(inbound.every((r) => r.action === 'ACCEPT' && r.packets! >= 12)).toBe(true);
  });
  it('exfiltration: hundreds of MB to an address the baseline never saw', () => {
    const { recs } = records('vpc-exfiltration', 100);
    const out = recs.filter((r) => r.srcaddr!.startsWith('10.'));
    const seen = new Set(bg.flatMap((r) => [r.srcaddr, r.dstaddr]));
    expect(seen.has(out[0]!.dstaddr)).toBe(false);
    expect(out.reduce((s, r) => s + r.bytes!, 0) / out.length).toBeGreaterThan(20e6);
    expect(Math.max(...bg.map((r) => r.bytes!))).toBeLessThan(20e6);
  });
  it('ddos: fan-in from thousands of sources', () => {
    const { recs } = records('vpc-ddos', 5000);
    expect(new Set(recs.map((r) => r.srcaddr)).size).toBeGreaterThan(2000);
  });
  it('describe() entities match the events', () => {
    for (const kind of MODES) {
      const gen = incidentGenerators[kind]!;
      const req = { incidentId: 'i', kind, window: { start: SAMPLE_START, end: SAMPLE_START + 600_000 }, intensity: 1, entities: {} };
      const d = gen.describe(createRng(9), pools, req);
      const first = gen.generate(createRng(9), pools, req)[Symbol.iterator]().next().value!;
      const r = parseVpcFlow(first.message);
      // A fan-in hits every web interface; describe() names the first.
      if (kind !== 'vpc-ddos') expect(r.interfaceId).toBe(d.eni);
      expect([r.srcaddr, r.dstaddr]).toContain(kind === 'vpc-ddos' ? r.srcaddr : d.ip);
    }
  });
  it('entities from the scenario pick the target interface', () => {
    const web2 = pools.estate.instances[1]!;
    const events = sampleEvents({ incident: 'vpc-port-scan' }, { count: 10 });
    expect(events.length).toBe(10);
    const gen = incidentGenerators['vpc-port-scan']!;
    const req = { incidentId: 'i', kind: 'vpc-port-scan' as const, window: { start: SAMPLE_START, end: SAMPLE_START + 60_000 }, intensity: 1, entities: { instance: web2.instanceId, ip: '203.0.113.9' } };
    for (const e of gen.generate(createRng(1), pools, req)) {
      const r = parseVpcFlow(e.message);
      expect(r.interfaceId).toBe(web2.eniId);
      expect(r.srcaddr).toBe('203.0.113.9');
    }
    expect(DEFAULT_VPC_FORMAT.fields).toHaveLength(14);
  });
});

describe('VPC flow background: the bytes path', () => {
  // fill() must write exactly the lines the event path yields (same draws, same text), newline-terminated.
  for (const [seed, options] of [[1, undefined], [42, undefined], ['chunks', undefined], [7, { format: V5, aggregationSeconds: 60 }]] as const) {
    it(`fill() is byte-identical to the event path (seed ${seed}${options ? ', v5 format' : ''})`, () => {
      const p = samplePools(seed);
      const req = { window: { start: SAMPLE_START, end: SAMPLE_START + 3_600_000 }, rate: constantRate(50), ...(options ? { options } : {}) };
      const want: string[] = [];
      for (const e of vpcFlowBackground.generate(createRng(seed).fork('background/vpcflow'), p, req)) want.push(`${e.message}\n`);
      const flows = new BackgroundFlows(createRng(seed).fork('background/vpcflow'), p, req);
      // Small chunks so lines straddle many fill() calls; a line cap on some calls too.
      const out = new ByteChunk(256);
      let lines = 0;
      let text = '';
      for (let i = 0; ; i++) {
        out.reset();
        const n = flows.fill(out, 2000, i % 3 === 0 ? 7 : Infinity);
        if (n === 0) break;
        lines += n;
        text += Buffer.from(out.view()).toString('utf8');
      }
      expect(lines).toBe(want.length);
      expect(lines).toBeGreaterThan(100_000);
      expect(text).toBe(want.join(''));
    });
  }
});
