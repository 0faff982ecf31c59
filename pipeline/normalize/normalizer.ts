import zlib from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { FiredrillError } from '../../core/index.ts';
import type { Topology } from '../../core/topology/index.ts';
import type { SourceName } from '../../core/index.ts';
import { CuratedChunkBuilder, keptGzip, timeRange, type CuratedChunk, type LineKey } from './curated-chunks.ts';
import { batchId, curatedKey, curatedTimeRange, keyStateKey, lineageOfLine, manifestKey, PartitionPrefixes, quarantineKey, rawObjectId, timeOfLine } from './layout.ts';
import { logGroupSources, normalizeObject, type FormatRegistry, type LogGroupLookup, type QuarantineEntry } from './normalize-object.ts';
import { PartitionKeys, type ClaimResult } from './partition-keys.ts';
import { curatedLines } from './curated-lines.ts';
import { isNotFound } from '../../core/aws/index.ts';

/** S3 failed in a way a retry of the notification may fix; the message goes back to the queue. */
export class NormalizeStoreError extends FiredrillError {}

/** What processing one raw object did, per source (`unknown` = not attributable). Stored in its batch's manifest. */
export interface ObjectMarker {
  rawId: string;
  bucket: string;
  key: string;
  etag: string;
  processedAt: number;
  landed: Record<string, number>;
  normalized: Record<string, number>;
  quarantined: Record<string, number>;
  duplicates: Record<string, number>;
  controlMessages: number;
}

export type ProcessStatus = 'processed' | 'already-processed' | 'missing';

/** One invocation's record of its raw objects (`_state/normalizer/batches/<id>.json`). */
export interface BatchManifest {
  batch: string;
  processedAt: number;
  objects: ObjectMarker[];
}

/** A raw object of a batch and what became of it: a status, or the error that sends its message back. */
export interface ObjectRef {
  bucket: string;
  key: string;
}
export type ObjectResult = { ref: ObjectRef; status: ProcessStatus; marker?: ObjectMarker } | { ref: ObjectRef; error: unknown };

export interface NormalizerDeps {
  s3: S3Client;
  topology: Topology;
  formats: FormatRegistry;
  /** Clock for manifests only (partitions come from event time). */
  now?: () => number;
  /**
   * Curated bytes the invocations in flight gather, together, before one writes its largest partition's share
   * (default 8 MiB). The normalizer's memory is bounded by this, not by how many events its raw objects hold.
   */
  batchBytes?: number;
  /**
   * De-duplication state held in memory (default STATE_BYTES): past it the least recently used idle slices are
   * persisted as state objects and dropped, and read back when touched again.
   */
  stateBytes?: number;
  /** Event time one slice of de-duplication state covers (default SLICE_MS); see PartitionKeys. */
  sliceMs?: number;
  /** Raw objects read at once across the invocations in flight (default 4). */
  readers?: number;
  /**
   * Finished raw objects remembered to answer a redelivered notification from memory (default 5,000: fifty full
   * batches, while SQS sends a notification again within minutes — its visibility timeout, a failed batch).
   */
  rememberObjects?: number;
}

// Level 1: curated objects are read once by the detector; on the hot path speed beats the last 15 % of size.
const gzip = (data: string | Uint8Array) => zlib.gzipSync(data, { level: 1 });
const srcKey = (s: SourceName | null) => s ?? 'unknown';
const inc = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

/** The default de-duplication state budget: see the README's normalizer section for the measurement behind it. */
export const STATE_BYTES = 8 * 1024 * 1024;
/** The default slice of event time per de-duplication state. */
export const SLICE_MS = 5 * 60_000;

/** The de-duplication state of one slice of a partition in memory: loading or loaded, pinned while a write uses it. */
interface Slice {
  id: string;
  partition: string;
  start: number;
  state: Promise<PartitionKeys>;
  loaded?: PartitionKeys;
  pins: number;
  /** The state's version its state object holds (0: what it was read as, or nothing yet). */
  persisted: number;
  evicting?: boolean;
}

