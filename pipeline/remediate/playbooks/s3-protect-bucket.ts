import type { JsonObject } from '../asl/types.ts';
import { str } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask } from './frame.ts';
import type { PlaybookSpec } from './types.ts';

export interface S3ProtectBucketParams {
  bucket: string;
  /** The principal that deleted, as the access log shows it (an IAM ARN). */
  principal: string;
  /** The statement appended to the bucket policy; built by s3ProtectBucketParams. */
  denyStatements: JsonObject[];
}

export function s3ProtectBucketParams(bucket: string, principal: string, incidentId: string): S3ProtectBucketParams {
  const sid = `FiredrillDenyDelete${incidentId.replace(/[^A-Za-z0-9]/g, '').slice(0, 40)}`;
  return {
    bucket,
    principal,
    denyStatements: [
      {
        Sid: sid,
        Effect: 'Deny',
        Principal: { AWS: principal },
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
    ],
  };
}

/**
 * Versioning first (deletes from then on only add delete markers, so data is recoverable), then a Deny for the
 * offending principal appended to whatever policy the bucket already has — replacing it would drop other rules.
 */
export const s3ProtectBucket: PlaybookSpec<S3ProtectBucketParams> = {
  name: 's3-protect-bucket',
  description: 'enable versioning and deny deletes for the offending principal',
  build: (ctx) =>
    framePlaybook(ctx, 'firedrill: protect a bucket from a mass delete', 'EnableVersioning', {
      EnableVersioning: sdkTask('s3', 'putBucketVersioning', { 'Bucket.$': '$.params.bucket', VersioningConfiguration: { Status: 'Enabled' } }, 'GetPolicy'),
      GetPolicy: sdkTask('s3', 'getBucketPolicy', { 'Bucket.$': '$.params.bucket' }, 'MergeStatements', {
        resultPath: '$.work.existing',
        resultSelector: { 'doc.$': 'States.StringToJson($.Policy)' },
        catches: [{ errors: ['States.ALL'], next: 'HasCause' }],
      }),
      // NoSuchBucketPolicy is unmodelled: AWS and moto name the error differently, their message is the same.
      HasCause: { Type: 'Choice', Choices: [{ Variable: '$.error.Cause', IsPresent: true, Next: 'NoPolicyYet' }], Default: FRAME.recordFailure },
      NoPolicyYet: { Type: 'Choice', Choices: [{ Variable: '$.error.Cause', StringMatches: '*policy does not exist*', Next: 'EmptyPolicy' }], Default: FRAME.recordFailure },
      EmptyPolicy: { Type: 'Pass', Result: { doc: { Statement: [] } }, ResultPath: '$.work.existing', Next: 'MergeStatements' },
      MergeStatements: { Type: 'Pass', Parameters: { 'lists.$': 'States.Array($.work.existing.doc.Statement, $.params.denyStatements)' }, ResultPath: '$.work.merge', Next: 'BuildPolicy' },
      BuildPolicy: { Type: 'Pass', Parameters: { Version: '2012-10-17', 'Statement.$': '$.work.merge.lists[*][*]' }, ResultPath: '$.work.policy', Next: 'PutPolicy' },
      PutPolicy: sdkTask('s3', 'putBucketPolicy', { 'Bucket.$': '$.params.bucket', 'Policy.$': 'States.JsonToString($.work.policy)' }, FRAME.recordSuccess),
    }),
  inputs: ['bucket', 'principal'],
  fromInputs: (i, meta) => s3ProtectBucketParams(str(i, 'bucket'), str(i, 'principal'), meta.incidentId),
  targets: (p) => [{ type: 's3-bucket', name: p.bucket }],
  resourceKeys: (p) => [`s3-bucket:${p.bucket}:${p.principal}`],
  outcomes: (p) => [
    { outcome: 's3-versioning-enabled', bucket: p.bucket },
    { outcome: 's3-delete-denied', bucket: p.bucket, principal: p.principal },
  ],
};
