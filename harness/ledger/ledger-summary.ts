import type { IngestLedger } from '../deliver/types.ts';
import type { LedgerSummary } from '../evaluate/types.ts';
import type { PipelineLedger } from './balance.ts';

/** A balanced pipeline ledger as the scorecard shows it: totals and one row per source. */
export function ledgerSummary(l: PipelineLedger): LedgerSummary {
  const totals = { generated: 0, accepted: 0, rejected: 0, replayed: 0, landed: 0, normalized: 0, quarantined: 0, duplicates: 0 };
  const perSource: Record<string, Record<string, number>> = {};
  for (const [src, s] of Object.entries(l.sources)) {
    if (!s) continue;
    const rejected = Object.values(s.rejected).reduce<number>((a, b) => a + (b ?? 0), 0);
    const quarantined = Object.values(s.quarantined).reduce((a, b) => a + b, 0);
    const row = { generated: s.generated, accepted: s.accepted, rejected, replayed: s.replayed, landed: s.landed, normalized: s.normalized, quarantined, duplicates: s.duplicates };
    perSource[src] = row;
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += row[k];
  }
  return { balanced: l.balanced, totals, perSource };
}

/**
 * The ledger of a SUT that reports nothing of what it took in (no `ledger` hook): delivery only, balanced when
 * every generated event was either accepted by AWS or refused with a reason (generated = accepted + rejected).
 */
export function deliveryLedgerSummary(ingest: IngestLedger): LedgerSummary {
  const totals = { generated: 0, accepted: 0, rejected: 0 };
  const perSource: Record<string, Record<string, number>> = {};
  let balanced = true;
  for (const [src, s] of Object.entries(ingest.sources)) {
    if (!s) continue;
    const rejected = Object.values(s.rejected).reduce<number>((a, b) => a + (b ?? 0), 0);
    const row = { generated: s.generated, accepted: s.accepted, rejected };
    if (s.generated !== s.accepted + rejected) balanced = false;
    perSource[src] = row;
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += row[k];
  }
  return { balanced, totals, perSource };
}
