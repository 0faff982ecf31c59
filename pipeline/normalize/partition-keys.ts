/** All a claim needs of a record: the key that identifies its content. */
export interface Keyed {
  dedupeKey: string;
}

/** What a claim found for one raw object's records in one partition. */
export interface ClaimResult<R extends Keyed = Keyed> {
  /** New to the partition: the caller writes these, then calls release(). */
  fresh: R[];
  /** Already in the partition's curated data under this same raw object (an earlier, interrupted run). */
  landed: number;
  /** Held by another raw object, or repeated within this one. */
  duplicates: number;
}

interface Claim {
  owner: string;
  /** Settles when the owner's write is over, whatever its outcome. */
  done: Promise<void>;
}

/** Says whether a curated object exists (HeadObject): how a write whose answer was lost is settled. */
export type ObjectExists = (name: string) => Promise<boolean>;

/**
 * Who owns each content key of one curated partition: the de-duplication state of the normalizer.
 *
 * Raw objects of one partition are processed side by side. Deciding which records are new is synchronous
 * (claim), so two raw objects never both keep the same event; the write is not, so a key stays *claimed* until
 * its write is over. A write that succeeded makes its keys owned. A write that failed may still have landed (a
 * lost answer): its keys become *uncertain*, tied to the object name, and the next claim that meets them asks
 * whether that object exists before deciding — never a duplicate in curated data, never a lost record.
 */
export class PartitionKeys {
  private readonly owners = new Map<string, string>();
  private readonly claims = new Map<string, Claim>();
  private readonly uncertain = new Map<string, { owner: string; name: string }>();
  private readonly settle = new Map<string, () => void>();

  constructor(private readonly exists: ObjectExists) {}

  /** Keys a curated object already holds, with the raw object each came from. */
  load(entries: Iterable<readonly [key: string, owner: string]>): void {
    for (const [k, owner] of entries) if (!this.owners.has(k)) this.owners.set(k, owner);
  }

  /**
   * Sorts each raw object's records into fresh (now claimed for it), landed earlier by itself, and duplicates —
   * for all objects of a batch at once: a claim either takes everything it keeps or, when it must wait for
   * another write, takes nothing and waits, so two batches can never wait for each other.
   */
  async claim<R extends Keyed>(objects: readonly { rawId: string; records: readonly R[] }[]): Promise<ClaimResult<R>[]> {
    for (;;) {
      const waits = new Set<Promise<void>>();
      const unsure = new Set<string>();
      const taken = new Set<string>();
      const results = objects.map(({ rawId, records }) => {
        const out: ClaimResult<R> = { fresh: [], landed: 0, duplicates: 0 };
        for (const r of records) {
          const k = r.dedupeKey;
          if (taken.has(k)) {
            out.duplicates++;
            continue;
          }
          taken.add(k);
          const u = this.uncertain.get(k);
          if (u) {
            unsure.add(u.name);
            continue;
          }
          const claim = this.claims.get(k);
          if (claim) {
            waits.add(claim.done);
            continue;
          }
          const owner = this.owners.get(k);
          if (owner === undefined) out.fresh.push(r);
          else if (owner === rawId) out.landed++;
          else out.duplicates++;
        }
        return out;
      });
      if (unsure.size > 0) {
        await Promise.all([...unsure].map((name) => this.settleUncertain(name)));
        continue;
      }
      if (waits.size > 0) {
        await Promise.all(waits);
        continue;
      }
      objects.forEach(({ rawId }, i) => {
        const fresh = results[i]!.fresh;
        if (fresh.length === 0) return;
        const done = new Promise<void>((resolve) => this.settle.set(rawId, resolve));
        for (const r of fresh) this.claims.set(r.dedupeKey, { owner: rawId, done });
      });
      return results;
    }
  }

  /**
   * Ends `rawId`'s claim. `landed`: the keys are owned now. Otherwise `name` is the object the failed write was
   * meant to create: until someone checks whether it exists, its keys are uncertain.
   */
  release(rawId: string, fresh: readonly Keyed[], outcome: { landed: true } | { landed: false; name: string }): void {
    for (const r of fresh) {
      const k = r.dedupeKey;
      if (this.claims.get(k)?.owner === rawId) this.claims.delete(k);
      if (outcome.landed) this.owners.set(k, rawId);
      else this.uncertain.set(k, { owner: rawId, name: outcome.name });
    }
    this.settle.get(rawId)?.();
    this.settle.delete(rawId);
  }

  private readonly checking = new Map<string, Promise<void>>();

  private settleUncertain(name: string): Promise<void> {
    let p = this.checking.get(name);
    if (!p) {
      p = (async () => {
        const there = await this.exists(name);
        for (const [k, u] of this.uncertain) {
          if (u.name !== name) continue;
          this.uncertain.delete(k);
          if (there) this.owners.set(k, u.owner);
        }
      })().finally(() => this.checking.delete(name));
      this.checking.set(name, p);
    }
    return p;
  }
}