/** A curated object found in a partition when this instance first touched it, and the event times its name declares. */
interface ForeignObject {
  key: string;
  range?: { min: number; max: number };
}

/** One raw object of a batch on its way: its counts, where its quarantine goes, and whether a write failed. */
interface Work {
  rawId: string;
  ref: ObjectRef;
  marker: ObjectMarker;
  quarantine: QuarantineEntry[];
  lastModified: number;
  failed?: unknown;
}

/**
 * The normalizer over S3, one invocation (an SQS batch of S3 notifications) at a time: reads the raw objects,
 * normalizes them, writes curated objects per partition shared by the batch's raw objects (each line with its
 * dedupeKey and raw object), the quarantine entries, and last one manifest with every raw object's counts. On an
 * emulator every request is the cost: a batch of ten raw objects in one partition is ten GETs and two PUTs, where
 * a write per raw object made it ten GETs and twenty PUTs — and the detector and the ledger read a tenth of the
 * objects. A partition's share is written as soon as the pending curated bytes pass `batchBytes`, so a
 * batch of large raw objects never waits in memory whole.
 *
 * Retries are safe: a raw object processed again finds its records already held under its own name (counted,
 * not written twice), and a redelivered notification is answered from memory by the same instance.
 */
export class Normalizer {
  private readonly groups: LogGroupLookup;
  /** De-duplication state per slice of a curated partition, least recently used first. */
  private readonly slices = new Map<string, Slice>();
  /** Per curated partition, the objects other instances wrote: a slice read back reads those it does not cover. */
  private readonly foreign = new Map<string, Promise<ForeignObject[]>>();
  private readonly sliceMs: number;
  private readonly bucket: string;
  /** One raw object at a time: a notification in two concurrent batches is processed by the first only. */
  private readonly objectLocks = new Map<string, Promise<void>>();
  /** Raw objects this instance has finished, with their ETag, oldest first: a redelivered notification is answered from here. */
  private readonly done = new Map<string, string>();
  private readonly batchBytes: number;
  /**
   * Raw objects read at once, across the invocations in flight: each holds its body until its curated bytes join
   * the pending partitions. Normalizing is synchronous, so more readers than this only hold more bodies waiting.
   */
  private readonly reads: ReturnType<typeof pLimit>;
  /** Curated bytes waiting in the batches in flight (they share the budget). */
  private pendingBytes = 0;
  private readonly stateBytes: number;
  private readonly rememberObjects: number;

  constructor(private readonly deps: NormalizerDeps) {
    this.groups = logGroupSources(deps.topology);
    this.bucket = deps.topology.pipeline.curatedBucket;
    this.batchBytes = deps.batchBytes ?? 8 * 1024 * 1024;
    this.stateBytes = deps.stateBytes ?? STATE_BYTES;
    this.sliceMs = deps.sliceMs ?? SLICE_MS;
    this.reads = pLimit(deps.readers ?? 4);
    this.rememberObjects = deps.rememberObjects ?? 5_000;
  }

  /** Processes a batch of raw objects; each gets its own result, so only failed ones go back to the queue. */
  async processBatch(refs: readonly ObjectRef[]): Promise<ObjectResult[]> {
    const unique = new Map<string, ObjectRef>();
    for (const r of refs) unique.set(rawObjectId(r.bucket, r.key), r);
    // Locks in a fixed order, so two batches sharing objects cannot wait for each other.
    const ids = [...unique.keys()].sort();
    const releases: (() => void)[] = [];
    for (const id of ids) releases.push(await this.lock(id));
    try {
      const results = await this.processLocked(ids.map((id) => ({ rawId: id, ref: unique.get(id)! })));
      return refs.map((r) => results.get(rawObjectId(r.bucket, r.key))!);
    } finally {
      for (const release of releases) release();
      await this.evictSlices();
    }
  }

