/**
 * Whether an AWS SDK error says the object or resource is not there: S3's `NoSuchKey` (GetObject), `NotFound`
 * (HeadObject, which has no body to name the code) or any 404. Readers that race a deleter (pruning, retries) treat
 * it as "already gone" rather than as a failure.
 */
export function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
