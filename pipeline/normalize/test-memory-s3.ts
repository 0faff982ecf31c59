import { createHash } from 'node:crypto';
import { S3Client, type ServiceOutputTypes } from '@aws-sdk/client-s3';

/** What the in-memory S3 does to a PutObject: store and answer, fail before storing, or store and lose the answer. */
export type PutFault = 'none' | 'refuse' | 'lose-answer';

export interface MemoryS3 {
  client: S3Client;
  objects: Map<string, { body: Uint8Array; etag: string; lastModified: number }>;
  /** Keys under `bucket/prefix`, sorted. */
  keys(bucket: string, prefix?: string): string[];
}

const slash = (bucket: string, key: string) => `${bucket}/${key}`;

/**
 * S3 in memory, for unit tests of the normalizer's logic (retries, redeliveries, de-duplication): GetObject,
 * PutObject, HeadObject, DeleteObject and ListObjectsV2 (paginated, StartAfter, so the SDK's paginator works), with faults chosen per call.
 * A real S3Client whose send() is replaced: the paginators accept only an S3Client.
 */
export function memoryS3(opts: { putFault?: (key: string) => PutFault; getFails?: (key: string) => boolean; pageSize?: number } = {}): MemoryS3 {
  const objects = new Map<string, { body: Uint8Array; etag: string; lastModified: number }>();
  const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const notFound = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 404 } });
  const unavailable = () => Object.assign(new Error('injected'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
  const keys = (bucket: string, prefix = '') =>
    [...objects.keys()]
      .filter((k) => k.startsWith(slash(bucket, prefix)))
      .map((k) => k.slice(bucket.length + 1))
      .sort();
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<ServiceOutputTypes> => {
    await Promise.resolve();
    const input = command.input as { Bucket: string; Key: string; Body?: Uint8Array | string; Prefix?: string; ContinuationToken?: string; StartAfter?: string };
    switch (command.constructor.name) {
      case 'GetObjectCommand': {
        if (opts.getFails?.(input.Key)) throw unavailable();
        const o = objects.get(slash(input.Bucket, input.Key));
        if (!o) throw notFound('NoSuchKey');
        return { ETag: o.etag, LastModified: new Date(o.lastModified), Body: { transformToByteArray: async () => o.body } } as unknown as ServiceOutputTypes;
      }
      case 'HeadObjectCommand': {
        const o = objects.get(slash(input.Bucket, input.Key));
        if (!o) throw notFound('NotFound');
        return { ETag: o.etag } as ServiceOutputTypes;
      }
      case 'PutObjectCommand': {
        const fault = opts.putFault?.(input.Key) ?? 'none';
        if (fault === 'refuse') throw unavailable();
        const body = typeof input.Body === 'string' ? new TextEncoder().encode(input.Body) : new Uint8Array(input.Body ?? []);
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        objects.set(slash(input.Bucket, input.Key), { body, etag, lastModified: Date.now() });
        if (fault === 'lose-answer') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return { ETag: etag } as ServiceOutputTypes;
      }
      case 'ListObjectsV2Command': {
        const all = keys(input.Bucket, input.Prefix ?? '').filter((k) => input.StartAfter === undefined || k > input.StartAfter);
        const from = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
        const size = opts.pageSize ?? 1000;
        const page = all.slice(from, from + size);
        const more = from + size < all.length;
        return { Contents: page.map((Key) => ({ Key })), IsTruncated: more, ...(more ? { NextContinuationToken: String(from + size) } : {}) } as ServiceOutputTypes;
      }
      case 'DeleteObjectCommand': {
        objects.delete(slash(input.Bucket, input.Key));
        return {} as ServiceOutputTypes;
      }
      case 'DeleteObjectsCommand': {
        const del = command.input as { Bucket: string; Delete: { Objects: { Key: string }[] } };
        for (const o of del.Delete.Objects) objects.delete(slash(del.Bucket, o.Key));
        return { Deleted: del.Delete.Objects.map((o) => ({ Key: o.Key })) } as ServiceOutputTypes;
      }
      default:
        throw new Error(`memoryS3: ${command.constructor.name} is not implemented`);
    }
  };
  client.send = send as unknown as S3Client['send'];
  return { client, objects, keys };
}
