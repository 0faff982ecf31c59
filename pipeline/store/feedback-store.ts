import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { errorMessage } from '../../core/index.ts';
import type { FeedbackEntry } from '../detect/index.ts';
import { DetectorStoreError } from './detector-state.ts';

export const DEFAULT_FEEDBACK_KEY = 'detector/feedback.json';

/** Verdicts kept per finding: the latest wins; older ones stay as the history of that finding (at most this many). */
const MAX_ENTRIES = 5000;

/**
 * Verdicts on findings, kept beside the detector state in the state bucket (one JSON object, readable by a
 * person), so the detector reads them on every invocation. A missing object is no feedback yet.
 * Writes are read-modify-write: verdicts are rare and come one at a time; two given in the same instant may
 * lose one (the caller sees no error), which is why the CLI prints what it stored.
 */
export class FeedbackStore {
  constructor(
    private readonly s3: Pick<S3Client, 'send'>,
    private readonly bucket: string,
    private readonly key: string = DEFAULT_FEEDBACK_KEY,
  ) {}

  get location(): string {
    return `s3://${this.bucket}/${this.key}`;
  }

  async load(): Promise<FeedbackEntry[]> {
    let text: string;
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }));
      text = r.Body ? await r.Body.transformToString('utf8') : '';
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return [];
      throw new DetectorStoreError(`cannot read feedback ${this.location}`, { expected: 'GetObject to succeed or NoSuchKey', seen: errorMessage(err), cause: err });
    }
    try {
      const doc = JSON.parse(text) as { version?: number; entries?: FeedbackEntry[] };
      if (doc.version !== 1 || !Array.isArray(doc.entries)) throw new Error(`version ${String(doc.version)}, entries ${Array.isArray(doc.entries) ? 'a list' : 'missing'}`);
      return doc.entries;
    } catch (err) {
      throw new DetectorStoreError(`feedback ${this.location} is unreadable`, { expected: '{"version": 1, "entries": [...]}', seen: errorMessage(err), fix: `fix or delete ${this.location}; verdicts in it are lost with it`, cause: err });
    }
  }

  /** Adds a verdict and returns every verdict now stored. */
  async add(entry: FeedbackEntry): Promise<FeedbackEntry[]> {
    const entries = [...(await this.load()), entry].slice(-MAX_ENTRIES);
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: `${JSON.stringify({ version: 1, entries }, null, 1)}\n`, ContentType: 'application/json' }));
    } catch (err) {
      throw new DetectorStoreError(`cannot save feedback ${this.location}`, { expected: 'PutObject to succeed', seen: errorMessage(err), cause: err });
    }
    return entries;
  }
}
