import type { Rng } from '../../core/index.ts';
import { hex4, hex4Upper } from '../common/hex4.ts';

const VARIANT = '89ab';

/**
 * A version-4 GUID (CloudTrail eventID / requestID) from 9 rng draws instead of rng.uuid()'s 33: two
 * per record on the hot path. Same shape: 8-4-4-4-12 lower-case hex, version 4, variant 8/9/a/b.
 */
export function fastUuid(rng: Rng): string {
  const h = () => hex4((rng.next() * 65536) | 0);
  const a = h() + h(), b = h(), c = h(), d = h(), e = h() + h() + h();
  return `${a}-${b}-4${c.slice(1)}-${VARIANT[(rng.next() * 4) | 0]}${d.slice(1)}-${e}`;
}

/** 16 upper-case hex characters (S3 request ids). */
export function hex16Upper(rng: Rng): string {
  const h = () => hex4Upper((rng.next() * 65536) | 0);
  return h() + h() + h() + h();
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_PAIRS: readonly string[] = Array.from({ length: 4096 }, (_, i) => B64[i >> 6]! + B64[i & 63]!);

/** An S3 `x-amz-id-2` (76 base64 characters ending in '='), two characters per rng draw. */
export function amzId2(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 37; i++) s += B64_PAIRS[(rng.next() * 4096) | 0];
  return `${s}${B64[(rng.next() * 64) | 0]}=`;
}
