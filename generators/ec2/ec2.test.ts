import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../core/rng.ts';
import { classifyEc2, parseEc2 } from '../../formats/ec2.ts';
import { parseVpcFlow } from '../../formats/vpcflow.ts';
import { constantRate } from '../common/rate/index.ts';
import { determinismSuite, SAMPLE_START, samplePools } from '../common/testing.ts';
import type { GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { ec2Background, ec2DiskFull, ec2Oom, ec2SshBruteForce } from './index.ts';

const pools = samplePools(42);
const window = { start: SAMPLE_START, end: SAMPLE_START + 10 * 60_000 };

function incident(gen: IncidentGenerator, seed: number, intensity = 1, entities = {}): { events: GeneratedEvent[]; req: IncidentRequest } {
  const req: IncidentRequest = { incidentId: 'inc-7', kind: gen.kind, window, intensity, entities };
  return { events: [...gen.generate(createRng(seed), pools, req)], req };
}

/** Structure every EC2 line must have: RFC 3164 shape, right group and stream, time order, window. */
function checkStructure(events: GeneratedEvent[]): void {
  const instances = new Set(pools.estate.instances.map((i) => i.instanceId));
  const problems: string[] = [];
  const bad = (why: string, e: GeneratedEvent) => problems.length < 5 && problems.push(`${why}: ${e.message}`);
  let last = -Infinity;
  for (const e of events) {
    if (e.time < last) bad('out of order', e);
    last = e.time;
    if (e.time < window.start || e.time >= window.end) bad('outside the window', e);
    if (e.source === 'vpcflow') continue;
    if (e.source !== 'ec2' || e.dest.kind !== 'cwl') {
      bad('wrong source or destination', e);
      continue;
    }
    if (!/^\/firedrill\/ec2\/(secure|messages)$/.test(e.dest.logGroup) || !instances.has(e.dest.logStream)) bad('wrong group/stream', e);
    if (!/^[A-Z][a-z]{2} [ 1-3]\d \d{2}:\d{2}:\d{2} ip-\d+-\d+-\d+-\d+ [^ ]+: /.test(e.message)) bad('not RFC 3164', e);
    const r = parseEc2(e.message, { logGroup: e.dest.logGroup, logStream: e.dest.logStream, timestamp: e.time });
    // The syslog line carries whole seconds of the event time.
    if (r.time !== Math.floor(e.time / 1000) * 1000) bad('line time differs from event time', e);
    if (r.stream !== (e.dest.logGroup.endsWith('secure') ? 'secure' : 'messages')) bad('stream mismatch', e);
    if (e.message.includes('inc-7')) bad('label leaked into the line', e);
  }
  expect(problems).toEqual([]);
}

describe('ec2 background', () => {
  const events = [...ec2Background.generate(createRng(3), pools, { window, rate: constantRate(5) })];
  it('writes well-formed secure and messages lines for every instance, in time order', () => {
    expect(events.length).toBeGreaterThan(2000);
    checkStructure(events);
    expect(events.every((e) => e.label === undefined)).toBe(true);
    const streams = new Set(events.map((e) => (e.dest.kind === 'cwl' ? `${e.dest.logGroup}|${e.dest.logStream}` : '')));
    expect(streams.size).toBe(pools.estate.instances.length * 2);
  });
  it('logs operators in with their own key fingerprint, from their own addresses, and scanners only fail', () => {
    const accepted = events.map((e) => classifyEc2(parseEc2(e.message, { timestamp: e.time }))).filter((c) => c.kind === 'ssh-accepted');
    expect(accepted.length).toBeGreaterThan(10);
    const allowed = new Set([...pools.users.flatMap((u) => (u.iamUser ? u.homeIps : [])), ...pools.estate.instances.map((i) => i.privateIp)]);
    for (const a of accepted) expect(allowed.has(a.rhost!)).toBe(true);
    const noise = new Set(pools.internetNoise);
    const failed = events.map((e) => classifyEc2(parseEc2(e.message, { timestamp: e.time }))).filter((c) => c.kind === 'ssh-failed');
    expect(failed.length).toBeGreaterThan(10);
    for (const f of failed) expect(noise.has(f.rhost!)).toBe(true);
  });
});

describe('ec2 incidents', () => {
  it('ssh brute force: one attacker, many failures on one host, matching VPC flows to port 22', () => {
    const { events, req } = incident(ec2SshBruteForce, 5);
    checkStructure(events);
    const who = ec2SshBruteForce.describe(createRng(5), pools, req);
    expect(events.every((e) => e.label?.incidentId === 'inc-7' && e.label.kind === 'ec2-ssh-bruteforce')).toBe(true);
    const secure = events.filter((e) => e.source === 'ec2');
    const failures = secure.filter((e) => classifyEc2(parseEc2(e.message, { timestamp: e.time })).kind === 'ssh-failed');
    expect(failures.length).toBeGreaterThan(1000);
    for (const e of secure) {
      expect(e.dest.kind === 'cwl' && e.dest.logStream).toBe(who.instance);
      expect(e.message).toContain(` ${who.host} `);
    }
    const flows = events.filter((e) => e.source === 'vpcflow').map((e) => parseVpcFlow(e.message));
    expect(flows.length).toBeGreaterThan(100);
    for (const f of flows) {
      expect(f.srcaddr === who.ip ? f.dstport : f.srcport).toBe(22);
      // Flow logs count seconds, not milliseconds.
      expect(String(f.start)).toMatch(/^\d{10}$/);
    }
  });

  it('disk full and OOM say so in messages on the described instance', () => {
    for (const [gen, kind] of [[ec2DiskFull, 'disk-full'], [ec2Oom, 'oom-kill']] as const) {
      const { events, req } = incident(gen, 9);
      checkStructure(events);
      const who = gen.describe(createRng(9), pools, req);
      const kinds = events.map((e) => classifyEc2(parseEc2(e.message, { timestamp: e.time })).kind);
      expect(kinds.filter((k) => k === kind).length).toBeGreaterThan(3);
      for (const e of events) expect(e.dest.kind === 'cwl' && e.dest.logStream).toBe(who.instance);
    }
  });

  it('honours scenario entities', () => {
    const inst = pools.estate.instances[1]!;
    const who = ec2SshBruteForce.describe(createRng(1), pools, { incidentId: 'x', kind: 'ec2-ssh-bruteforce', window, intensity: 1, entities: { instance: inst.instanceId, ip: '203.0.113.9' } });
    expect(who).toEqual({ ip: '203.0.113.9', instance: inst.instanceId, host: `ip-${inst.privateIp.replaceAll('.', '-')}` });
  });

  it('property: any seed and intensity gives ordered, labelled, parseable events naming the described entities', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0.05, max: 2, noNaN: true }), fc.constantFrom(ec2SshBruteForce, ec2DiskFull, ec2Oom), (seed, intensity, gen) => {
        const short = { start: window.start, end: window.start + 90_000 };
        const req: IncidentRequest = { incidentId: 'p', kind: gen.kind, window: short, intensity, entities: {} };
        const who = gen.describe(createRng(seed), pools, req);
        let last = -Infinity;
        for (const e of gen.generate(createRng(seed), pools, req)) {
          if (e.time < last || e.time >= short.end || e.label?.kind !== gen.kind) return false;
          last = e.time;
          if (e.source === 'ec2' && !e.message.includes(` ${who.host} `)) return false;
          if (e.source === 'ec2') parseEc2(e.message, { timestamp: e.time });
        }
        return true;
      }),
      { numRuns: 25 },
    );
  });
});

determinismSuite({ background: 'ec2' });
determinismSuite({ incident: 'ec2-ssh-bruteforce' });
determinismSuite({ incident: 'ec2-disk-full' });
determinismSuite({ incident: 'ec2-oom' });
