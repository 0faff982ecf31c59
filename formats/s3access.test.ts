import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError } from '../core/errors.ts';
import { parseS3Access, S3ACCESS_FIELDS, s3accessFormat, serializeS3Access, tokenizeS3Access, type S3AccessRecord } from './s3access.ts';

// Amazon S3 user guide, "Amazon S3 server access log format" (LogFormat.html): the example log records.
// The current page carries a trailing field after aclRequired (the source region); the older page stops at aclRequired.
const DOCS_CURRENT = [
  '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1',
  '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 891CE47D2EXAMPLE REST.GET.LOGGING_STATUS - "GET /amzn-s3-demo-bucket1?logging HTTP/1.1" 200 - 242 - 11 - "-" "S3Console/0.4" - 9vKBE6vMhrNiWHZmb2L0mXOcqPGzQOI5XLnCtZNPxev+Hf+7tpT6sxDwDty4LHBUOZJG96N1234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 - - us-east-1',
];
const DOCS_OLDER =
  '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /DOC-EXAMPLE-BUCKET1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes';

describe('s3access format', () => {
  it('parses the AWS documentation examples, keeping new trailing fields', () => {
    const r = parseS3Access(DOCS_CURRENT[0]!);
    expect(r).toMatchObject({
      bucket: 'amzn-s3-demo-bucket1',
      time: Date.UTC(2019, 1, 6, 0, 0, 38),
      remoteIp: '192.0.2.3',
      requestId: '3E57427F3EXAMPLE',
      operation: 'REST.GET.VERSIONING',
      key: null,
      requestUri: 'GET /amzn-s3-demo-bucket1?versioning HTTP/1.1',
      httpStatus: 200,
      errorCode: null,
      bytesSent: 113,
      objectSize: null,
      totalTime: 7,
      turnAroundTime: null,
      referer: null,
      userAgent: 'S3Console/0.4',
      signatureVersion: 'SigV4',
      tlsVersion: 'TLSV1.2',
      accessPointArn: 'arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP',
      aclRequired: 'Yes',
      extra: ['us-east-1'],
    });
    for (const line of [...DOCS_CURRENT, DOCS_OLDER]) expect(serializeS3Access(parseS3Access(line))).toBe(line);
    expect(parseS3Access(DOCS_OLDER).extra).toBeUndefined();
    expect(tokenizeS3Access(DOCS_OLDER)).toHaveLength(S3ACCESS_FIELDS.length);
  });

  it('normalizes to the contract fields and entities', () => {
    const n = s3accessFormat.normalize(parseS3Access(DOCS_CURRENT[1]!));
    expect(n.time).toBe(Date.UTC(2019, 1, 6, 0, 0, 38));
    expect(n.entities).toEqual({ bucket: 'amzn-s3-demo-bucket1', ip: '192.0.2.3', principal: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' });
    expect(Object.keys(n.fields)).toEqual(['bucketOwner', 'bucket', 'remoteIp', 'requester', 'requestId', 'operation', 'key', 'requestUri', 'httpStatus', 'errorCode', 'bytesSent', 'objectSize', 'totalTime', 'turnAroundTime', 'referer', 'userAgent', 'versionId']);
  });

  it('rejects lines that are not access log records, saying what it expected', () => {
    expect(() => parseS3Access('hello world')).toThrow(FormatError);
    expect(() => parseS3Access('hello world')).toThrow(/expected: at least 15/);
    const badTime = DOCS_OLDER.replace('[06/Feb/2019:00:00:38 +0000]', '[2019-02-06T00:00:38Z]');
    expect(() => parseS3Access(badTime)).toThrow(/dd\/Mon\/yyyy/);
    expect(() => parseS3Access(DOCS_OLDER.replace(' 200 ', ' 2x0 '))).toThrow(FormatError);
  });

  it('round-trips any record (property)', () => {
    const tok = fc.stringMatching(/^[A-Za-z0-9._:/+=-]{1,20}$/).filter((s) => s !== '-');
    const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
    const quotedText = fc.stringMatching(/^[A-Za-z0-9 ./;()?=&-]{1,40}$/).filter((s) => s !== '-' && !s.startsWith(' ') && !s.endsWith(' '));
    const rec: fc.Arbitrary<S3AccessRecord> = fc.record({
      bucketOwner: tok, bucket: tok, time: fc.integer({ min: 0, max: 4e12 }).map((t) => Math.floor(t / 1000) * 1000),
      remoteIp: opt(fc.ipV4()), requester: opt(tok), requestId: tok, operation: fc.constantFrom('REST.GET.OBJECT', 'REST.PUT.OBJECT', 'REST.DELETE.OBJECT', 'BATCH.DELETE.OBJECT'),
      key: opt(tok), requestUri: opt(quotedText), httpStatus: opt(fc.integer({ min: 100, max: 599 })), errorCode: opt(tok),
      bytesSent: opt(fc.nat()), objectSize: opt(fc.nat()), totalTime: opt(fc.nat()), turnAroundTime: opt(fc.nat()),
      referer: opt(quotedText), userAgent: opt(quotedText), versionId: opt(tok), hostId: opt(tok), signatureVersion: opt(fc.constantFrom('SigV2', 'SigV4')),
      cipherSuite: opt(tok), authenticationType: opt(fc.constantFrom('AuthHeader', 'QueryString')), hostHeader: opt(tok), tlsVersion: opt(fc.constantFrom('TLSv1.2', 'TLSv1.3')),
      accessPointArn: opt(tok), aclRequired: opt(fc.constant('Yes')),
    });
    fc.assert(fc.property(rec, (r) => {
      const line = serializeS3Access(r);
      expect(parseS3Access(line)).toEqual(r);
      expect(serializeS3Access(parseS3Access(line))).toBe(line);
    }));
  });
});
