import type { Finding } from '../../core/index.ts';

/**
 * The findings table, as the reference pipeline keeps it: pk/sk (a shared schema), one item per finding, upserted
 * by findingId with the Finding's own fields plus `updatedAt`. The harness reads it through a tap with the
 * `firedrill` preset, like any system under test's findings; this module is the one place that knows the keys.
 */
export const FINDING_PK_PREFIX = 'finding#';

/** The item key of a finding. */
export const findingItemKey = (findingId: string) => ({ pk: `${FINDING_PK_PREFIX}${findingId}`, sk: 'finding' });

/** Reads a Finding back from a findings-table item. */
export function findingFromItem(item: Record<string, unknown>): Finding {
  const { pk: _pk, sk: _sk, updatedAt: _u, ...rest } = item;
  return rest as unknown as Finding;
}

/** Is this item of the table a finding (the audit and other records share the schema)? */
export function isFindingItem(item: Record<string, unknown>): boolean {
  return String(item.pk ?? '').startsWith(FINDING_PK_PREFIX);
}
