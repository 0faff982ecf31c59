import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ConfigError, createLogger } from '../../core/index.ts';
import { formats } from '../../formats/index.ts';
import { handlerContext } from './handler-environment.ts';
import { Normalizer, type NormalizerDeps } from '../normalize/normalizer.ts';
import { parseS3Notification } from '../normalize/s3-notification.ts';
import type { SqsBatchResponse, SqsEvent, SqsHandler } from '../../core/index.ts';
import { partitionOf } from '../normalize/layout.ts';

export type { SqsBatchResponse, SqsEvent, SqsHandler };

const log = createLogger('normalizer');

/**
 * The normalizer as an SQS-fed Lambda handler: one S3 event notification per message, the batch's raw objects
 * normalized together. A message whose objects were all handled (or already were) succeeds; one that hit a
 * transient S3 failure is reported in batchItemFailures so only it returns to the queue. A body that is not a notification is quarantined
 * (under quarantine/notifications/) and acknowledged: retrying it could never help.
 */
export function createNormalizerHandler(deps: NormalizerDeps): SqsHandler {
  const normalizer = new Normalizer(deps);
  const { curatedBucket, quarantinePrefix } = deps.topology.pipeline;
  return async (event: SqsEvent): Promise<SqsBatchResponse> => {
    const failures = new Set<string>();
    // The whole batch's raw objects go to the normalizer together (one curated object per partition for all of
    // them); a message fails when any of its objects did.
    const refs: { messageId: string; bucket: string; key: string }[] = [];
    await Promise.all(event.Records.map(async (record) => {
      const n = parseS3Notification(record.body);
      if (n.kind === 'test') return;
      if (n.kind === 'objects') {
        for (const o of n.objects) refs.push({ messageId: record.messageId, bucket: o.bucket, key: o.key });
        return;
      }
      try {
        const id = createHash('sha256').update(record.body).digest('hex').slice(0, 24);
        const entry = { code: 'invalid-notification', reason: n.reason, messageId: record.messageId, preview: record.body.slice(0, 2048) };
        await deps.s3.send(
          new PutObjectCommand({
            Bucket: curatedBucket,
            Key: `${quarantinePrefix}notifications/dt=${partitionOf(deps.now?.() ?? Date.now()).dt}/${id}.ndjson.gz`,
            Body: zlib.gzipSync(`${JSON.stringify(entry)}\n`),
          }),
        );
      } catch (err) {
        log.warn({ err, messageId: record.messageId }, 'could not quarantine an invalid notification; it returns to the queue');
        failures.add(record.messageId);
      }
    }));
    if (refs.length > 0) {
      const results = await normalizer.processBatch(refs);
      results.forEach((r, i) => {
        if ('error' in r) {
          log.warn({ err: r.error, messageId: refs[i]!.messageId, key: r.ref.key }, 'raw object failed; its message returns to the queue');
          failures.add(refs[i]!.messageId);
        } else log.debug({ bucket: r.ref.bucket, key: r.ref.key, status: r.status }, 'raw object');
      });
    }
    return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/**
 * The normalizer's memory bounds from its optional environment, in MiB: FIREDRILL_NORMALIZER_STATE_MB (de-duplication
 * state held in memory) and FIREDRILL_NORMALIZER_BATCH_MB (curated bytes pending across invocations). Unset: the
 * normalizer's defaults. What a function given more or less memory (a heavier or lighter estate) sets.
 */
export function normalizerLimits(env: NodeJS.ProcessEnv = process.env): Pick<NormalizerDeps, 'stateBytes' | 'batchBytes'> {
  const mib = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new ConfigError(`${name} is not a size in MiB`, { expected: 'a number of MiB, 0 or more (fractions allowed)', seen: JSON.stringify(v), fix: `set ${name} to a number such as 16, or unset it for the default` });
    return Math.round(n * 1024 * 1024);
  };
  const stateBytes = mib('FIREDRILL_NORMALIZER_STATE_MB');
  const batchBytes = mib('FIREDRILL_NORMALIZER_BATCH_MB');
  return { ...(stateBytes !== undefined ? { stateBytes } : {}), ...(batchBytes !== undefined ? { batchBytes } : {}) };
}

let deployed: SqsHandler | undefined;

/**
 * The Lambda entry point: clients and topology from the environment (see HANDLER_ENVIRONMENT; FIREDRILL_ESTATE, the
 * declared estate; normalizerLimits), every registered format.
 */
export const handler: SqsHandler = (event) => {
  if (!deployed) {
    const { clients, topology } = handlerContext();
    deployed = createNormalizerHandler({ s3: clients.s3, topology, formats, ...normalizerLimits() });
  }
  return deployed(event);
};
