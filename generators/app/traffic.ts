import type { Rng } from '../../core/index.ts';
import type { EntityPools } from '../types.ts';
import type { Endpoint } from './data.ts';

/** Who and what the checkout service's requests are about, shared by its normal traffic and its DB errors. */
export function concretePath(rng: Rng, e: Endpoint): string {
  return e.path.replace('{id}', String(rng.int(1000, 99999)));
}

/** The application users who appear as `user=` (the pools' people); a third of traffic is anonymous. */
export function appUsers(pools: EntityPools): string[] {
  return pools.users.map((u) => u.userName);
}

export function drawUser(rng: Rng, users: readonly string[]): string {
  // Zipf-like: the first users are the regulars. Anonymous browsing shows as '-'.
  if (users.length === 0 || rng.chance(0.33)) return '-';
  const i = Math.min(users.length - 1, Math.floor(users.length * rng.next() ** 2));
  return users[i]!;
}
