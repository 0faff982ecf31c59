import type { TickReport } from './run-load.ts';

const hms = (iso: string) => iso.slice(11, 19);

/**
 * One line per tick, e.g.
 * `tick 3  12:01:00–12:02:00  waf 300 sent (300 ok, 0 rejected)  vpcflow …  incidents: waf-http-flood  1.8 s`.
 */
export function formatTick(r: TickReport): string {
  const sources = Object.entries(r.sources)
    .map(([s, c]) => `${s} ${c!.generated} (${c!.accepted} ok${c!.rejected ? `, ${c!.rejected} REJECTED` : ''})`)
    .join('  ');
  const incidents = r.incidents.length ? r.incidents.map((i) => i.kind).join(', ') : 'none';
  const extra = [r.skippedFires ? `${r.skippedFires} fire(s) skipped while busy` : '', r.balanced ? '' : 'LEDGER UNBALANCED'].filter(Boolean).join('; ');
  return `tick ${r.tick}  ${hms(r.slice.start)}–${hms(r.slice.end)}  ${sources || 'no events'}  incidents: ${incidents}  ${(r.durationMs / 1000).toFixed(1)} s${extra ? `  (${extra})` : ''}`;
}
