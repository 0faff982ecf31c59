import { KEY_BYTES, KeySet } from './key-set.ts';

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

/** What a slice's state object holds besides its keys (see PartitionKeys.toBytes). */
interface StateHeader {
  v: 1;
  /** Per raw object, how many of its lines the slice holds. */
  lines: [rawId: string, lines: number][];
  /** The curated objects (their keys) whose lines of this slice the keys include. */
  covered: string[];
  keys: number;
}

/**
 * What one time slice of a curated partition holds: the normalizer's de-duplication state, about 16 to 46 bytes per
 * record (an exact 128-bit key in a hash table) plus one entry per raw object and per curated object written.
 *
 * Why slices of a partition rather than the partition: every delivery of one event carries the same event, so
 * its records share their time and meet in the same slice; a slice of a few minutes is all a batch has to load,
 * and slices the drill has moved past are persisted and dropped while their hour is still being written. The
 * state is bounded by the normalizer's budget, not by how many events an hour holds.
 *
 * - Per raw object, how many of its lines the slice holds. A raw object's lines for a partition are written in
 *   one curated object, so a retried or redelivered raw object is settled by that one number: what it holds
 *   landed earlier, the rest of its records were duplicates then and are now.
 * - Every key the slice holds, exactly: a key held is a delivery already normalized (the same CloudWatch Logs
 *   event delivered again); content-identical records have different keys and are never dropped.
 * - The curated objects whose lines it includes, so a state read back after other writes knows which curated
 *   objects it still has to read.
 *
 * Raw objects of one partition are processed side by side. Deciding which records are new is synchronous
 * (claim), so two raw objects never both keep the same event; the write is not, so a key stays *claimed* until its
 * write is over. A write that succeeded adds its keys. A write that failed may still have landed (a lost answer):
 * its keys become *uncertain*, tied to the object name, and the next claim that meets them asks whether that object
 * exists before deciding — never a duplicate in curated data, never a lost record.
 */
export class PartitionKeys {
  private readonly keys = new KeySet();
  private readonly linesOf = new Map<string, number>();
  private readonly covered = new Set<string>();
  private readonly claims = new Map<string, Claim>();
  /** Failed writes by object name: the keys of each raw object the write carried. */
  private readonly uncertainWrites = new Map<string, Map<string, string[]>>();
  private readonly uncertainKeys = new Map<string, string>();
  private readonly settle = new Map<string, () => void>();
  private readonly checking = new Map<string, Promise<void>>();
  private changes = 0;

  constructor(private readonly exists: ObjectExists) {}

  /** Keys a curated object already holds, with the raw object each came from; `name` is then covered. */
  load(entries: Iterable<readonly [key: string, owner: string]>, name?: string): void {
    for (const [k, owner] of entries) this.hold(k, owner);
    if (name !== undefined) this.cover(name);
  }

  /** Records held, and an estimate of the bytes this state takes (the normalizer's budget counts it). */
  get size(): { keys: number; bytes: number } {
    return { keys: this.keys.size, bytes: this.keys.bytes + (this.linesOf.size + this.covered.size) * 100 };
  }

  /** Grows with every change to what is held: a state persisted at one version and unchanged since can be dropped. */
  get version(): number {
    return this.changes;
  }

  /** Whether the curated object `name` (its key) is already in this state. */
  covers(name: string): boolean {
    return this.covered.has(name);
  }

  /** No claim, write or answer is pending: the state can be persisted, dropped and read again later. */
  get idle(): boolean {
    return this.claims.size === 0 && this.uncertainWrites.size === 0 && this.checking.size === 0;
  }

  /**
   * The state as one object: a JSON header line (raw objects' line counts, curated objects covered, key count),
   * then the keys, 16 bytes each. Only an idle state is complete (claims and uncertain writes are not kept).
   */
  toBytes(): Uint8Array {
    const header: StateHeader = { v: 1, lines: [...this.linesOf], covered: [...this.covered], keys: this.keys.size };
    return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), this.keys.toBytes()]);
  }

  /** A state read back from toBytes() output. */
  static fromBytes(bytes: Uint8Array, exists: ObjectExists): PartitionKeys {
    const nl = bytes.indexOf(10);
    const header = (nl < 0 ? undefined : JSON.parse(Buffer.from(bytes.subarray(0, nl)).toString('utf8'))) as StateHeader | undefined;
    const body = bytes.subarray(nl + 1);
    if (header?.v !== 1 || body.byteLength !== header.keys * KEY_BYTES) {
      throw new Error(`not a normalizer state object: expected a version-1 header line and ${header?.keys ?? '?'} keys of ${KEY_BYTES} bytes, saw ${bytes.byteLength} bytes`);
    }
    const state = new PartitionKeys(exists);
    state.keys.addBytes(body);
    for (const [rawId, n] of header.lines) state.linesOf.set(rawId, n);
    for (const name of header.covered) state.covered.add(name);
    return state;
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
      const taken = new Set<string>();
      const results = objects.map(({ rawId, records }) => {
        const out: ClaimResult<R> = { fresh: [], landed: 0, duplicates: 0 };
        for (const [name, w] of this.uncertainWrites) if (w.has(rawId)) unsure.add(name);
        const lines = this.linesOf.get(rawId);
        // A raw object seen here before whose every key the slice holds: its lines landed, the rest were duplicates.
        if (lines !== undefined && records.every((r) => this.keys.has(r.dedupeKey))) {
          return { fresh: [], landed: lines, duplicates: records.length - lines };
        }
        let held = 0;
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
          if (this.keys.has(k)) held++;
          else out.fresh.push(r);
        }
        // Held keys are this object's own lines (landed before) up to its line count, the rest another object's. A
        // raw object is never rewritten with other content (Firehose and S3 log delivery name every object anew),
        // so a seen object with keys not held yet — new records under an old name — is the only case this counts
        // without knowing each key's owner.
        out.landed = Math.min(lines ?? 0, held);
        out.duplicates += held - out.landed;
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
   * Ends `rawId`'s claim on its fresh records. `landed`: the keys are held now, in the curated object `name`.
   * Otherwise `name` is the object the failed write was meant to create: until someone checks whether it exists,
   * its keys are uncertain.
   */
  release(rawId: string, fresh: readonly Keyed[], outcome: { landed: boolean; name: string }): void {
    for (const r of fresh) if (this.claims.get(r.dedupeKey)?.owner === rawId) this.claims.delete(r.dedupeKey);
    if (outcome.landed) {
      for (const r of fresh) this.hold(r.dedupeKey, rawId);
      if (fresh.length > 0) this.cover(outcome.name);
    } else if (fresh.length > 0) {
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

  /** Ends `rawId`'s claim without a write (it failed before writing): its records are free again. */
  abandon(rawId: string, fresh: readonly Keyed[]): void {
    for (const r of fresh) if (this.claims.get(r.dedupeKey)?.owner === rawId) this.claims.delete(r.dedupeKey);
    this.settle.get(rawId)?.();
    this.settle.delete(rawId);
  }

  private hold(key: string, owner: string): void {
    if (!this.keys.add(key)) return;
    this.linesOf.set(owner, (this.linesOf.get(owner) ?? 0) + 1);
    this.changes++;
  }

  private cover(name: string): void {
    if (this.covered.has(name)) return;
    this.covered.add(name);
    this.changes++;
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
        if (there) this.cover(name);
      })().finally(() => this.checking.delete(name));
      this.checking.set(name, p);
    }
    return p;
  }
}
