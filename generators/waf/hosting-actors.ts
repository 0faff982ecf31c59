import type { Rng } from '../../core/index.ts';
import { ipInCountry } from '../common/pools.ts';
import type { IncidentRequest } from '../types.ts';
import type { Client } from './model.ts';

/**
 * The attacking addresses of an incident: `count` hosting-provider addresses in the given countries, the
 * first replaced by the scenario's chosen ip when it names one. Drawn from the `actors` fork, so describe()
 * and generate() see the same set.
 */
export function hostingActors(rng: Rng, req: IncidentRequest, countries: readonly string[], count: (r: Rng) => number): Client[] {
  const r = rng.fork('actors');
  const n = count(r);
  const out = Array.from({ length: n }, () => {
    const country = r.pick(countries);
    return { ip: ipInCountry(r, country, 'hosting').ip, country };
  });
  if (req.entities.ip) out[0] = { ip: req.entities.ip, country: out[0]!.country };
  return out;
}
