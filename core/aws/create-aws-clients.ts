import { createRequire } from 'node:module';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { STSClient } from '@aws-sdk/client-sts';
import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { WAFV2Client } from '@aws-sdk/client-wafv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, MetadataBearer, MiddlewareStack } from '@smithy/types';
import { errorMessage } from '../errors.ts';
import { CallLedger, ledgerInput } from './call-ledger.ts';
import { EndpointUnreachableError } from './errors.ts';

export interface AwsTarget {
  /** Emulator endpoint (one URL for every service). Omit for real AWS. */
  endpoint?: string;
  region?: string;
  /** Default: dummy `test`/`test` keys with an endpoint, the SDK's provider chain without one. */
  credentials?: AwsCredentialIdentity;
  /** SDK attempts per call, first try included (standard retry mode). Default AWS_MAX_ATTEMPTS, else 3. */
  maxAttempts?: number;
  /** Abandon a TCP connect after this long (default 3 s: an emulator is local, AWS answers fast). */
  connectionTimeoutMs?: number;
  /** Abandon a request with no complete response after this long (default 60 s). */
  requestTimeoutMs?: number;
  /** Share a ledger between factories (default: a new one). */
  ledger?: CallLedger;
}

/** Emulators accept any keys; these are the conventional ones. */
export const EMULATOR_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * Each SDK package is loaded on first use of its client: they are large (EC2's alone costs about 0.75 s of CPU to
 * load), and a process that needs one client, such as the normalizer's Lambda or its worker thread, should load
 * one. `require` keeps client creation synchronous; the packages are CommonJS (no exports map), so this is the
 * same module instance an `import` of the package gets.
 */
const requireSdk = createRequire(import.meta.url);
const load = <T>(pkg: string, name: string) => () => (requireSdk(pkg) as Record<string, T>)[name]!;
type Ctor<T> = new (config: object) => T;

const SERVICES = {
  logs: load<Ctor<CloudWatchLogsClient>>('@aws-sdk/client-cloudwatch-logs', 'CloudWatchLogsClient'),
  firehose: load<Ctor<FirehoseClient>>('@aws-sdk/client-firehose', 'FirehoseClient'),
  kinesis: load<Ctor<KinesisClient>>('@aws-sdk/client-kinesis', 'KinesisClient'),
  s3: load<Ctor<S3Client>>('@aws-sdk/client-s3', 'S3Client'),
  sqs: load<Ctor<SQSClient>>('@aws-sdk/client-sqs', 'SQSClient'),
  sns: load<Ctor<SNSClient>>('@aws-sdk/client-sns', 'SNSClient'),
  dynamodb: load<Ctor<DynamoDBClient>>('@aws-sdk/client-dynamodb', 'DynamoDBClient'),
  sfn: load<Ctor<SFNClient>>('@aws-sdk/client-sfn', 'SFNClient'),
  ecs: load<Ctor<ECSClient>>('@aws-sdk/client-ecs', 'ECSClient'),
  eks: load<Ctor<EKSClient>>('@aws-sdk/client-eks', 'EKSClient'),
  rds: load<Ctor<RDSClient>>('@aws-sdk/client-rds', 'RDSClient'),
  ec2: load<Ctor<EC2Client>>('@aws-sdk/client-ec2', 'EC2Client'),
  wafv2: load<Ctor<WAFV2Client>>('@aws-sdk/client-wafv2', 'WAFV2Client'),
  lambda: load<Ctor<LambdaClient>>('@aws-sdk/client-lambda', 'LambdaClient'),
  iam: load<Ctor<IAMClient>>('@aws-sdk/client-iam', 'IAMClient'),
  sts: load<Ctor<STSClient>>('@aws-sdk/client-sts', 'STSClient'),
  eventbridge: load<Ctor<EventBridgeClient>>('@aws-sdk/client-eventbridge', 'EventBridgeClient'),
  securityhub: load<Ctor<SecurityHubClient>>('@aws-sdk/client-securityhub', 'SecurityHubClient'),
  tagging: load<Ctor<ResourceGroupsTaggingAPIClient>>('@aws-sdk/client-resource-groups-tagging-api', 'ResourceGroupsTaggingAPIClient'),
} as const;
const loadDocumentClient = load<typeof DynamoDBDocumentClient>('@aws-sdk/lib-dynamodb', 'DynamoDBDocumentClient');
export type AwsServiceKey = keyof typeof SERVICES;

type ServiceClients = { readonly [K in AwsServiceKey]: InstanceType<ReturnType<(typeof SERVICES)[K]>> };

export interface AwsClients extends ServiceClients {
  /** DynamoDB with plain JS values (removeUndefinedValues on). */
  readonly doc: DynamoDBDocumentClient;
  readonly ledger: CallLedger;
  /**
   * Where the clients point, and the options they were made with (without the ledger): enough to make the same
   * clients again in another thread.
   */
  readonly target: Readonly<{ endpoint: string | undefined; region: string; options: Omit<AwsTarget, 'ledger'> }>;
  /** Closes every client created so far (sockets), so a CLI run can exit. */
  destroy(): void;
}

