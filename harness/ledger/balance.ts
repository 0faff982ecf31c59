import type { SourceName } from '../../core/index.ts';
import type { IngestLedger, RejectReason } from '../deliver/types.ts';
import type { SourceKey, StoredCounts } from '../../core/index.ts';

/** One source's journey: generated → accepted / rejected → landed raw → normalized / quarantined / duplicates. */
export interface SourceLedger {
  generated: number;
  accepted: number;
  rejected: Partial<Record<RejectReason, number>>;
  landed: number;
  normalized: number;
  quarantined: Record<string, number>;
  duplicates: number;
  /**
   * Events the destination stored once more than it answered: a request whose answer was lost, sent again, and
   * stored twice (CloudWatch Logs then holds two events with two ids — two deliveries, both kept downstream).
   */
  replayed: number;
  balanced: boolean;
}

export interface PipelineLedger {
  sources: Partial<Record<SourceKey, SourceLedger>>;
  rawObjects: number;
  unprocessed: string[];
  notificationsQuarantined: number;
  balanced: boolean;
  /** Each equation that does not hold, in words. */
  problems: string[];
}

const sum = (m: Partial<Record<string, number>>) => Object.values(m).reduce<number>((a, b) => a + (b ?? 0), 0);

/**
 * The honesty check (DESIGN.md): for every source, generated = accepted + rejected; landed = normalized +
 * quarantined + duplicates; and accepted + replayed = normalized + quarantined, i.e. every event the destination
 * stored ends up exactly once — duplicates from at-least-once delivery all caught, nothing lost, and a request
 * stored twice after a lost answer counted as what it is. Unattributable pieces ('unknown') must all be
 * quarantined, and every raw object must have been processed.
 */
export function balanceLedger(ingest: IngestLedger, stored: StoredCounts): PipelineLedger {
  const keys = new Set<SourceKey>([
    ...(Object.keys(ingest.sources) as SourceName[]),
    ...(Object.keys(stored.landed) as SourceKey[]),
    ...(Object.keys(stored.normalized) as SourceKey[]),
    ...(Object.keys(stored.quarantined) as SourceKey[]),
  ]);
  const problems: string[] = [];
  const sources: Partial<Record<SourceKey, SourceLedger>> = {};
  const replayed: Partial<Record<SourceName, number>> = {};
  for (const [fp, r] of Object.entries(ingest.requests ?? {})) {
    const extra = (stored.requestCopies[fp] ?? 0) - r.sends;
    if (extra > 0) replayed[r.source] = (replayed[r.source] ?? 0) + extra * r.events;
  }
  for (const k of [...keys].sort()) {
    const ing = k === 'unknown' ? undefined : ingest.sources[k];
    const l: SourceLedger = {
      generated: ing?.generated ?? 0,
      accepted: ing?.accepted ?? 0,
      rejected: ing?.rejected ?? {},
      landed: stored.landed[k] ?? 0,
      normalized: stored.normalized[k] ?? 0,
      quarantined: stored.quarantined[k] ?? {},
      duplicates: stored.duplicates[k] ?? 0,
      replayed: k === 'unknown' ? 0 : (replayed[k] ?? 0),
      balanced: true,
    };
    const q = sum(l.quarantined);
    const check = (ok: boolean, text: string) => {
      if (!ok) {
        l.balanced = false;
        problems.push(`${k}: ${text}`);
      }
    };
    if (k === 'unknown') {
      check(l.normalized === 0, `${l.normalized} unattributable records were normalized`);
      check(l.landed === q + l.duplicates, `landed ${l.landed} ≠ quarantined ${q} + duplicates ${l.duplicates}`);
    } else {
      check(l.generated === l.accepted + sum(l.rejected), `generated ${l.generated} ≠ accepted ${l.accepted} + rejected ${sum(l.rejected)}`);
      check(l.landed === l.normalized + q + l.duplicates, `landed ${l.landed} ≠ normalized ${l.normalized} + quarantined ${q} + duplicates ${l.duplicates}`);
      check(l.accepted + l.replayed === l.normalized + q, `accepted ${l.accepted}${l.replayed ? ` + replayed ${l.replayed}` : ''} ≠ normalized ${l.normalized} + quarantined ${q} (events lost or duplicated)`);
    }
    sources[k] = l;
  }
  if (stored.unprocessed.length > 0) problems.push(`${stored.unprocessed.length} raw objects were never processed (e.g. ${stored.unprocessed[0]})`);
  return { sources, rawObjects: stored.rawObjects, unprocessed: stored.unprocessed, notificationsQuarantined: stored.notificationsQuarantined, balanced: problems.length === 0, problems };
}

/** A fixed-width table for terminals. */
export function formatLedger(l: PipelineLedger): string {
  const head = ['source', 'generated', 'accepted', 'rejected', 'replayed', 'landed', 'normalized', 'quarantined', 'duplicates', 'ok'];
  const rows = Object.entries(l.sources).map(([s, x]) => [
    s,
    x!.generated,
    x!.accepted,
    sum(x!.rejected),
    x!.replayed,
    x!.landed,
    x!.normalized,
    sum(x!.quarantined),
    x!.duplicates,
    x!.balanced ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');
  const out = [line(head), ...rows.map(line)];
  for (const [s, x] of Object.entries(l.sources)) {
    const detail = [...Object.entries(x!.rejected).map(([r, n]) => `rejected ${r}=${n}`), ...Object.entries(x!.quarantined).map(([r, n]) => `quarantined ${r}=${n}`)];
    if (detail.length) out.push(`  ${s}: ${detail.join(', ')}`);
  }
  out.push(`raw objects: ${l.rawObjects}; balanced: ${l.balanced ? 'yes' : 'NO'}`);
  for (const p of l.problems) out.push(`  ✗ ${p}`);
  return out.join('\n');
}

