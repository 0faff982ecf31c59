import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNotFound } from '../../core/aws/index.ts';

/**
 * An object's bytes, or undefined when it is gone: for the pruners, which race their own earlier sweeps (an object
 * removed since it was listed was counted by the sweep that removed it). Any other failure is thrown.
 */
export async function readIfPresent(s3: S3Client, bucket: string, key: string): Promise<Uint8Array | undefined> {
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await r.Body!.transformToByteArray();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
