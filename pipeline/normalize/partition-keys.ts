import type { KeyedRecord } from './normalize-object.ts';

interface Claim {
  owner: string;
  /** Resolves true when the owner's curated data and index landed, false when they did not (the keys are free again). */
  done: Promise<boolean>;
}

/**
 * Who owns each content key of one curated partition: the de-duplication state of the normalizer.
 *
 * Raw objects of one partition are processed side by side. Deciding which records are new is synchronous
 * (claim), so two objects never both keep the same event; writing the curated data and the index is not, so a
 * key stays *claimed* until its owner's writes succeed (it becomes owned) or fail (it is free again). An object
 * that meets a key claimed by another waits for that outcome before deciding — rare (a duplicate delivery), and
 * it keeps the writes of different objects from waiting on each other, which a lock per partition did.
 */
export class PartitionKeys {
  private readonly owners = new Map<string, string>();
  private readonly claims = new Map<string, Claim>();
  private readonly settle = new Map<string, (ok: boolean) => void>();

  /** Keys an index file already lists (its owner is the raw object it is named after). */
  load(owner: string, keys: readonly string[]): void {
    for (const k of keys) if (!this.owners.has(k)) this.owners.set(k, owner);
  }

  /**
   * The records of `rawId` that no other raw object holds; their keys are claimed for it until release().
   * Keys `rawId` itself owns already (its own index from an earlier, interrupted run) count as its own.
   */
  async claim(rawId: string, records: readonly KeyedRecord[]): Promise<KeyedRecord[]> {
    for (;;) {
      const waits = new Set<Promise<boolean>>();
      const kept: KeyedRecord[] = [];
      const mine = new Set<string>();
      for (const r of records) {
        const k = r.dedupeKey;
        if (mine.has(k)) continue;
        const owner = this.owners.get(k);
        if (owner !== undefined && owner !== rawId) continue;
        const claim = this.claims.get(k);
        if (claim && claim.owner !== rawId) {
          waits.add(claim.done);
          continue;
        }
        mine.add(k);
        kept.push(r);
      }
      if (waits.size > 0) {
        await Promise.all(waits);
        continue;
      }
      let settle!: (ok: boolean) => void;
      const done = new Promise<boolean>((resolve) => (settle = resolve));
      this.settle.set(rawId, settle);
      for (const r of kept) this.claims.set(r.dedupeKey, { owner: rawId, done });
      return kept;
    }
  }

  /** Ends `rawId`'s claim: its keys become owned (its writes landed) or free again (they failed). */
  release(rawId: string, kept: readonly KeyedRecord[], landed: boolean): void {
    for (const r of kept) {
      if (this.claims.get(r.dedupeKey)?.owner === rawId) this.claims.delete(r.dedupeKey);
      if (landed) this.owners.set(r.dedupeKey, rawId);
    }
    this.settle.get(rawId)?.(landed);
    this.settle.delete(rawId);
  }
}