  private async processLocked(items: { rawId: string; ref: ObjectRef }[]): Promise<Map<string, ObjectResult>> {
    const { curatedPrefix, quarantinePrefix } = this.deps.topology.pipeline;
    const results = new Map<string, ObjectResult>();
    const reads = this.reads;
    const limit = pLimit(8);
    const prefixes = new PartitionPrefixes(curatedPrefix);
    const work: Work[] = [];
    // Curated bytes waiting to be written, per partition and raw object (each object's share of a partition is
    // written whole, in one curated object: what makes a retried object's state one number per partition).
    const pending = new Map<string, Map<Work, CuratedChunk>>();
    const pendingSize = new Map<string, number>();
    const writes: Promise<void>[] = [];
    const take = (partition: string) => {
      const perObject = pending.get(partition)!;
      pending.delete(partition);
      this.pendingBytes -= pendingSize.get(partition)!;
      pendingSize.delete(partition);
      const write = limit(() => this.writePartition(partition, perObject));
      writes.push(write);
      return write;
    };

    await Promise.all(
      items.map(({ rawId, ref }) =>
        reads(async () => {
          try {
            const raw = await this.readRaw(ref);
            if (!raw) return results.set(rawId, { ref, status: 'missing' });
            if (this.done.get(rawId) === raw.etag) return results.set(rawId, { ref, status: 'already-processed' });
            // Records become curated lines as they are made: see CuratedChunkBuilder for why none waits as objects.
            const lines = new CuratedChunkBuilder(rawId, prefixes);
            const outcome = normalizeObject({ bucket: ref.bucket, key: ref.key, body: raw.body, etag: raw.etag }, this.deps, this.groups, (r) => lines.add(r));
            const marker: ObjectMarker = { rawId, bucket: ref.bucket, key: ref.key, etag: raw.etag, processedAt: 0, landed: {}, normalized: {}, quarantined: {}, duplicates: {}, controlMessages: outcome.controlMessages };
            for (const [s, n] of outcome.landed) inc(marker.landed, srcKey(s), n);
            for (const q of outcome.quarantine) inc(marker.quarantined, srcKey(q.source), q.events);
            const w: Work = { rawId, ref, marker, quarantine: outcome.quarantine, lastModified: raw.lastModified };
            work.push(w);
            for (const [partition, chunk] of lines.finish()) {
              let m = pending.get(partition);
              if (!m) pending.set(partition, (m = new Map()));
              m.set(w, chunk);
              pendingSize.set(partition, (pendingSize.get(partition) ?? 0) + chunk.bytes);
              this.pendingBytes += chunk.bytes;
            }
            // Past the budget, the largest partitions go out now; this reader waits for them (backpressure).
            const flushing: Promise<void>[] = [];
            while (this.pendingBytes > this.batchBytes && pending.size > 0) {
              const largest = [...pendingSize].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
              flushing.push(take(largest));
            }
            await Promise.all(flushing);
          } catch (err) {
            results.set(rawId, { ref, error: err });
          }
          return undefined;
        }),
      ),
    );
    for (const partition of [...pending.keys()]) take(partition);
    await Promise.all(writes);

    // Quarantine entries per raw object (rare; named after it, so a retry rewrites them).
    await Promise.all(
      work.map((w) =>
        limit(async () => {
          if (w.failed || w.quarantine.length === 0) return;
          const byObject = new Map<string, QuarantineEntry[]>();
          for (const q of w.quarantine) {
            const k = quarantineKey(quarantinePrefix, q.source, w.lastModified, w.rawId);
            const list = byObject.get(k) ?? [];
            list.push(q);
            byObject.set(k, list);
          }
          try {
            for (const [k, entries] of byObject) await this.put(k, gzip(entries.map((e) => `${JSON.stringify(e)}\n`).join('')));
          } catch (err) {
            w.failed = err;
          }
        }),
      ),
    );

    const ok = work.filter((w) => !w.failed);
    if (ok.length > 0) {
      const processedAt = this.deps.now?.() ?? Date.now();
      for (const w of ok) w.marker.processedAt = processedAt;
      const id = batchId(ok.map((w) => `${w.rawId}:${w.marker.etag}`));
      const manifest: BatchManifest = { batch: id, processedAt, objects: ok.map((w) => w.marker) };
      try {
        await this.put(manifestKey(id, processedAt), JSON.stringify(manifest));
        for (const w of ok) {
          this.remember(w.marker);
          results.set(w.rawId, { ref: w.ref, status: 'processed', marker: w.marker });
        }
      } catch (err) {
        for (const w of ok) w.failed = err;
      }
    }
    for (const w of work) if (w.failed) results.set(w.rawId, { ref: w.ref, error: w.failed });
    return results;
  }

