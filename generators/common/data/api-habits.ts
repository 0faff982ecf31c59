/**
 * Everyday AWS API calls per persona (CloudTrail eventSource/eventName with weights). A user keeps to their
 * persona's calls, so a compromised key calling IAM write APIs stands out against that user's baseline.
 */
export type Persona = 'admin' | 'developer' | 'analyst' | 'deploy' | 'etl';

export const API_HABITS: Readonly<Record<Persona, readonly { eventSource: string; eventName: string; weight: number }[]>> = {
  admin: [
    { eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', weight: 6 },
    { eventSource: 'iam.amazonaws.com', eventName: 'GetUser', weight: 4 },
    { eventSource: 'iam.amazonaws.com', eventName: 'ListRoles', weight: 3 },
    { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', weight: 10 },
    { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeSecurityGroups', weight: 4 },
    { eventSource: 'cloudtrail.amazonaws.com', eventName: 'LookupEvents', weight: 2 },
    { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', weight: 1 },
    { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', weight: 3 },
  ],
  developer: [
    { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', weight: 6 },
    { eventSource: 'logs.amazonaws.com', eventName: 'FilterLogEvents', weight: 8 },
    { eventSource: 'logs.amazonaws.com', eventName: 'DescribeLogStreams', weight: 4 },
    { eventSource: 'lambda.amazonaws.com', eventName: 'GetFunction', weight: 3 },
    { eventSource: 'lambda.amazonaws.com', eventName: 'ListFunctions20150331', weight: 3 },
    { eventSource: 'ecs.amazonaws.com', eventName: 'DescribeServices', weight: 4 },
    { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', weight: 2 },
    { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', weight: 1 },
    { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', weight: 2 },
  ],
  analyst: [
    { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', weight: 4 },
    { eventSource: 'athena.amazonaws.com', eventName: 'StartQueryExecution', weight: 6 },
    { eventSource: 'athena.amazonaws.com', eventName: 'GetQueryResults', weight: 6 },
    { eventSource: 'glue.amazonaws.com', eventName: 'GetTables', weight: 3 },
    { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', weight: 1 },
  ],
  deploy: [
    { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', weight: 4 },
    { eventSource: 'ecs.amazonaws.com', eventName: 'RegisterTaskDefinition', weight: 2 },
    { eventSource: 'ecs.amazonaws.com', eventName: 'UpdateService', weight: 2 },
    { eventSource: 'ecs.amazonaws.com', eventName: 'DescribeServices', weight: 6 },
    { eventSource: 'ecr.amazonaws.com', eventName: 'GetAuthorizationToken', weight: 3 },
    { eventSource: 'lambda.amazonaws.com', eventName: 'UpdateFunctionCode20150331v2', weight: 1 },
    { eventSource: 's3.amazonaws.com', eventName: 'PutObject', weight: 3 },
  ],
  etl: [
    { eventSource: 's3.amazonaws.com', eventName: 'GetObject', weight: 12 },
    { eventSource: 's3.amazonaws.com', eventName: 'PutObject', weight: 6 },
    { eventSource: 's3.amazonaws.com', eventName: 'ListObjects', weight: 4 },
    { eventSource: 'glue.amazonaws.com', eventName: 'StartJobRun', weight: 1 },
    { eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', weight: 8 },
    { eventSource: 'kms.amazonaws.com', eventName: 'GenerateDataKey', weight: 4 },
  ],
};

/** Extra people beyond the estate's IAM users: application users who only ever log in through the web app. */
export const EXTRA_USER_NAMES: readonly string[] = ['dave.m', 'erin.k', 'frank.o', 'grace.h', 'heidi.s', 'ivan.p', 'judy.w', 'mallory.t'];
