import zlib from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FiredrillError, errorMessage } from '../../core/index.ts';
import { createDetectorState, type DetectorState } from '../detect/index.ts';

/** S3 could not be read or written, DynamoDB or SNS refused: the invocation failed and may be retried as a whole. */
export class DetectorStoreError extends FiredrillError {}

export const DEFAULT_DETECTOR_STATE_KEY = 'detector/state.json.gz';

/**
 * Where the detector keeps its state between invocations (baselines, models, template dictionary): one gzip JSON
 * object in the state bucket, so every invocation is stateless. A missing object is a fresh detector.
 */
export class DetectorStateStore {
  constructor(
    private readonly s3: Pick<S3Client, 'send'>,
    private readonly bucket: string,
    private readonly key: string = DEFAULT_DETECTOR_STATE_KEY,
  ) {}

  async load(): Promise<DetectorState> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }));
      const bytes = r.Body ? Buffer.from(await r.Body.transformToByteArray()) : Buffer.alloc(0);
      const state = JSON.parse(zlib.gunzipSync(bytes).toString('utf8')) as DetectorState;
      if (state.version !== 1) throw new DetectorStoreError('detector state has an unknown version', { expected: 'version 1', seen: String(state.version), fix: `delete s3://${this.bucket}/${this.key} to relearn` });
      return state;
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return createDetectorState();
      if (err instanceof DetectorStoreError) throw err;
      throw new DetectorStoreError(`cannot read detector state s3://${this.bucket}/${this.key}`, { expected: 'GetObject to succeed or NoSuchKey', seen: errorMessage(err), cause: err });
    }
  }

  async save(state: DetectorState): Promise<void> {
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: zlib.gzipSync(JSON.stringify(state)), ContentType: 'application/json', ContentEncoding: 'gzip' }));
    } catch (err) {
      throw new DetectorStoreError(`cannot save detector state s3://${this.bucket}/${this.key}`, { expected: 'PutObject to succeed', seen: errorMessage(err), cause: err });
    }
  }
}
