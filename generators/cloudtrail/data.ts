/**
 * Static value lists of the CloudTrail generator: read-only exceptions, error shapes per service, the
 * attacker's playbook, user agents. Logic lives in the other files.
 */

/** Calls whose name does not tell: CloudTrail marks these read-only although they are not Get/List/Describe. */
export const READ_ONLY_EXCEPTIONS: ReadonlySet<string> = new Set(['Decrypt', 'GenerateDataKey', 'AssumeRole', 'GetAuthorizationToken', 'LookupEvents', 'FilterLogEvents', 'GetQueryResults', 'HeadObject', 'GetCallerIdentity']);

/** Mutating calls whose name starts like a read (none today; kept so the rule has a place for them). */
export const MUTATING_EXCEPTIONS: ReadonlySet<string> = new Set(['GetSessionToken']);

/** How each service spells "you may not": error code and message shape. */
export const DENIED_ERRORS: Readonly<Record<string, { code: string; message: 'iam' | 'ec2' | 'generic' }>> = {
  'iam.amazonaws.com': { code: 'AccessDenied', message: 'iam' },
  'sts.amazonaws.com': { code: 'AccessDenied', message: 'iam' },
  's3.amazonaws.com': { code: 'AccessDenied', message: 'generic' },
  'ec2.amazonaws.com': { code: 'Client.UnauthorizedOperation', message: 'ec2' },
  'kms.amazonaws.com': { code: 'AccessDeniedException', message: 'generic' },
  'lambda.amazonaws.com': { code: 'AccessDeniedException', message: 'generic' },
  'logs.amazonaws.com': { code: 'AccessDeniedException', message: 'generic' },
  'ecs.amazonaws.com': { code: 'AccessDeniedException', message: 'generic' },
  'ecr.amazonaws.com': { code: 'AccessDeniedException', message: 'generic' },
  'glue.amazonaws.com': { code: 'AccessDeniedException', message: 'generic' },
  'athena.amazonaws.com': { code: 'AccessDeniedException', message: 'generic' },
  'cloudtrail.amazonaws.com': { code: 'AccessDenied', message: 'generic' },
  'secretsmanager.amazonaws.com': { code: 'AccessDeniedException', message: 'generic' },
  'ssm.amazonaws.com': { code: 'AccessDeniedException', message: 'generic' },
  'dynamodb.amazonaws.com': { code: 'AccessDeniedException', message: 'generic' },
  'rds.amazonaws.com': { code: 'AccessDenied', message: 'generic' },
  'organizations.amazonaws.com': { code: 'AccessDeniedException', message: 'generic' },
};

/** IAM action prefix of an event source (`iam.amazonaws.com` → `iam`), where it differs from the host name. */
export const ACTION_PREFIX: Readonly<Record<string, string>> = { 'monitoring.amazonaws.com': 'cloudwatch' };

/** Services whose API endpoint is global (tlsDetails host and awsRegion us-east-1). */
export const GLOBAL_SERVICES: ReadonlySet<string> = new Set(['iam.amazonaws.com', 'organizations.amazonaws.com']);

