import { FingerprintSet } from './fingerprint-set.ts';

/** All a claim needs of a record: the key that identifies its delivery. */
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
 * Which of these keys the partition's curated data holds, and under which raw object: the exact answer, read from
 * the curated objects themselves, asked only when a key's fingerprint is already in the partition.
 */
export type HeldKeys = (keys: ReadonlySet<string>) => Promise<Map<string, string>>;

/**
 * What one curated partition holds: the de-duplication state of the normalizer, kept small enough to hold for as
 * long as the partition is being written (about 16 to 21 bytes per record, plus one entry per raw object).
 *
 * - Per raw object, how many of its lines the partition holds. A raw object's lines for a partition are written in
 *   one curated object, so a retried or redelivered raw object is settled by that one number: what it holds
 *   landed earlier, the rest of its records were duplicates then and are now.
 * - A 64-bit fingerprint of every key the partition holds. A key from another raw object whose fingerprint is
 *   there (the same CloudWatch Logs event delivered twice, or a fingerprint collision) is looked up exactly
 *   before it is dropped: content-identical records have different keys and are never dropped.
 *
 * Raw objects of one partition are processed side by side. Deciding which records are new is synchronous
 * (claim), so two raw objects never both keep the same event; the write is not, so a key stays *claimed* until its
 * write is over. A write that succeeded adds its keys. A write that failed may still have landed (a lost answer):
 * its keys become *uncertain*, tied to the object name, and the next claim that meets them asks whether that object
 * exists before deciding — never a duplicate in curated data, never a lost record.
 */
export class PartitionKeys {
  private readonly fingerprints = new FingerprintSet();
  private readonly linesOf = new Map<string, number>();
  private readonly claims = new Map<string, Claim>();
  /** Failed writes by object name: the keys of each raw object the write carried. */
  private readonly uncertainWrites = new Map<string, Map<string, string[]>>();
  private readonly uncertainKeys = new Map<string, string>();
  /** Exact answers about fingerprint hits (true duplicates are rare, so this stays small). */
  private readonly exact = new Map<string, string | null>();
  private readonly settle = new Map<string, () => void>();
  private readonly checking = new Map<string, Promise<void>>();

  constructor(
    private readonly exists: ObjectExists,
    private readonly held: HeldKeys,
  ) {}

  /** Keys a curated object already holds, with the raw object each came from. */
  load(entries: Iterable<readonly [key: string, owner: string]>): void {
    for (const [k, owner] of entries) this.hold(k, owner);
  }

  /** Records held, and an estimate of the bytes this state takes (the normalizer's budget counts it). */
  get size(): { keys: number; bytes: number } {
    return { keys: this.fingerprints.size, bytes: this.fingerprints.bytes + this.linesOf.size * 100 };
  }

  /** No claim, write or answer is pending: the state can be dropped and read again later. */
  get idle(): boolean {
    return this.claims.size === 0 && this.uncertainWrites.size === 0 && this.checking.size === 0;
  }

  /**
   * Sorts each raw object's records into fresh (now claimed for it), landed earlier by itself, and duplicates —
   * for all objects of a batch at once: a claim either takes everything it keeps or, when it must wait for
   * another write or an answer, takes nothing and waits, so two batches can never wait for each other.
   */
  async claim<R extends Keyed>(objects: readonly { rawId: string; records: readonly R[] }[]): Promise<ClaimResult<R>[]> {
    for (;;) {
      const waits = new Set<Promise<void>>();
      const unsure = new Set<string>();
      const ask = new Set<string>();
      const taken = new Set<string>();
      const results = objects.map(({ rawId, records }) => {
        const out: ClaimResult<R> = { fresh: [], landed: 0, duplicates: 0 };
        for (const [name, w] of this.uncertainWrites) if (w.has(rawId)) unsure.add(name);
        const lines = this.linesOf.get(rawId);
        // A raw object seen here before whose every key the partition holds: its lines landed, the rest were duplicates.
        if (lines !== undefined && records.every((r) => this.fingerprints.has(r.dedupeKey))) {
          return { fresh: [], landed: lines, duplicates: records.length - lines };
        }
        for (const r of records) {
          const k = r.dedupeKey;
          if (taken.has(k)) {
            out.duplicates++;
            continue;
          }
          taken.add(k);
          const u = this.uncertainKeys.get(k);
          if (u !== undefined) {
            unsure.add(u);
            continue;
          }
          const claim = this.claims.get(k);
          if (claim) {
            waits.add(claim.done);
            continue;
          }
          if (!this.fingerprints.has(k)) {
            out.fresh.push(r);
            continue;
          }
          const owner = this.exact.get(k);
          if (owner === undefined) ask.add(k);
          else if (owner === null) out.fresh.push(r);
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
      if (ask.size > 0) {
        const owners = await this.held(ask);
        for (const k of ask) this.exact.set(k, owners.get(k) ?? null);
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
   * Ends `rawId`'s claim. `landed`: the keys are held now. Otherwise `name` is the object the failed write was
   * meant to create: until someone checks whether it exists, its keys are uncertain.
   */
  release(rawId: string, fresh: readonly Keyed[], outcome: { landed: true } | { landed: false; name: string }): void {
    for (const r of fresh) if (this.claims.get(r.dedupeKey)?.owner === rawId) this.claims.delete(r.dedupeKey);
    if (outcome.landed) {
      for (const r of fresh) this.hold(r.dedupeKey, rawId);
    } else {
      let w = this.uncertainWrites.get(outcome.name);
      if (!w) this.uncertainWrites.set(outcome.name, (w = new Map()));
      const keys = w.get(rawId) ?? [];
      for (const r of fresh) {
        keys.push(r.dedupeKey);
        this.uncertainKeys.set(r.dedupeKey, outcome.name);
      }
      w.set(rawId, keys);
    }
    this.settle.get(rawId)?.();
    this.settle.delete(rawId);
  }

  private hold(key: string, owner: string): void {
    this.fingerprints.add(key);
    this.linesOf.set(owner, (this.linesOf.get(owner) ?? 0) + 1);
    // A key answered "not held" earlier is held now.
    if (this.exact.has(key)) this.exact.set(key, owner);
  }

  private settleUncertain(name: string): Promise<void> {
    let p = this.checking.get(name);
    if (!p) {
      p = (async () => {
        const there = await this.exists(name);
        const w = this.uncertainWrites.get(name);
        if (!w) return;
        this.uncertainWrites.delete(name);
        for (const [owner, keys] of w) {
          for (const k of keys) {
            if (this.uncertainKeys.get(k) === name) this.uncertainKeys.delete(k);
            if (there) this.hold(k, owner);
          }
        }
      })().finally(() => this.checking.delete(name));
      this.checking.set(name, p);
    }
    return p;
  }
}
