import zlib from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { FiredrillError } from '../../core/errors.ts';
import type { Topology } from '../../core/topology/types.ts';
import type { SourceName } from '../../core/vocabulary.ts';
import { curatedKey, curatedLine, dedupeKeyOfLine, markerKey, partitionPrefix, quarantineKey, rawObjectId } from './layout.ts';
import { logGroupSources, normalizeObject, type FormatRegistry, type KeyedRecord, type QuarantineEntry } from './normalize-object.ts';
import { PartitionKeys } from './partition-keys.ts';

/** S3 failed in a way a retry of the notification may fix; the message goes back to the queue. */
export class NormalizeStoreError extends FiredrillError {}

/** What processing one raw object did, per source (`unknown` = not attributable). Stored as its marker. */
export interface ObjectMarker {
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

export interface NormalizerDeps {
  s3: S3Client;
  topology: Topology;
  formats: FormatRegistry;
  /** Clock for markers only (partitions come from event time). */
  now?: () => number;
}

// Level 1: curated objects are read once by the detector; on the hot path speed beats the last 15 % of size.
const gzip = (text: string) => zlib.gzipSync(text, { level: 1 });
const srcKey = (s: SourceName | null) => s ?? 'unknown';
const inc = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * The normalizer over S3: reads a raw object, writes its curated partitions (each line with its dedupeKey),
 * quarantine entries and last a marker. Three requests per raw object in the common case (GET raw, PUT curated,
 * PUT marker): on an emulator every request is the cost. Every object it writes is named after the raw object,
 * so a second delivery (or a retry after a crash half-way) rewrites the same objects and changes nothing.
 */
export class Normalizer {
  private readonly groups: Map<string, SourceName>;
  /** Per curated partition: who owns each content key, loaded once per instance. */
  private readonly partitions = new Map<string, Promise<PartitionKeys>>();
  private readonly bucket: string;
  /** One raw object at a time per name: a second delivery of a notification waits for the first. */
  private readonly objectLocks = new Map<string, Promise<void>>();
  /** Raw objects this instance has finished, by ETag: a redelivered notification is answered from here. */
  private readonly done = new Map<string, ObjectMarker>();

  constructor(private readonly deps: NormalizerDeps) {
    this.groups = logGroupSources(deps.topology);
    this.bucket = deps.topology.pipeline.curatedBucket;
  }

  async processObject(bucket: string, key: string): Promise<{ status: ProcessStatus; marker?: ObjectMarker }> {
    // Two deliveries of the same notification in concurrent batches: the second waits for the first and then
    // finds the object done.
    return this.locked(rawObjectId(bucket, key), () => this.processObjectOnce(bucket, key));
  }

