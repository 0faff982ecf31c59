import { GetObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { parse as parseCsv } from 'csv-parse/sync';
import { gunzipSync } from 'node:zlib';
import { errorMessage } from '../../../core/index.ts';
import { BaseTap } from './base-tap.ts';
import type { RawFinding } from '../types.ts';

type Format = 'json' | 'jsonl' | 'csv';

/**
 * Objects the SUT writes findings into under a prefix: JSON (one finding, or one per element of a top-level
 * list), JSON lines (one per line) or CSV (one per row, an object keyed by the header). Objects are read once per
 * ETag; gzip bodies are unzipped. CSV goes through csv-parse, a maintained RFC 4180 parser (quoted fields with
 * commas, quotes and line breaks, a BOM, CRLF): what spreadsheets and pandas write, which a split on commas breaks.
 * An object that does not parse is named in a warning and skipped. arrivedAt is the object's LastModified.
 */
export class S3Tap extends BaseTap {
  private readonly parsed = new Map<string, { etag: string; findings: RawFinding[] }>();

  private get src() {
    return this.spec.source as { type: 's3'; bucket: string; prefix: string; format: Format };
  }

  protected async start(): Promise<void> {}

  protected async read(): Promise<RawFinding[]> {
    const { s3 } = this.ctx.clients;
    const out: RawFinding[] = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: this.src.bucket, Prefix: this.src.prefix })) {
      for (const o of page.Contents ?? []) {
        const key = o.Key!;
        const etag = o.ETag ?? String(o.LastModified?.getTime());
        let cached = this.parsed.get(key);
        if (!cached || cached.etag !== etag) {
          const body = await s3.send(new GetObjectCommand({ Bucket: this.src.bucket, Key: key }));
          let bytes = Buffer.from(await body.Body!.transformToByteArray());
          if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
          const arrivedAt = o.LastModified?.getTime();
          let rows: unknown[] = [];
          try {
            rows = parseObject(bytes.toString('utf8'), this.src.format);
          } catch (err) {
            this.ctx.warn?.(`tap ${this.spec.name}: s3://${this.src.bucket}/${key} is not ${this.src.format} (${errorMessage(err).split('\n')[0]}); skipped`);
          }
          cached = { etag, findings: rows.map((raw, i) => ({ id: rows.length === 1 && this.src.format === 'json' ? key : `${key}#${i + 1}`, raw, origin: key, ...(arrivedAt === undefined ? {} : { arrivedAt }) })) };
          this.parsed.set(key, cached);
        }
        out.push(...cached.findings);
      }
    }
    return out;
  }

  protected async stop(): Promise<void> {}
}

/** The findings in one object's text, per format. */
export function parseObject(text: string, format: Format): unknown[] {
  if (format === 'csv') return parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, trim: true }) as unknown[];
  if (format === 'jsonl') return text.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
  const v = JSON.parse(text) as unknown;
  return Array.isArray(v) ? v : [v];
}
