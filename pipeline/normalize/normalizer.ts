import zlib from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { FiredrillError } from '../../core/index.ts';
import type { Topology } from '../../core/topology/index.ts';
import type { SourceName } from '../../core/index.ts';
import { curatedChunks, keptBytes, type CuratedChunk, type LineKey } from './curated-chunks.ts';
import { batchId, curatedKey, lineageOfLine, manifestKey, PartitionPrefixes, quarantineKey, rawObjectId } from './layout.ts';
import { logGroupSources, normalizeObject, type FormatRegistry, type LogGroupLookup, type QuarantineEntry } from './normalize-object.ts';
import { PartitionKeys, type ClaimResult } from './partition-keys.ts';

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
}

// Level 1: curated objects are read once by the detector; on the hot path speed beats the last 15 % of size.
const gzip = (data: string | Uint8Array) => zlib.gzipSync(data, { level: 1 });
const srcKey = (s: SourceName | null) => s ?? 'unknown';
const inc = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * The normalizer over S3, one invocation (an SQS batch of S3 notifications) at a time: reads the raw objects,
 * normalizes them, writes one curated object per partition for the whole batch (each line with its dedupeKey and
 * raw object), the quarantine entries, and last one manifest with every raw object's counts. On an emulator every
 * request is the cost: a batch of ten raw objects in one partition is ten GETs and two PUTs, where a write per
 * raw object made it ten GETs and twenty PUTs — and the detector and the ledger read a tenth of the objects.
 *
 * Retries are safe: a raw object processed again finds its records already held under its own name (counted,
 * not written twice), and a redelivered notification is answered from memory by the same instance.
 */
export class Normalizer {
  private readonly groups: LogGroupLookup;
  /** Per curated partition: who owns each content key, loaded once per instance. */
  private readonly partitions = new Map<string, Promise<PartitionKeys>>();
  private readonly bucket: string;
  /** One raw object at a time: a notification in two concurrent batches is processed by the first only. */
  private readonly objectLocks = new Map<string, Promise<void>>();
  /** Raw objects this instance has finished, with their ETag: a redelivered notification is answered from here. */
  private readonly done = new Map<string, ObjectMarker>();

