import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_MS, type HandlerSpec } from './handler-spec.ts';

/** Where the runtime's handlers send their AWS calls. */
export interface RuntimeTarget {
  /** The emulator; undefined for real AWS (then the credentials come from this process's environment). */
  endpoint: string | undefined;
  region: string;
  account: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** The SDKs' attempts per call (AWS_MAX_ATTEMPTS), when the caller chose one. */
  maxAttempts?: number;
}

/** The names Lambda gives a function and its logs. */
export interface FunctionIdentity {
  name: string;
  arn: string;
  region: string;
  account: string;
  memoryMb: number;
  timeoutMs: number;
  logGroupName: string;
  logStreamName: string;
  /** `invokeIdentityArn` of stream events: the execution role (the runtime has none; this names it plainly). */
  roleArn: string;
}

export function functionIdentity(spec: HandlerSpec, target: RuntimeTarget): FunctionIdentity {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    name: spec.name,
    arn: `arn:aws:lambda:${target.region}:${target.account}:function:${spec.name}`,
    region: target.region,
    account: target.account,
    memoryMb: spec.memoryMb ?? DEFAULT_MEMORY_MB,
    timeoutMs: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    logGroupName: `/aws/lambda/${spec.name}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    roleArn: `arn:aws:iam::${target.account}:role/${spec.name}-role`,
  };
}

/** Variables of this process a handler inherits: what a program needs to run, not the caller's configuration. */
const PASS_THROUGH = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'SSL_CERT_FILE', 'FIREDRILL_LOG_LEVEL', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
/** On real AWS the handler finds credentials as this process does. */
const CREDENTIAL_CHAIN = ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CA_BUNDLE'];

/**
 * A handler's environment, as Lambda builds one: a few variables to run, the function's own `environment`, then
 * the reserved variables, which the function cannot override — among them `AWS_ENDPOINT_URL` and the emulator's
 * credentials, so that the handler's own SDK clients (JavaScript v3, boto3) reach the emulator.
 */
export function handlerEnvironment(spec: HandlerSpec, id: FunctionIdentity, target: RuntimeTarget, runtimeVars: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  const inherit = target.endpoint ? PASS_THROUGH : [...PASS_THROUGH, ...CREDENTIAL_CHAIN];
  for (const k of inherit) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  Object.assign(env, spec.environment);
  const taskRoot = spec.runtime === 'node' ? path.dirname(spec.entry.file) : spec.runtime === 'python' ? spec.entry.codeDir : process.cwd();
  Object.assign(env, {
    AWS_REGION: target.region,
    AWS_DEFAULT_REGION: target.region,
    AWS_LAMBDA_FUNCTION_NAME: id.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(id.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: id.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: id.logStreamName,
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: spec.runtime === 'node' ? `${path.basename(spec.entry.file)}#${spec.entry.export}` : spec.runtime === 'python' ? spec.entry.handler : spec.name,
    ...runtimeVars,
  });
  if (target.endpoint) {
    const creds = target.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' };
    env.AWS_ENDPOINT_URL = target.endpoint;
    env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
    if (creds.sessionToken) env.AWS_SESSION_TOKEN = creds.sessionToken;
    else delete env.AWS_SESSION_TOKEN;
  }
  if (target.maxAttempts) env.AWS_MAX_ATTEMPTS = String(target.maxAttempts);
  return env;
}
