import { describe, expect, it } from 'vitest';
import type { StoredCounts } from '../../core/index.ts';
import type { IngestLedger } from '../deliver/types.ts';
import { balanceLedger } from './balance.ts';

describe('balanceLedger', () => {
  const ingest = (sends: number): IngestLedger => ({
    sources: { lambda: { generated: 2, accepted: 2, rejected: {} } },
    calls: {},
    retries: {},
    examples: [],
    s3Objects: [],
    requests: { fp: { source: 'lambda', events: 2, sends } },
  });
  const stored = (copies: number, normalized: number, duplicates = 0): StoredCounts => ({
    landed: { lambda: normalized + duplicates },
    normalized: { lambda: normalized },
    quarantined: {},
    duplicates: { lambda: duplicates },
    rawObjects: copies,
    unprocessed: [],
    notificationsQuarantined: 0,
    requestCopies: { fp: copies },
  });

  it('counts a request stored twice after a lost answer as replayed, and balances', () => {
    const l = balanceLedger(ingest(1), stored(2, 4));
    expect(l.sources.lambda).toMatchObject({ accepted: 2, replayed: 2, normalized: 4, balanced: true });
    expect(l.balanced).toBe(true);
  });

  it('does not balance when more landed than any request explains, or when events were lost', () => {
    expect(balanceLedger(ingest(1), stored(1, 3)).problems).toEqual(['lambda: accepted 2 ≠ normalized 3 + quarantined 0 (events lost or duplicated)']);
    expect(balanceLedger(ingest(1), stored(1, 1)).balanced).toBe(false);
    // Sent twice and answered twice: two copies are no replay.
    expect(balanceLedger({ ...ingest(2), sources: { lambda: { generated: 4, accepted: 4, rejected: {} } } }, stored(2, 4)).sources.lambda!.replayed).toBe(0);
  });
});
