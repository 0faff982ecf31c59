import type { Rng } from '../../core/index.ts';
import type { EstateIds, Topology } from '../../core/topology/index.ts';
import type { EntityPools, UserProfile } from '../types.ts';
import { ASNS, AWS_PUBLIC_PREFIXES, type AsnEntry } from './data/asns.ts';
import { NORMAL_CLIENT_COUNTRIES, NOISE_COUNTRIES } from './data/countries.ts';
import { AWS_CLIENT_USER_AGENTS, BROWSER_USER_AGENTS } from './data/user-agents.ts';
import { EXTERNAL_SERVICES } from './data/external-services.ts';
import { API_HABITS, EXTRA_USER_NAMES, type Persona } from './data/api-habits.ts';

export interface PoolOptions {
  /** Distinct web client addresses (default 2000). */
  clients?: number;
  /** Distinct internet-noise addresses (default 300). */
  internetNoise?: number;
}

/** ASNs of a country and kind; falls back to any kind so every listed country has addresses. */
export function asnsOf(country: string, kind?: AsnEntry['kind']): AsnEntry[] {
  const exact = ASNS.filter((a) => a.country === country && (kind === undefined || a.kind === kind));
  return exact.length > 0 ? exact : ASNS.filter((a) => a.country === country);
}

/** A public address inside one of the ASN's prefixes (last octet 1..254, never a network/broadcast). */
export function ipInAsn(rng: Rng, asn: AsnEntry): string {
  return `${rng.pick(asn.prefixes)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** A public address of a country, with the ASN it belongs to. */
export function ipInCountry(rng: Rng, country: string, kind?: AsnEntry['kind']): { ip: string; asn: number } {
  const candidates = asnsOf(country, kind);
  if (candidates.length === 0) throw new RangeError(`ipInCountry: no ASN data for country ${JSON.stringify(country)} (see generators/common/data/asns.ts)`);
  const asn = rng.pick(candidates);
  return { ip: ipInAsn(rng, asn), asn: asn.asn };
}

function personaOf(userName: string): Persona {
  if (/deploy|ci|pipeline/.test(userName)) return 'deploy';
  if (/etl|batch|sync/.test(userName)) return 'etl';
  return 'developer';
}

/** Unique values drawn until `n` distinct ones exist (bounded retries: pools are far smaller than the space). */
function distinct(n: number, draw: () => string): string[] {
  const seen = new Set<string>();
  for (let tries = 0; seen.size < n && tries < n * 20; tries++) seen.add(draw());
  return [...seen];
}

/**
 * The entities every generator draws from. Each part comes from its own fork of `rng`, so adding a pool
 * or resizing one never changes the others; the same (rng seed, estate) always gives the same pools.
 */
export function buildPools(rng: Rng, estate: EstateIds, topology: Topology, opts: PoolOptions = {}): EntityPools {
  const nClients = opts.clients ?? 2000;
  const nNoise = opts.internetNoise ?? 300;

  // People: every IAM user of the estate (first one is the admin) plus web-only application users.
  const ur = rng.fork('users');
  const humanCountries = ['US', 'US', 'US', 'GB', 'DE', 'IN'];
  const users: UserProfile[] = estate.iamUsers.map((iam, i) => {
    const persona: Persona = i === 0 ? 'admin' : personaOf(iam.userName);
    const machine = persona === 'deploy' || persona === 'etl';
    const country = machine ? 'US' : ur.pick(humanCountries);
    const homeIps = machine
      ? // CI runners and batch hosts call from AWS's own address space, one or two stable addresses.
        distinct(ur.int(1, 2), () => `${ur.pick(AWS_PUBLIC_PREFIXES)}.${ur.int(0, 255)}.${ur.int(1, 254)}`)
      : distinct(ur.int(1, 3), () => ipInCountry(ur, country, 'eyeball').ip);
    const userAgent = machine ? ur.pick(AWS_CLIENT_USER_AGENTS.slice(2, 5)) : ur.pick(AWS_CLIENT_USER_AGENTS.slice(0, 2));
    return { userName: iam.userName, iamUser: { ...iam }, homeIps, country, userAgent, habits: API_HABITS[persona].map((h) => ({ ...h })) };
  });
  for (const name of EXTRA_USER_NAMES) {
    const country = ur.pick(humanCountries);
    users.push({
      userName: name,
      homeIps: distinct(ur.int(1, 2), () => ipInCountry(ur, country, 'eyeball').ip),
      country,
      userAgent: ur.pick(BROWSER_USER_AGENTS),
      habits: [],
    });
  }

  // Web clients: country by the normal distribution, address from that country's eyeball networks.
  const cr = rng.fork('clients');
  const countries = NORMAL_CLIENT_COUNTRIES.map((c) => c.country);
  const countryWeights = NORMAL_CLIENT_COUNTRIES.map((c) => c.weight);
  const clients: EntityPools['clients'] = [];
  const seenIps = new Set<string>();
  for (let tries = 0; clients.length < nClients && tries < nClients * 20; tries++) {
    const country = cr.weighted(countries, countryWeights);
    const { ip, asn } = ipInCountry(cr, country, 'eyeball');
    if (seenIps.has(ip)) continue;
    seenIps.add(ip);
    clients.push({ ip, country, asn });
  }
  // Users' home addresses are web clients too (they use the app from home).
  for (const u of users) for (const ip of u.homeIps) if (!seenIps.has(ip)) {
    seenIps.add(ip);
    const asn = ASNS.find((a) => a.prefixes.some((p) => ip.startsWith(`${p}.`)));
    clients.push({ ip, country: u.country, asn: asn?.asn ?? 16509 });
  }

  const nr = rng.fork('noise');
  const noiseCountries = NOISE_COUNTRIES.map((c) => c.country);
  const noiseWeights = NOISE_COUNTRIES.map((c) => c.weight);
  const internetNoise = distinct(nNoise, () => ipInCountry(nr, nr.weighted(noiseCountries, noiseWeights), 'hosting').ip).filter((ip) => !seenIps.has(ip));

  // External services are fixed facts about the world, not random: the same for every seed.
  const externalServices = EXTERNAL_SERVICES.map((s) => ({ ip: s.ip, port: s.port }));

  return { estate, topology, users, clients, internetNoise, externalServices };
}