/**
 * One factory for every AWS client firedrill uses. Clients are created on first use; each carries the
 * call-ledger middleware. (CloudWatch metrics is not here: its current SDK client speaks CBOR, which moto
 * cannot; add it with the JSON/Query protocol when a component needs it.)
 */
export function createAwsClients(target: AwsTarget = {}): AwsClients {
  // The lockfile pins SDK versions that support Node 20; their notice about future releases is noise in
  // every CLI run and test log. An explicit setting by the user wins.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const region = target.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = target.endpoint?.replace(/\/+$/, '');
  const ledger = target.ledger ?? new CallLedger();
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: target.connectionTimeoutMs ?? 3_000,
    requestTimeout: target.requestTimeoutMs ?? 60_000,
    throwOnRequestTimeout: true,
    httpAgent: { keepAlive: true, maxSockets: 64 },
    httpsAgent: { keepAlive: true, maxSockets: 64 },
  });
  const common = {
    region,
    requestHandler,
    // AWS_MAX_ATTEMPTS is the SDKs' own setting: a handler the local runtime starts gets the caller's through it.
    maxAttempts: target.maxAttempts ?? (Number(process.env.AWS_MAX_ATTEMPTS) || 3),
    retryMode: 'standard',
    ...(endpoint ? { endpoint, credentials: target.credentials ?? EMULATOR_CREDENTIALS } : target.credentials ? { credentials: target.credentials } : {}),
  };
  const made = new Map<string, { destroy(): void }>();

  const make = <K extends AwsServiceKey>(key: K): ServiceClients[K] => {
    let client = made.get(key) as ServiceClients[K] | undefined;
    if (!client) {
      const Ctor = SERVICES[key]() as unknown as Ctor<ServiceClients[K]>;
      // Path-style S3 URLs: an emulator on one host:port cannot serve virtual-hosted bucket names. Against an
      // emulator the SDK's default CRC32 on every PutObject and GetObject (both directions) is CPU spent on a
      // loopback copy; real AWS keeps the SDK's defaults.
      client = new Ctor(key === 's3' && endpoint ? { ...common, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : common);
      attachLedger(client.middlewareStack as unknown as MiddlewareStack<object, MetadataBearer>, key, ledger, endpoint);
      made.set(key, client);
    }
    return client;
  };

  const clients = {
    ledger,
    target: { endpoint, region, options: withoutLedger(target) },
    destroy() {
      for (const c of made.values()) c.destroy();
      made.clear();
      requestHandler.destroy();
    },
  } as Partial<Record<string, unknown>>;
  for (const key of Object.keys(SERVICES) as AwsServiceKey[]) {
    Object.defineProperty(clients, key, { enumerable: true, get: () => make(key) });
  }
  let doc: DynamoDBDocumentClient | undefined;
  Object.defineProperty(clients, 'doc', {
    enumerable: true,
    get: () => (doc ??= loadDocumentClient().from(make('dynamodb'), { marshallOptions: { removeUndefinedValues: true } })),
  });
  return clients as unknown as AwsClients;
}

function withoutLedger(target: AwsTarget): Omit<AwsTarget, 'ledger'> {
  const { ledger: _ledger, ...rest } = target;
  return rest;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'TimeoutError', 'RequestTimeout']);

function isUnreachable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  // A service answer (any HTTP status) means the endpoint is there.
  if (e.$metadata?.httpStatusCode) return false;
  return UNREACHABLE.has(e.code ?? '') || UNREACHABLE.has(e.name ?? '');
}

function attachLedger(stack: MiddlewareStack<object, MetadataBearer>, service: string, ledger: CallLedger, endpoint: string | undefined): void {
  stack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
      const startedAt = Date.now();
      const input = ledgerInput(args.input);
      try {
        const result = await next(args);
        ledger.record({ service, command, input, outcome: 'ok', httpStatus: result.output?.$metadata?.httpStatusCode, durationMs: Date.now() - startedAt, startedAt });
        return result;
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
        ledger.record({ service, command, input, outcome: 'error', error: errorName(err), httpStatus: status, durationMs: Date.now() - startedAt, startedAt });
        if (isUnreachable(err)) {
          const where = endpoint ?? `AWS ${service} in its region`;
          throw new EndpointUnreachableError(`${service}:${command} could not reach ${where}`, {
            expected: `an AWS API answering at ${where}`,
            seen: `${(err as { code?: string }).code ?? (err as Error).name}: ${errorMessage(err)} (after ${Date.now() - startedAt} ms, retries included)`,
            fix: endpoint
              ? 'the emulator stopped or was killed: start it again (`npx firedrill up`, or let the command start its own) and check `npx firedrill doctor`'
              : 'check network access and the region',
            cause: err,
          });
        }
        throw err;
      }
    },
    { step: 'initialize', name: 'firedrillCallLedger', override: true },
  );
}

/** Service errors have a meaningful name; socket errors are all `Error` and say more through `code`. */
function errorName(err: unknown): string {
  const e = err as { name?: string; code?: string } | undefined;
  return e?.name && e.name !== 'Error' ? e.name : (e?.code ?? e?.name ?? 'Error');
}