  private async processObjectOnce(bucket: string, key: string): Promise<{ status: ProcessStatus; marker?: ObjectMarker }> {
    const { s3, topology } = this.deps;
    const { curatedPrefix, quarantinePrefix } = topology.pipeline;
    const rawId = rawObjectId(bucket, key);
    let raw;
    try {
      raw = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      if (isNotFound(err)) return { status: 'missing' };
      throw new NormalizeStoreError(`cannot read s3://${bucket}/${key}`, { expected: 'GetObject to succeed', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
    const etag = raw.ETag ?? '';
    // Read the body before any other await: an unread response stream has no error listener, so a connection
    // dropped meanwhile would surface as an uncaught 'aborted' error instead of a retried message.
    let body: Uint8Array;
    try {
      body = raw.Body ? await raw.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      throw new NormalizeStoreError(`cannot read s3://${bucket}/${key}`, { expected: 'the object body to arrive whole', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
    // A redelivery to this instance is answered from memory. A redelivery to another instance (no marker look-up:
    // one GetObject less per object) processes the object again, which rewrites the same objects with the same
    // content: every name derives from the raw object, and keys it owns already count as its own (PartitionKeys).
    const previous = this.done.get(rawId);
    if (previous && previous.etag === etag) return { status: 'already-processed', marker: previous };

    const lastModified = raw.LastModified?.getTime() ?? 0;
    const outcome = normalizeObject({ bucket, key, body }, this.deps, this.groups);
    const marker: ObjectMarker = {
      bucket,
      key,
      etag,
      processedAt: this.deps.now?.() ?? Date.now(),
      landed: {},
      normalized: {},
      quarantined: {},
      duplicates: {},
      controlMessages: outcome.controlMessages,
    };
    for (const [s, n] of outcome.landed) inc(marker.landed, srcKey(s), n);

    // Partitions by event time; de-duplicate against the keys every other raw object holds in the partition.
    const partitions = new Map<string, KeyedRecord[]>();
    for (const r of outcome.records) {
      const p = partitionPrefix(curatedPrefix, r.record.source, r.record.time);
      const list = partitions.get(p) ?? [];
      list.push(r);
      partitions.set(p, list);
    }
    const limit = pLimit(8);
    await Promise.all(
      [...partitions].map(([partition, records]) =>
        limit(async () => {
          const index = await this.partitionKeys(partition);
          const kept = await index.claim(rawId, records);
          inc(marker.duplicates, records[0]!.record.source, records.length - kept.length);
          if (kept.length === 0) return;
          try {
            // Each curated line carries its dedupeKey, so data and de-duplication state land in one object, at once.
            await this.put(curatedKey(partition, rawId), gzip(kept.map((r) => curatedLine(r.dedupeKey, r.record)).join('')));
          } catch (err) {
            index.release(rawId, kept, false);
            throw err;
          }
          index.release(rawId, kept, true);
          inc(marker.normalized, records[0]!.record.source, kept.length);
        }),
      ),
    );

    const byQuarantineObject = new Map<string, QuarantineEntry[]>();
    for (const q of outcome.quarantine) {
      const k = quarantineKey(quarantinePrefix, q.source, lastModified, rawId);
      const list = byQuarantineObject.get(k) ?? [];
      list.push(q);
      byQuarantineObject.set(k, list);
      inc(marker.quarantined, srcKey(q.source), q.events);
    }
    await Promise.all([...byQuarantineObject].map(([k, entries]) => limit(() => this.put(k, gzip(entries.map((e) => `${JSON.stringify(e)}\n`).join(''))))));
    await this.put(markerKey(rawId), JSON.stringify(marker));
    this.done.set(rawId, marker);
    return { status: 'processed', marker };
  }

  private async locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.objectLocks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.objectLocks.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.objectLocks.get(key) === tail) this.objectLocks.delete(key);
    }
  }

  /**
   * The partition's key owners, from one listing of its index files per instance. One instance per queue
   * (Lambda: MaximumConcurrency / reserved concurrency 1): after that listing, every later index file of the
   * partition is one this instance wrote and already recorded, so listing again — a call whose cost grows with
   * the partition — buys nothing.
   */
  private partitionKeys(prefix: string): Promise<PartitionKeys> {
    let p = this.partitions.get(prefix);
    if (!p) {
      p = this.loadPartitionKeys(prefix);
      // A failed load is not cached: the next object (or the retry) lists again.
      p.catch(() => this.partitions.delete(prefix));
      this.partitions.set(prefix, p);
    }
    return p;
  }

  /** Key owners of one curated partition, read from its objects (`<partition><rawId>.ndjson.gz`, a dedupeKey per line). */
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
    const keys = new PartitionKeys();
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
          const found: string[] = [];
          for (const line of zlib.gunzipSync(body).toString('utf8').split('\n')) {
            const k = line && dedupeKeyOfLine(line);
            if (k) found.push(k);
          }
          keys.load(f.slice(prefix.length, -'.ndjson.gz'.length), found);
        }),
      ),
    );
    return keys;
  }

  private async put(key: string, body: Uint8Array | string): Promise<void> {
    try {
      await this.deps.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
    } catch (err) {
      throw new NormalizeStoreError(`cannot write s3://${this.bucket}/${key}`, { expected: 'PutObject to succeed', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
  }
}