  /**
   * Writes the new records of one partition's pending share as one curated object; each line is checked against
   * the keys its slice of the partition holds. Counted only once the data is safe; a failure leaves its objects to
   * be retried whole.
   */
  private async writePartition(partition: string, perObject: Map<Work, CuratedChunk>): Promise<void> {
    const owners = [...perObject.keys()];
    const bySlice = new Map<number, Map<Work, LineKey[]>>();
    for (const w of owners) {
      for (const k of perObject.get(w)!.keys) {
        const start = Math.floor(k.time / this.sliceMs) * this.sliceMs;
        let m = bySlice.get(start);
        if (!m) bySlice.set(start, (m = new Map()));
        let keys = m.get(w);
        if (!keys) m.set(w, (keys = []));
        keys.push(k);
      }
    }
    const slices = [...bySlice.keys()].sort((a, b) => a - b).map((start) => this.pinSlice(partition, start));
    const claimed: { state: PartitionKeys; claims: [Work, ClaimResult<LineKey>][] }[] = [];
    try {
      const states = await Promise.all(slices.map((sl) => sl.state));
      // Slice by slice in time order: a batch that waits for another's claim holds claims only in earlier slices,
      // so two batches never wait for each other.
      for (const [i, sl] of slices.entries()) {
        const objects = [...bySlice.get(sl.start)!];
        const results = await states[i]!.claim(objects.map(([w, records]) => ({ rawId: w.rawId, records })));
        claimed.push({ state: states[i]!, claims: objects.map(([w], j) => [w, results[j]!]) });
      }
      const total = new Map<Work, ClaimResult<LineKey>>(owners.map((w) => [w, { fresh: [], landed: 0, duplicates: 0 }]));
      for (const { claims } of claimed) {
        for (const [w, c] of claims) {
          const t = total.get(w)!;
          t.fresh.push(...c.fresh);
          t.landed += c.landed;
          t.duplicates += c.duplicates;
        }
      }
      const fresh = [...total].filter(([, c]) => c.fresh.length > 0);
      const count = () => {
        for (const [w, c] of total) {
          const source = perObject.get(w)!.source;
          inc(w.marker.duplicates, source, c.duplicates);
          inc(w.marker.normalized, source, c.landed + c.fresh.length);
        }
      };
      if (fresh.length === 0) return count();
      const name = curatedKey(partition, batchId(fresh.map(([w]) => `${w.rawId}:${w.marker.etag}`)), timeRange(fresh.map(([w, c]) => [perObject.get(w)!, c.fresh] as const)));
      // The objects' gzip members one after the other: one gzip file, never inflated here.
      const body = Buffer.concat(fresh.map(([w, c]) => keptGzip(perObject.get(w)!, c.fresh)));
      // A write whose answer was lost may have landed: asked at once, while the object cannot have been pruned yet.
      // Only when that question fails too do its keys stay uncertain until the next claim that meets them.
      let failure: unknown;
      let outcome: 'landed' | 'absent' | 'unknown' = 'landed';
      try {
        await this.put(name, body);
      } catch (err) {
        const there = await this.exists(name).catch(() => undefined);
        outcome = there === true ? 'landed' : there === false ? 'absent' : 'unknown';
        if (outcome !== 'landed') failure = err;
      }
      for (const { state, claims } of claimed.splice(0)) {
        for (const [w, c] of claims) {
          if (outcome === 'absent') state.abandon(w.rawId, c.fresh);
          else state.release(w.rawId, c.fresh, { landed: outcome === 'landed', name });
        }
      }
      if (failure !== undefined) throw failure;
      count();
    } catch (err) {
      // Claims taken before a failure that wrote nothing (a slice that could not be read, an existence check that
      // failed): the records are free again.
      for (const { state, claims } of claimed) for (const [w, c] of claims) state.abandon(w.rawId, c.fresh);
      for (const w of owners) w.failed ??= err;
    } finally {
      for (const sl of slices) sl.pins--;
    }
  }

