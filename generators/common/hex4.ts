/** Every 2-digit hex string, lower and upper case (256 each). */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX2_UPPER: readonly string[] = HEX2.map((h) => h.toUpperCase());

/**
 * The 4 lower-case hex digits of a 16-bit value (0–65535), zero-padded: `hex4(0x0a3f)` is `'0a3f'`. Ids are
 * assembled from these on the generators' hot paths. Two lookups in a 256-entry table and one short concatenation
 * (a flat string, as long as a table entry) cost as much as one lookup in a table of all 65,536, which the
 * CloudTrail and S3 generators each held for the life of the process (~2 MB of strings a table, three tables).
 */
export function hex4(v: number): string {
  return HEX2[(v >>> 8) & 255]! + HEX2[v & 255]!;
}

/** hex4 in upper case: `hex4Upper(0x0a3f)` is `'0A3F'`. */
export function hex4Upper(v: number): string {
  return HEX2_UPPER[(v >>> 8) & 255]! + HEX2_UPPER[v & 255]!;
}
