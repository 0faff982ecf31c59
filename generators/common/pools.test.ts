import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { defaultTopology, syntheticEstate } from '../../core/topology/index.ts';
import { buildPools } from './pools.ts';
import { ANOMALOUS_COUNTRIES } from './data/countries.ts';

const topology = defaultTopology();
const estate = syntheticEstate(topology);

describe('buildPools', () => {
  it('is deterministic per seed and maps every IAM user', () => {
    const a = buildPools(createRng(1), estate, topology);
    const b = buildPools(createRng(1), estate, topology);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(buildPools(createRng(2), estate, topology).clients)).not.toBe(JSON.stringify(a.clients));
    for (const iam of estate.iamUsers) expect(a.users.find((u) => u.userName === iam.userName)?.iamUser?.accessKeyId).toBe(iam.accessKeyId);
    expect(a.users.length).toBeGreaterThan(estate.iamUsers.length);
  });
  it('gives clients unique public addresses from normal countries, mostly US/GB/IN/DE', () => {
    const p = buildPools(createRng(3), estate, topology);
    const ips = new Set(p.clients.map((c) => c.ip));
    expect(ips.size).toBe(p.clients.length);
    expect(p.clients.length).toBeGreaterThanOrEqual(2000);
    for (const c of p.clients) {
      expect(c.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(c.ip).not.toMatch(/^(10\.|192\.168\.|127\.)/);
      expect(ANOMALOUS_COUNTRIES).not.toContain(c.country);
    }
    const big4 = p.clients.filter((c) => ['US', 'GB', 'IN', 'DE'].includes(c.country)).length;
    expect(big4 / p.clients.length).toBeGreaterThan(0.6);
    for (const u of p.users) for (const ip of u.homeIps) expect(ips.has(ip) || u.iamUser).toBeTruthy();
    expect(p.internetNoise.some((ip) => ips.has(ip))).toBe(false);
  });
});