  /**
   * Remembers a finished raw object by its ETag, forgetting the oldest past `rememberObjects`: one forgotten is read
   * and normalized again, and its slices' line counts settle it without a write. Only the ETag: the whole marker,
   * kept for 20,000 objects, was 15 MB of the normalizer's heap.
   */
  private remember(marker: ObjectMarker): void {
    this.done.delete(marker.rawId);
    this.done.set(marker.rawId, marker.etag);
    if (this.done.size > this.rememberObjects) this.done.delete(this.done.keys().next().value!);
  }

  /**
   * Persists and drops the least recently used idle slices while the state is over its budget. A slice touched
   * while its state object was being written stays (what it holds changed; it is written again next time).
   */
  private async evictSlices(): Promise<void> {
    let total = 0;
    for (const sl of this.slices.values()) total += sl.loaded?.size.bytes ?? 0;
    for (const sl of [...this.slices.values()]) {
      if (total <= this.stateBytes) break;
      const state = sl.loaded;
      if (!state || sl.pins > 0 || sl.evicting || !state.idle) continue;
      const version = state.version;
      const bytes = state.size.bytes;
      sl.evicting = true;
      try {
        if (sl.persisted !== version) await this.put(keyStateKey(sl.partition, sl.start), state.toBytes());
        sl.persisted = version;
      } catch {
        // Kept in memory (over the budget) and tried again after the next batch: never dropped unsaved.
        continue;
      } finally {
        sl.evicting = false;
      }
      if (this.slices.get(sl.id) === sl && sl.pins === 0 && state.idle && state.version === version) {
        this.slices.delete(sl.id);
        total -= bytes;
      }
    }
  }

