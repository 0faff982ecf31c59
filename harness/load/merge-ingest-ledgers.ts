import type { IngestLedger } from '../deliver/types.ts';

const add = (into: Record<string, number>, from: Partial<Record<string, number>>) => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + (n ?? 0);
};

/** The ledgers of several ticks as one, so the run's total can be balanced against what landed in S3. */
export function mergeIngestLedgers(ledgers: readonly IngestLedger[]): IngestLedger {
  const out: IngestLedger = { sources: {}, calls: {}, retries: {}, examples: [], s3Objects: [], requests: {} };
  for (const l of ledgers) {
    for (const [source, c] of Object.entries(l.sources) as [keyof IngestLedger['sources'], NonNullable<IngestLedger['sources'][keyof IngestLedger['sources']]>][]) {
      const into = (out.sources[source] ??= { generated: 0, accepted: 0, rejected: {} });
      into.generated += c.generated;
      into.accepted += c.accepted;
      add(into.rejected, c.rejected);
    }
    add(out.calls, l.calls);
    add(out.retries, l.retries);
    // Examples are a sample; a few per run are enough.
    for (const e of l.examples) if (out.examples.length < 10) out.examples.push(e);
    out.s3Objects.push(...l.s3Objects);
    for (const [fp, r] of Object.entries(l.requests)) {
      const into = (out.requests[fp] ??= { ...r, sends: 0 });
      into.sends += r.sends;
    }
  }
  return out;
}
