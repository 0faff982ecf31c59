import zlib from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { FiredrillError } from '../../core/index.ts';
import type { Topology } from '../../core/topology/index.ts';
import type { SourceName } from '../../core/index.ts';
import { curatedChunks, keptBytes, timeRange, type CuratedChunk, type LineKey } from './curated-chunks.ts';
import { batchId, curatedKey, lineageOfLine, manifestKey, PartitionPrefixes, quarantineKey, rawObjectId } from './layout.ts';
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
   * De-duplication state held for recently written partitions (default 64 MiB, about 3 million records): past it the
   * least recently used idle partitions are dropped, and read again from their curated objects when touched.
   */
  stateBytes?: number;
  /** Finished raw objects remembered to answer a redelivered notification from memory (default 20,000). */
  rememberObjects?: number;
}

// Level 1: curated objects are read once by the detector; on the hot path speed beats the last 15 % of size.
const gzip = (data: string | Uint8Array) => zlib.gzipSync(data, { level: 1 });
const srcKey = (s: SourceName | null) => s ?? 'unknown';
const inc = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

/** Partitions whose state has loaded (eviction only weighs those). */
const settled = new WeakMap<Promise<PartitionKeys>, PartitionKeys>();


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
  /** Per curated partition: what it holds, loaded once per instance and dropped least recently used first. */
  private readonly partitions = new Map<string, Promise<PartitionKeys>>();
  private readonly partitionsInUse = new Map<string, number>();
  private readonly bucket: string;
  /** One raw object at a time: a notification in two concurrent batches is processed by the first only. */
  private readonly objectLocks = new Map<string, Promise<void>>();
  /** Raw objects this instance has finished, with their ETag, oldest first: a redelivered notification is answered from here. */
  private readonly done = new Map<string, ObjectMarker>();
  private readonly batchBytes: number;
  /** Curated bytes waiting in the batches in flight (they share the budget). */
  private pendingBytes = 0;
  private readonly stateBytes: number;
  private readonly rememberObjects: number;

  constructor(private readonly deps: NormalizerDeps) {
    this.groups = logGroupSources(deps.topology);
    this.bucket = deps.topology.pipeline.curatedBucket;
    this.batchBytes = deps.batchBytes ?? 8 * 1024 * 1024;
    this.stateBytes = deps.stateBytes ?? 64 * 1024 * 1024;
    this.rememberObjects = deps.rememberObjects ?? 20_000;
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
      this.evictPartitions();
    }
  }

  private async processLocked(items: { rawId: string; ref: ObjectRef }[]): Promise<Map<string, ObjectResult>> {
    const { curatedPrefix, quarantinePrefix } = this.deps.topology.pipeline;
    const results = new Map<string, ObjectResult>();
    // Raw objects read at once; each holds its body and its curated bytes until they join the pending partitions.
    const reads = pLimit(4);
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
            const previous = this.done.get(rawId);
            if (previous && previous.etag === raw.etag) return results.set(rawId, { ref, status: 'already-processed', marker: previous });
            const outcome = normalizeObject({ bucket: ref.bucket, key: ref.key, body: raw.body, etag: raw.etag }, this.deps, this.groups);
            const marker: ObjectMarker = { rawId, bucket: ref.bucket, key: ref.key, etag: raw.etag, processedAt: 0, landed: {}, normalized: {}, quarantined: {}, duplicates: {}, controlMessages: outcome.controlMessages };
            for (const [s, n] of outcome.landed) inc(marker.landed, srcKey(s), n);
            for (const q of outcome.quarantine) inc(marker.quarantined, srcKey(q.source), q.events);
            const w: Work = { rawId, ref, marker, quarantine: outcome.quarantine, lastModified: raw.lastModified };
            work.push(w);
            // Lines now, records dropped: see curatedChunks for why nothing waits in memory as objects.
            for (const [partition, chunk] of curatedChunks(rawId, outcome.records, prefixes)) {
              let m = pending.get(partition);
              if (!m) pending.set(partition, (m = new Map()));
              m.set(w, chunk);
              pendingSize.set(partition, (pendingSize.get(partition) ?? 0) + chunk.bytes.length);
              this.pendingBytes += chunk.bytes.length;
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
   * the keys the partition holds. Counted only once the data is safe; a failure leaves its objects to be retried whole.
   */
  private async writePartition(partition: string, perObject: Map<Work, CuratedChunk>): Promise<void> {
    const owners = [...perObject.keys()];
    this.partitionsInUse.set(partition, (this.partitionsInUse.get(partition) ?? 0) + 1);
    try {
      const keys = await this.partitionKeys(partition);
      const claimed = await keys.claim(owners.map((w) => ({ rawId: w.rawId, records: perObject.get(w)!.keys })));
      const counts: [Work, ClaimResult<LineKey>][] = owners.map((w, i) => [w, claimed[i]!]);
      const fresh = counts.filter(([, c]) => c.fresh.length > 0);
      const count = () => {
        for (const [w, c] of counts) {
          const source = perObject.get(w)!.source;
          inc(w.marker.duplicates, source, c.duplicates);
          inc(w.marker.normalized, source, c.landed + c.fresh.length);
        }
      };
      if (fresh.length === 0) return count();
      const name = curatedKey(partition, batchId(fresh.map(([w]) => `${w.rawId}:${w.marker.etag}`)), timeRange(fresh.map(([w, c]) => [perObject.get(w)!, c.fresh] as const)));
      const body = Buffer.concat(fresh.map(([w, c]) => keptBytes(perObject.get(w)!, c.fresh)));
      try {
        await this.put(name, gzip(body));
      } catch (err) {
        for (const [w, c] of fresh) keys.release(w.rawId, c.fresh, { landed: false, name });
        throw err;
      }
      for (const [w, c] of fresh) keys.release(w.rawId, c.fresh, { landed: true });
      count();
    } catch (err) {
      for (const w of owners) w.failed ??= err;
    } finally {
      this.partitionsInUse.set(partition, this.partitionsInUse.get(partition)! - 1);
      if (this.partitionsInUse.get(partition) === 0) this.partitionsInUse.delete(partition);
    }
  }

  /** Remembers a finished raw object, forgetting the oldest past `rememberObjects` (they are then read again). */
  private remember(marker: ObjectMarker): void {
    this.done.delete(marker.rawId);
    this.done.set(marker.rawId, marker);
    if (this.done.size > this.rememberObjects) this.done.delete(this.done.keys().next().value!);
  }

  /** Drops the least recently used idle partitions while the state is over its budget. */
  private evictPartitions(): void {
    const sizes: [string, number][] = [];
    let total = 0;
    for (const [prefix, p] of this.partitions) {
      const keys = settled.get(p);
      if (!keys) continue;
      const { bytes } = keys.size;
      total += bytes;
      sizes.push([prefix, bytes]);
    }
    for (const [prefix, bytes] of sizes) {
      if (total <= this.stateBytes) break;
      const keys = settled.get(this.partitions.get(prefix)!);
      if (this.partitionsInUse.has(prefix) || !keys?.idle) continue;
      this.partitions.delete(prefix);
      total -= bytes;
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

  /**
   * What the partition holds, from one listing of its curated objects per instance. One instance per queue
   * (Lambda: MaximumConcurrency / reserved concurrency 1): after that listing, every later object of the
   * partition is one this instance wrote and already recorded, so listing again — a call whose cost grows with
   * the partition — buys nothing. A partition dropped for the memory budget is listed again when touched.
   */
  private partitionKeys(prefix: string): Promise<PartitionKeys> {
    let p = this.partitions.get(prefix);
    if (p) {
      // Most recently used last: eviction walks from the front.
      this.partitions.delete(prefix);
      this.partitions.set(prefix, p);
      return p;
    }
    p = this.loadPartitionKeys(prefix);
    p.then(
      (keys) => settled.set(p!, keys),
      // A failed load is not cached: the next batch (or the retry) lists again.
      () => this.partitions.get(prefix) === p && this.partitions.delete(prefix),
    );
    this.partitions.set(prefix, p);
    return p;
  }

  private async loadPartitionKeys(prefix: string): Promise<PartitionKeys> {
    const keys = new PartitionKeys(
      (name) => this.exists(name),
      async (wanted) => {
        const found = new Map<string, string>();
        await this.scanPartition(prefix, (key, owner) => wanted.has(key) && found.set(key, owner));
        return found;
      },
    );
    await this.scanPartition(prefix, (key, owner) => keys.load([[key, owner]]));
    return keys;
  }

  /** Every (dedupeKey, raw object) the partition's curated objects hold, read from the head of each line. */
  private async scanPartition(prefix: string, each: (key: string, owner: string) => unknown): Promise<void> {
    const files: string[] = [];
    try {
      for await (const page of paginateListObjectsV2({ client: this.deps.s3 }, { Bucket: this.bucket, Prefix: prefix })) {
        for (const o of page.Contents ?? []) if (o.Key?.endsWith('.ndjson.gz')) files.push(o.Key);
      }
    } catch (err) {
      throw new NormalizeStoreError(`cannot list the curated partition ${prefix}`, { expected: 'ListObjectsV2 to succeed', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
    const limit = pLimit(8);
    await Promise.all(
      files.map((f) =>
        limit(async () => {
          let body: Uint8Array;
          try {
            const res = await this.deps.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: f }));
            body = await res.Body!.transformToByteArray();
          } catch (err) {
            throw new NormalizeStoreError(`cannot read the curated object ${f}`, { expected: 'GetObject to succeed', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
          }
          // Streamed, as the detector reads them: a partition's objects are read eight at a time.
          for await (const line of curatedLines(body)) {
            const l = lineageOfLine(line);
            if (l) each(l.dedupeKey, l.rawObject);
          }
        }),
      ),
    );
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
