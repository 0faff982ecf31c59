import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import type { WAFV2Client } from '@aws-sdk/client-wafv2';

/**
 * The clients that read the estate back (the harness verifying outcomes, the dispatcher reading tags): only
 * `send`, so tests can hand in fakes.
 */
export interface EstateReaderClients {
  ec2: Pick<EC2Client, 'send'>;
  ecs: Pick<ECSClient, 'send'>;
  eks: Pick<EKSClient, 'send'>;
  iam: Pick<IAMClient, 'send'>;
  lambda: Pick<LambdaClient, 'send'>;
  rds: Pick<RDSClient, 'send'>;
  s3: Pick<S3Client, 'send'>;
  wafv2: Pick<WAFV2Client, 'send'>;
}
