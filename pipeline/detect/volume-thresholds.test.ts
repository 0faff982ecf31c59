import { describe, expect, it } from 'vitest';
import type { NormalizedRecord } from '../../formats/index.ts';
import type { Finding } from '../../core/index.ts';
import { createRng } from '../../core/index.ts';
import { createDetectorState, detectWindow } from './detector.ts';
import { flow, sshd, waf } from './test-records.ts';

/**
 * Thresholds that follow the traffic: what ordinary sources do at production rates (the internet's SSH scanner
 * hum, answers of busy outside services, heavy but known web clients) must not look like an attack, and an attack
 * at the same rates still must.
 */
const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const W = 60_000;

function run(windows: number, make: (w: number, start: number) => NormalizedRecord[]): Finding[] {
  let state = createDetectorState();
  const created: Finding[] = [];
  for (let w = 0; w < windows; w++) {
    const start = T0 + w * W;
    const r = detectWindow(state, make(w, start), { start, end: start + W }, { dependencies: [] });
    state = r.state;
    for (const ch of r.changes) if (ch.change === 'created') created.push(r.findings.find((f) => f.findingId === ch.findingId)!);
  }
  return created;
}

const poisson = (r: ReturnType<typeof createRng>, mean: number) => {
  let k = 0, p = Math.exp(-mean), s = p;
  const u = r.next();
  while (u > s) {
    p *= mean / ++k;
    s += p;
  }
  return k;
};

describe('thresholds that scale with volume', () => {
  const NOISE = Array.from({ length: 300 }, (_, i) => `45.${10 + (i % 90)}.${i % 7}.${1 + (i % 250)}`);
  const sshNoise = (seed: string, start: number, mean: number) => {
    const r = createRng(seed);
    return NOISE.flatMap((ip) => Array.from({ length: poisson(r, mean) }, (_, i) => sshd(start + r.int(0, 59_999), { kind: i % 2 ? 'ssh-failed' : 'pam-failure', rhost: ip, user: 'root' })));
  };

  it('the SSH scanner hum at twenty times the rate (some scanners failing 10+ times a minute) is no brute force', () => {
    const f = run(30, (w, s) => sshNoise(`noise${w}`, s, 4));
    expect(f.filter((x) => x.kind === 'ec2-ssh-bruteforce').map((x) => x.summary)).toEqual([]);
  });

  it('a brute force amid that hum still is', () => {
    const f = run(30, (w, s) => [...sshNoise(`noise${w}`, s, 4), ...(w === 25 ? Array.from({ length: 200 }, (_, i) => sshd(s + i * 250, { kind: 'ssh-failed', rhost: '185.220.101.45', user: `u${i}` })) : [])]);
    expect(f.filter((x) => x.kind === 'ec2-ssh-bruteforce').map((x) => x.entities.ip)).toEqual(['185.220.101.45']);
  });

  it("a busy outside service's answers to many client ports are no port scan; a scan of many service ports is", () => {
    const answers = (s: number) => Array.from({ length: 60 }, (_, i) => flow(s + i * 900, { src: '52.216.8.141', dst: `10.0.1.${10 + (i % 3)}`, srcport: 443, dstport: 49152 + i * 97, packets: 20, bytes: 9000 }));
    const quiet = run(20, (_w, s) => answers(s));
    expect(quiet.filter((x) => x.kind === 'vpc-port-scan')).toEqual([]);
    const scan = run(20, (w, s) => [...answers(s), ...(w === 15 ? Array.from({ length: 60 }, (_, i) => flow(s + i * 900, { src: '198.51.100.23', dst: '10.0.1.11', srcport: 51000, dstport: 20 + i * 13, packets: 1, bytes: 44, action: 'REJECT' })) : [])]);
    expect(scan.filter((x) => x.kind === 'vpc-port-scan').map((x) => x.entities.ip)).toEqual(['198.51.100.23']);
  });

  it('a known heavy web client stays unremarkable, a newcomer as busy is a flood', () => {
    const traffic = (w: number, s: number) => {
      const r = createRng(`web${w}`);
      const out = Array.from({ length: 3000 }, (_, i) => waf(s + r.int(0, 59_999), { ip: `203.0.${i % 200}.${1 + ((i * 7) % 250)}` }));
      // A NAT gateway of a big customer: busy every minute.
      out.push(...Array.from({ length: 250 }, (_, i) => waf(s + i * 200, { ip: '198.51.100.200' })));
      return out;
    };
    const quiet = run(20, traffic);
    expect(quiet.filter((x) => x.kind === 'waf-http-flood')).toEqual([]);
    const flood = run(20, (w, s) => [...traffic(w, s), ...(w === 15 ? Array.from({ length: 600 }, (_, i) => waf(s + i * 100, { ip: '192.0.2.66' })) : [])]);
    expect(flood.filter((x) => x.kind === 'waf-http-flood').map((x) => x.entities.ip)).toEqual(['192.0.2.66']);
  });
});