  private async readRaw(ref: ObjectRef): Promise<{ etag: string; body: Uint8Array; lastModified: number } | undefined> {
    const { bucket, key } = ref;
    let raw;
    try {
      raw = await this.deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new NormalizeStoreError(`cannot read s3://${bucket}/${key}`, { expected: 'GetObject to succeed', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
    // Read the body before any other await: an unread response stream has no error listener, so a connection
    // dropped meanwhile would surface as an uncaught 'aborted' error instead of a retried message.
    try {
      const body = raw.Body ? await raw.Body.transformToByteArray() : new Uint8Array();
      return { etag: raw.ETag ?? '', body, lastModified: raw.LastModified?.getTime() ?? 0 };
    } catch (err) {
      throw new NormalizeStoreError(`cannot read s3://${bucket}/${key}`, { expected: 'the object body to arrive whole', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
  }

  /** Waits for the raw object's lock and returns its release. */
  private async lock(key: string): Promise<() => void> {
    const prev = this.objectLocks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.objectLocks.set(key, tail);
    await prev;
    return () => {
      release();
      if (this.objectLocks.get(key) === tail) this.objectLocks.delete(key);
    };
  }

  /** The slice's state (loaded once, then from memory until it is dropped), pinned until the caller unpins it. */
  private pinSlice(partition: string, start: number): Slice {
    const id = `${partition}${start}`;
    let sl = this.slices.get(id);
    if (sl) {
      // Most recently used last: eviction walks from the front.
      this.slices.delete(id);
    } else {
      const slice: Slice = { id, partition, start, pins: 0, persisted: 0, state: this.loadSlice(partition, start) };
      slice.state.then(
        (state) => (slice.loaded = state),
        // A failed load is not kept: the next batch (or the retry) reads again.
        () => this.slices.get(id) === slice && this.slices.delete(id),
      );
      sl = slice;
    }
    this.slices.set(id, sl);
    sl.pins++;
    return sl;
  }

  /**
   * A slice's state: its state object, if an earlier drop persisted one, plus the records in this slice of any
   * curated object another instance wrote that the state does not cover (an instance that stopped before it
   * persisted). Never the curated objects this instance wrote or the state covers: those may be pruned already.
   */
  private async loadSlice(partition: string, start: number): Promise<PartitionKeys> {
    const exists = (name: string) => this.exists(name);
    const [foreign, stored] = await Promise.all([this.foreignObjects(partition), this.readState(keyStateKey(partition, start))]);
    const state = stored ? PartitionKeys.fromBytes(stored, exists) : new PartitionKeys(exists);
    const end = start + this.sliceMs;
    const unread = foreign.filter((o) => !state.covers(o.key) && (!o.range || (o.range.max >= start && o.range.min < end)));
    const limit = pLimit(8);
    await Promise.all(
      unread.map((o) =>
        limit(async () => {
          const entries: [string, string][] = [];
          await this.scanObject(o.key, (line) => {
            const t = timeOfLine(line);
            const l = t !== undefined && t >= start && t < end ? lineageOfLine(line) : undefined;
            if (l) entries.push([l.dedupeKey, l.rawObject]);
          });
          state.load(entries, o.key);
        }),
      ),
    );
    return state;
  }

  /** The curated objects of a partition when this instance first touched it: all written by someone else. */
  private foreignObjects(partition: string): Promise<ForeignObject[]> {
    let p = this.foreign.get(partition);
    if (!p) {
      p = this.listPartition(partition);
      p.catch(() => this.foreign.get(partition) === p && this.foreign.delete(partition));
      this.foreign.set(partition, p);
    }
    return p;
  }

  private async listPartition(prefix: string): Promise<ForeignObject[]> {
    const found: ForeignObject[] = [];
    try {
      for await (const page of paginateListObjectsV2({ client: this.deps.s3 }, { Bucket: this.bucket, Prefix: prefix })) {
        for (const o of page.Contents ?? []) {
          if (!o.Key?.endsWith('.ndjson.gz')) continue;
          const range = curatedTimeRange(o.Key);
          found.push(range ? { key: o.Key, range } : { key: o.Key });
        }
      }
    } catch (err) {
      throw new NormalizeStoreError(`cannot list the curated partition ${prefix}`, { expected: 'ListObjectsV2 to succeed', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
    return found;
  }

  /** A slice's state object, or undefined when none was persisted. */
  private async readState(key: string): Promise<Uint8Array | undefined> {
    try {
      const res = await this.deps.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new NormalizeStoreError(`cannot read the normalizer state s3://${this.bucket}/${key}`, { expected: 'GetObject to succeed', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
  }

  /** Every line of one curated object, streamed. */
  private async scanObject(key: string, each: (line: string) => void): Promise<void> {
    let body: Uint8Array;
    try {
      const res = await this.deps.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      body = await res.Body!.transformToByteArray();
    } catch (err) {
      // Removed since the listing (a pruner on an emulator): nothing left to read. Failing instead would fail the
      // batch on every retry. Only an instance that stopped without persisting its state, on a target that prunes,
      // loses keys this way; on AWS nothing prunes curated objects.
      if (isNotFound(err)) return;
      throw new NormalizeStoreError(`cannot read the curated object ${key}`, { expected: 'GetObject to succeed', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
    for await (const line of curatedLines(body)) each(line);
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.deps.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw new NormalizeStoreError(`cannot tell whether s3://${this.bucket}/${key} exists`, { expected: 'HeadObject to answer', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
  }

  private async put(key: string, body: Uint8Array | string): Promise<void> {
    try {
      await this.deps.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
    } catch (err) {
      throw new NormalizeStoreError(`cannot write s3://${this.bucket}/${key}`, { expected: 'PutObject to succeed', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
  }
}