  constructor(private readonly deps: NormalizerDeps) {
    this.groups = logGroupSources(deps.topology);
    this.bucket = deps.topology.pipeline.curatedBucket;
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
    }
  }

  private async processLocked(items: { rawId: string; ref: ObjectRef }[]): Promise<Map<string, ObjectResult>> {
    const { curatedPrefix, quarantinePrefix } = this.deps.topology.pipeline;
    const results = new Map<string, ObjectResult>();
    const limit = pLimit(8);
    const prefixes = new PartitionPrefixes(curatedPrefix);
    const work: { rawId: string; ref: ObjectRef; marker: ObjectMarker; chunks: Map<string, CuratedChunk>; quarantine: QuarantineEntry[]; lastModified: number; failed?: unknown }[] = [];

    await Promise.all(
      items.map(({ rawId, ref }) =>
        limit(async () => {
          try {
            const raw = await this.readRaw(ref);
            if (!raw) return results.set(rawId, { ref, status: 'missing' });
            const previous = this.done.get(rawId);
            if (previous && previous.etag === raw.etag) return results.set(rawId, { ref, status: 'already-processed', marker: previous });
            const outcome = normalizeObject({ bucket: ref.bucket, key: ref.key, body: raw.body }, this.deps, this.groups);
            const marker: ObjectMarker = { rawId, bucket: ref.bucket, key: ref.key, etag: raw.etag, processedAt: 0, landed: {}, normalized: {}, quarantined: {}, duplicates: {}, controlMessages: outcome.controlMessages };
            for (const [s, n] of outcome.landed) inc(marker.landed, srcKey(s), n);
            for (const q of outcome.quarantine) inc(marker.quarantined, srcKey(q.source), q.events);
            // Lines now, records dropped: see curatedChunks for why nothing waits in memory as objects.
            work.push({ rawId, ref, marker, chunks: curatedChunks(rawId, outcome.records, prefixes), quarantine: outcome.quarantine, lastModified: raw.lastModified });
          } catch (err) {
            results.set(rawId, { ref, error: err });
          }
          return undefined;
        }),
      ),
    );

    // Partitions by event time, across the batch; each line is checked against the keys the partition holds.
    const byPartition = new Map<string, Map<(typeof work)[number], CuratedChunk>>();
    for (const w of work) {
      for (const [p, chunk] of w.chunks) {
        let m = byPartition.get(p);
        if (!m) byPartition.set(p, (m = new Map()));
        m.set(w, chunk);
      }
    }
    await Promise.all(
      [...byPartition].map(([partition, perObject]) =>
        limit(async () => {
          const owners = [...perObject.keys()];
          try {
            const keys = await this.partitionKeys(partition);
            const claimed = await keys.claim(owners.map((w) => ({ rawId: w.rawId, records: perObject.get(w)!.keys })));
            const fresh: { w: (typeof work)[number]; records: LineKey[] }[] = [];
            const counts: [(typeof work)[number], ClaimResult<LineKey>][] = owners.map((w, i) => [w, claimed[i]!]);
            for (const [w, c] of counts) if (c.fresh.length) fresh.push({ w, records: c.fresh });
            // Counted only once this partition's data is safe; a failure leaves the object to be retried whole.
            const count = () => {
              for (const [w, c] of counts) {
                const source = perObject.get(w)!.source;
                inc(w.marker.duplicates, source, c.duplicates);
                inc(w.marker.normalized, source, c.landed + c.fresh.length);
              }
            };
            if (fresh.length === 0) return count();
            const name = curatedKey(partition, batchId(fresh.map((f) => `${f.w.rawId}:${f.w.marker.etag}`)));
            const body = Buffer.concat(fresh.map((f) => keptBytes(perObject.get(f.w)!, f.records)));
            try {
              await this.put(name, gzip(body));
            } catch (err) {
              for (const f of fresh) keys.release(f.w.rawId, f.records, { landed: false, name });
              throw err;
            }
            for (const f of fresh) keys.release(f.w.rawId, f.records, { landed: true });
            count();
          } catch (err) {
            for (const w of owners) w.failed ??= err;
          }
        }),
      ),
    );

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
        await this.put(manifestKey(id), JSON.stringify(manifest));
        for (const w of ok) {
          this.done.set(w.rawId, w.marker);
          results.set(w.rawId, { ref: w.ref, status: 'processed', marker: w.marker });
        }
      } catch (err) {
        for (const w of ok) w.failed = err;
      }
    }
    for (const w of work) if (w.failed) results.set(w.rawId, { ref: w.ref, error: w.failed });
    return results;
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
   * The partition's key owners, from one listing of its curated objects per instance. One instance per queue
   * (Lambda: MaximumConcurrency / reserved concurrency 1): after that listing, every later object of the
   * partition is one this instance wrote and already recorded, so listing again — a call whose cost grows with
   * the partition — buys nothing.
   */
  private partitionKeys(prefix: string): Promise<PartitionKeys> {
    let p = this.partitions.get(prefix);
    if (!p) {
      p = this.loadPartitionKeys(prefix);
      // A failed load is not cached: the next batch (or the retry) lists again.
      p.catch(() => this.partitions.delete(prefix));
      this.partitions.set(prefix, p);
    }
    return p;
  }

  private async loadPartitionKeys(prefix: string): Promise<PartitionKeys> {
    const files: string[] = [];
    let token: string | undefined;
    try {
      do {
        const res = await this.deps.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of res.Contents ?? []) if (o.Key?.endsWith('.ndjson.gz')) files.push(o.Key);
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
    } catch (err) {
      throw new NormalizeStoreError(`cannot list the curated partition ${prefix}`, { expected: 'ListObjectsV2 to succeed', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
    const keys = new PartitionKeys((name) => this.exists(name));
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
          const entries: [string, string][] = [];
          for (const line of zlib.gunzipSync(body).toString('utf8').split('\n')) {
            const l = line ? lineageOfLine(line) : undefined;
            if (l) entries.push([l.dedupeKey, l.rawObject]);
          }
          keys.load(entries);
        }),
      ),
    );
    return keys;
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
