/** What an SQS message from an S3 event notification asks the normalizer to do. */
export type S3Notification =
  | { kind: 'test' }
  | { kind: 'objects'; objects: { bucket: string; key: string; eventName: string }[] }
  | { kind: 'invalid'; reason: string };

/**
 * Parses the body S3 sends to SQS. Keys arrive URL-encoded with `+` for spaces (S3 User Guide, "Event
 * message structure"). `s3:TestEvent` is what S3 sends when the notification is configured.
 */
export function parseS3Notification(body: string): S3Notification {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return { kind: 'invalid', reason: 'message body is not JSON' };
  }
  if (typeof v !== 'object' || v === null) return { kind: 'invalid', reason: 'message body is not a JSON object' };
  const o = v as { Event?: unknown; Records?: unknown };
  if (o.Event === 's3:TestEvent') return { kind: 'test' };
  if (!Array.isArray(o.Records)) return { kind: 'invalid', reason: 'no Records array (not an S3 event notification)' };
  const objects: { bucket: string; key: string; eventName: string }[] = [];
  for (const r of o.Records as unknown[]) {
    const rec = r as { eventName?: unknown; s3?: { bucket?: { name?: unknown }; object?: { key?: unknown } } };
    const bucket = rec?.s3?.bucket?.name;
    const key = rec?.s3?.object?.key;
    if (typeof bucket !== 'string' || typeof key !== 'string') return { kind: 'invalid', reason: 'a record lacks s3.bucket.name or s3.object.key' };
    const eventName = typeof rec.eventName === 'string' ? rec.eventName : '';
    // Only creations carry data; removals and other events are acknowledged and skipped.
    if (eventName && !eventName.startsWith('ObjectCreated')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(key.replace(/\+/g, ' '));
    } catch {
      return { kind: 'invalid', reason: `object key ${JSON.stringify(key)} is not URL-encoded correctly` };
    }
    objects.push({ bucket, key: decoded, eventName });
  }
  return { kind: 'objects', objects };
}