export const TLS_CHOICES: readonly { tlsVersion: string; cipherSuite: string; weight: number }[] = [
  { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', weight: 8 },
  { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256', weight: 2 },
];

/** What an intruder with a stolen key runs, in order (the classic post-compromise sequence). */
export const COMPROMISE_PLAYBOOK: readonly { eventSource: string; eventName: string; repeat?: number }[] = [
  { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' },
  { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' },
  { eventSource: 'iam.amazonaws.com', eventName: 'ListUsers' },
  { eventSource: 'iam.amazonaws.com', eventName: 'ListAttachedUserPolicies' },
  { eventSource: 'iam.amazonaws.com', eventName: 'GetAccountAuthorizationDetails' },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeRegions' },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', repeat: 4 },
  { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' },
  { eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey' },
  { eventSource: 'iam.amazonaws.com', eventName: 'AttachUserPolicy' },
  { eventSource: 's3.amazonaws.com', eventName: 'GetBucketPolicy' },
  { eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy' },
  { eventSource: 'secretsmanager.amazonaws.com', eventName: 'ListSecrets' },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeSecurityGroups' },
  { eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress' },
];

/** Regions an intruder sweeps looking for running instances. */
export const SWEEP_REGIONS: readonly string[] = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'eu-central-1', 'ap-northeast-1', 'sa-east-1'];

/** Names an intruder gives the backdoor user. */
export const BACKDOOR_USER_NAMES: readonly string[] = ['backup-admin', 'svc-monitoring', 'support-ops', 'aws-health-check', 'ci-runner-2'];

/** User agents of offensive tooling and scripts (boto3 as Pacu and most scripts use it). */
export const ATTACKER_USER_AGENTS: readonly string[] = [
  'Boto3/1.34.34 md/Botocore#1.34.34 ua/2.0 os/linux#6.5.0-kali3-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.34',
  'aws-cli/1.32.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.15.0-91-generic md/arch#x86_64 lang/python#3.10.12 md/pyimpl#CPython cfg/retry-mode#legacy botocore/1.34.0',
  'python-requests/2.31.0',
];

/** Calls an over-eager or misconfigured principal keeps trying (AccessDenied storm). */
export const ENUMERATION_CALLS: readonly { eventSource: string; eventName: string }[] = [
  { eventSource: 'iam.amazonaws.com', eventName: 'ListRoles' },
  { eventSource: 'iam.amazonaws.com', eventName: 'ListUsers' },
  { eventSource: 'iam.amazonaws.com', eventName: 'ListPolicies' },
  { eventSource: 'iam.amazonaws.com', eventName: 'GetAccountAuthorizationDetails' },
  { eventSource: 'secretsmanager.amazonaws.com', eventName: 'ListSecrets' },
  { eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue' },
  { eventSource: 'ssm.amazonaws.com', eventName: 'GetParameters' },
  { eventSource: 'kms.amazonaws.com', eventName: 'ListKeys' },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances' },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeSnapshots' },
  { eventSource: 'rds.amazonaws.com', eventName: 'DescribeDBInstances' },
  { eventSource: 'dynamodb.amazonaws.com', eventName: 'ListTables' },
  { eventSource: 'lambda.amazonaws.com', eventName: 'ListFunctions20150331' },
  { eventSource: 'organizations.amazonaws.com', eventName: 'DescribeOrganization' },
  { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' },
];

/** What the root user does when someone signs in as root. */
export const ROOT_ACTIONS: readonly { eventSource: string; eventName: string }[] = [
  { eventSource: 'iam.amazonaws.com', eventName: 'GetAccountSummary' },
  { eventSource: 'iam.amazonaws.com', eventName: 'ListUsers' },
  { eventSource: 'iam.amazonaws.com', eventName: 'ListAccessKeys' },
  { eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey' },
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances' },
  { eventSource: 'iam.amazonaws.com', eventName: 'ListMFADevices' },
];

/** AWS services that assume the estate's roles (the everyday AssumeRole AwsServiceEvent-like calls). */
export const SERVICE_PRINCIPALS: readonly { service: string; role: 'lambda' | 'firehose' | 'stepFunctions' | 'cwlToFirehose'; weight: number }[] = [
  { service: 'lambda.amazonaws.com', role: 'lambda', weight: 6 },
  { service: 'firehose.amazonaws.com', role: 'firehose', weight: 2 },
  { service: 'logs.amazonaws.com', role: 'cwlToFirehose', weight: 1 },
];

/** SDK the estate's Lambda functions call AWS with. */
export const LAMBDA_SDK_USER_AGENT = 'aws-sdk-js/3.654.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.17.0 api/kms#3.654.0 m/E,e exec-env/AWS_Lambda_nodejs20.x';

/** Where a console sign-in lands (additionalEventData.LoginTo). */
export const CONSOLE_LOGIN_URL = 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true';
