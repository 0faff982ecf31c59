/** Helpers the incident generators of this source share. */
import { ConfigError } from '../../core/index.ts';
import type { Rng } from '../../core/index.ts';
import { ANOMALOUS_COUNTRIES } from '../common/data/countries.ts';
import { ipInCountry } from '../common/pools.ts';
import type { EntityPools, IncidentRequest, TruthLabel } from '../types.ts';
import { trailUsers, type TrailUser } from './principals.ts';

export function labelOf(req: IncidentRequest): TruthLabel {
  return { incidentId: req.incidentId, kind: req.kind };
}

/** The IAM user a scenario names (by user name, ARN or access key), else one drawn from `candidates`. */
export function resolveUser(rng: Rng, pools: EntityPools, req: IncidentRequest, prefer: (u: TrailUser) => boolean): TrailUser {
  const users = trailUsers(pools);
  if (users.length === 0) throw new ConfigError('the estate has no IAM users', { expected: 'at least one estate.iamUsers entry', seen: 'none' });
  const want = req.entities.principal ?? req.entities.accessKey;
  if (want) {
    const u = users.find((x) => x.userName === want || x.arn === want || x.accessKeyId === want);
    if (!u) throw new ConfigError('incident names an IAM user the estate does not have', { expected: users.map((x) => x.userName).join(' | '), seen: want });
    return u;
  }
  const pool = users.filter(prefer);
  return rng.pick(pool.length > 0 ? pool : users);
}

/** An address in a country none of the estate's users ever call from (never `-`: CloudTrail always has an IP). */
export function foreignIp(rng: Rng, req: IncidentRequest): { ip: string; country: string } {
  if (req.entities.ip) return { ip: req.entities.ip, country: req.entities.country ?? '-' };
  const country = req.entities.country ?? rng.pick(ANOMALOUS_COUNTRIES.filter((c) => c !== '-'));
  return { ip: ipInCountry(rng, country).ip, country };
}

/** Spreads `n` steps over the window with jitter, non-decreasing. */
export function stepTimes(rng: Rng, start: number, end: number, n: number): number[] {
  const span = end - start;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(start + Math.floor(((i + rng.next() * 0.8) / n) * span));
  return out;
}
