import zlib from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { FiredrillError } from '../../core/errors.ts';
import type { Topology } from '../../core/topology/types.ts';
import type { SourceName } from '../../core/vocabulary.ts';
import { curatedKey, dedupeIndexPrefix, markerKey, partitionPrefix, quarantineKey, rawObjectId } from './layout.ts';
import { logGroupSources, normalizeObject, type FormatRegistry, type KeyedRecord, type QuarantineEntry } from './normalize-object.ts';

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
 * The normalizer over S3: reads a raw object, writes its curated partitions, quarantine entries, the
 * de-duplication index and last a marker. Every object it writes is named after the raw object, so a
 * second delivery (or a retry after a crash half-way) rewrites the same objects and changes nothing.
 */
export class Normalizer {
  private readonly groups: Map<string, SourceName>;
  /** Index objects are immutable per name: once read, they can be cached for the life of the instance. */
  private readonly indexCache = new Map<string, Set<string>>();
  private readonly partitionIndex = new Map<string, { files: Set<string>; keys: Set<string> }>();
  private readonly bucket: string;
  /**
   * One critical section per partition: the de-duplication check and the index write of two raw objects in the
   * same partition must not interleave, or both would miss each other's events. This serialises objects
   * processed by one instance; run one instance per queue (Lambda: MaximumConcurrency / reserved concurrency).
   */
  private readonly partitionLocks = new Map<string, Promise<void>>();

  constructor(private readonly deps: NormalizerDeps) {
    this.groups = logGroupSources(deps.topology);
    this.bucket = deps.topology.pipeline.curatedBucket;
  }

  async processObject(bucket: string, key: string): Promise<{ status: ProcessStatus; marker?: ObjectMarker }> {
    // Two deliveries of the same notification in concurrent batches must not both miss the marker: the
    // second waits for the first and then finds the object already processed.
    return this.locked(`raw:${rawObjectId(bucket, key)}`, () => this.processObjectOnce(bucket, key));
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
    const previous = await this.readMarker(rawId);
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

    // Partitions by event time; de-duplicate against the index of every other raw object in the partition.
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
        limit(() => this.locked(partition, async () => {
          const indexPrefix = dedupeIndexPrefix(partition, curatedPrefix);
          const others = await this.loadIndex(indexPrefix, rawId);
          const mine = new Set<string>();
          const kept: KeyedRecord[] = [];
          for (const r of records) {
            if (others.has(r.dedupeKey) || mine.has(r.dedupeKey)) {
              inc(marker.duplicates, r.record.source);
              continue;
            }
            mine.add(r.dedupeKey);
            kept.push(r);
          }
          if (kept.length === 0) return;
          // Curated data first, its index second: a crash between them leaves records an index does not
          // claim yet, and the retry of this same raw object rewrites both under the same names.
          await this.put(curatedKey(partition, rawId), gzip(kept.map((r) => `${JSON.stringify(r.record)}\n`).join('')));
          await this.put(`${indexPrefix}${rawId}.keys.gz`, gzip(kept.map((r) => r.dedupeKey).join('\n')));
          for (const r of kept) inc(marker.normalized, r.record.source);
          // Other objects of this instance see these keys without reading the index back.
          const ownFile = `${indexPrefix}${rawId}.keys.gz`;
          this.indexCache.set(ownFile, mine);
          const entry = this.partitionIndex.get(indexPrefix);
          if (entry && !entry.files.has(ownFile)) {
            for (const k of mine) entry.keys.add(k);
            entry.files.add(ownFile);
          }
        })),
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
    return { status: 'processed', marker };
  }

  private async locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.partitionLocks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.partitionLocks.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.partitionLocks.get(key) === tail) this.partitionLocks.delete(key);
    }
  }

  private async readMarker(rawId: string): Promise<ObjectMarker | undefined> {
    try {
      const res = await this.deps.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: markerKey(rawId) }));
      return JSON.parse((await res.Body?.transformToString()) ?? '{}') as ObjectMarker;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new NormalizeStoreError('cannot read a normalizer marker', { expected: 'GetObject to succeed or NoSuchKey', seen: String((err as Error).message), cause: err });
    }
  }

  /** The content keys of every other raw object in the partition (this object's own index is ignored: a rerun). */
  /**
   * The content keys of every other raw object in the partition, as one set kept per partition and grown by
   * the index files not merged yet — linear over a run, where rebuilding the union per object was quadratic.
   * This object's own index (present on a rerun) must not count: then the union is rebuilt without it.
   */
  private async loadIndex(prefix: string, ownRawId: string): Promise<ReadonlySet<string>> {
    const own = `${prefix}${ownRawId}.keys.gz`;
    // One instance per queue (see partitionLocks): once this instance has listed a partition's index, every
    // later index file of that partition is one it wrote itself and merged already, so listing again — a
    // call whose cost grows with the partition — buys nothing. A rerun of an object whose own index exists
    // (a crash before its marker) still rebuilds the union from a fresh listing, without that file.
    const known = this.partitionIndex.get(prefix);
    if (known && !known.files.has(own)) return known.keys;
    const files: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.deps.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of res.Contents ?? []) if (o.Key && o.Key !== own) files.push(o.Key);
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    let entry = this.partitionIndex.get(prefix);
    if (!entry || entry.files.has(own)) {
      entry = { files: new Set(), keys: new Set() };
      this.partitionIndex.set(prefix, entry);
    }
    for (const f of files) {
      if (entry.files.has(f)) continue;
      for (const k of await this.indexFile(f)) entry.keys.add(k);
      entry.files.add(f);
    }
    return entry.keys;
  }

  private async indexFile(key: string): Promise<Set<string>> {
    let ids = this.indexCache.get(key);
    if (!ids) {
      const res = await this.deps.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const text = zlib.gunzipSync(await res.Body!.transformToByteArray()).toString('utf8');
      ids = new Set(text.length ? text.split('\n') : []);
      this.indexCache.set(key, ids);
    }
    return ids;
  }


  private async put(key: string, body: Uint8Array | string): Promise<void> {
    try {
      await this.deps.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
    } catch (err) {
      throw new NormalizeStoreError(`cannot write s3://${this.bucket}/${key}`, { expected: 'PutObject to succeed', seen: String((err as Error).message), fix: 'transient: the message is retried', cause: err });
    }
  }
}
