import { GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EstateIds, Topology } from '../core/topology/index.ts';

/**
 * S3 server access logs land in their own bucket (as AWS log delivery writes them); the normalizer learns of
 * them through the same raw-events queue. The bootstrap wires only the raw bucket, so this adds the access
 * log bucket's ObjectCreated notification (idempotent). Belongs in the bootstrap; kept here until it is there.
 */
export async function ensureAccessLogNotification(s3: S3Client, topology: Topology, estate: EstateIds): Promise<void> {
  const bucket = topology.pipeline.accessLogBucket;
  const queueArn = `arn:aws:sqs:${estate.region}:${estate.accountId}:${topology.pipeline.rawEventsQueue}`;
  const current = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  if ((current.QueueConfigurations ?? []).some((q) => q.QueueArn === queueArn)) return;
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        ...current,
        QueueConfigurations: [...(current.QueueConfigurations ?? []), { Id: `${topology.prefix}-access-logs-created`, QueueArn: queueArn, Events: ['s3:ObjectCreated:*'] }],
      },
    }),
  );
}
