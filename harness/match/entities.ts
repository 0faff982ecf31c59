import type { Entities } from '../../core/index.ts';
import { compactJson, type Observation } from '../observe/index.ts';

function norm(v: string): string {
  return v.trim().toLowerCase();
}

/** Values overlap when equal, or when one names the other (an ARN ending in a user name, a chain naming a db). */
export function entitiesOverlap(incident: Entities, finding: Entities | readonly string[], chain: readonly string[] = []): boolean {
  const incidentValues = Object.values(incident).filter((v): v is string => typeof v === 'string' && v.length > 0).map(norm);
  if (incidentValues.length === 0) return true;
  const own = Array.isArray(finding) ? finding : Object.values(finding);
  const findingValues = [...own.filter((v): v is string => typeof v === 'string'), ...chain].map(norm);
  for (const a of incidentValues) {
    for (const b of findingValues) {
      if (a === b) return true;
      if (a.length >= 4 && b.length >= 4 && (b.endsWith(`/${a}`) || a.endsWith(`/${b}`) || b.includes(`:${a}`) || b.includes(`${a} `))) return true;
    }
  }
  return false;
}

/** Characters that continue a token: `10.0.1.1` is not in `10.0.1.12`, `i-0ab` is not in `i-0abc`. */
const TOKEN = /[a-z0-9_-]/;

/** Index of the first occurrence of `needle` in `hay` on token boundaries (both lower case), or -1. */
export function tokenIndex(hay: string, needle: string): number {
  if (!needle) return -1;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
    const before = i === 0 ? '' : hay[i - 1]!;
    const after = hay[i + needle.length] ?? '';
    const startsToken = !TOKEN.test(needle[0]!) || !before || !TOKEN.test(before);
    const endsToken = !TOKEN.test(needle[needle.length - 1]!) || !after || !TOKEN.test(after);
    if (startsToken && endsToken) return i;
  }
  return -1;
}

/** Shorter values (country codes) would be found by chance in any text; they match mapped entities only. */
export const MIN_PLANTED_LENGTH = 4;

const haystacks = new WeakMap<Observation, string>();

/** The observation's raw finding (compact JSON) and text, lower case: what planted values are searched in. */
function haystack(o: Observation): string {
  let h = haystacks.get(o);
  if (h === undefined) {
    h = `${compactJson(o.raw)}\n${o.text}`.toLowerCase();
    haystacks.set(o, h);
  }
  return h;
}

/** Does the finding carry any of the planted values in its raw JSON or text, on token boundaries? */
export function mentionsAny(values: Entities, o: Observation): boolean {
  const hay = haystack(o);
  for (const v of Object.values(values)) {
    if (typeof v !== 'string' || v.length < MIN_PLANTED_LENGTH) continue;
    if (tokenIndex(hay, norm(v)) >= 0) return true;
  }
  return false;
}

/**
 * Is the observation about these (planted) entities? Its mapped entities or root-cause chain overlap them, or
 * one of the values appears in its raw finding or text. The second needs no mapping and no change to the SUT:
 * whatever the SUT writes about an address, a key or an instance names it.
 */
export function namesEntities(values: Entities, o: Observation): boolean {
  if (Object.values(values).every((v) => !v)) return true;
  return entitiesOverlap(values, o.entities, o.rootCause ?? []) || mentionsAny(values, o);
}
