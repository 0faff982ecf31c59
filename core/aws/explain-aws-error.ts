import { errorMessage, FiredrillError, type ErrorDetails } from '../errors.ts';

/** A call to real AWS failed for a reason the caller can fix: credentials, region or permissions. */
export class AwsAccessError extends FiredrillError {}

const has = (err: unknown, names: RegExp) => {
  const e = err as { name?: string; code?: string; Code?: string; message?: string } | undefined;
  return names.test(e?.name ?? '') || names.test(e?.code ?? '') || names.test(e?.Code ?? '');
};

/**
 * What a failed call to real AWS means, in AWS's terms and with the fix: missing, expired or invalid credentials,
 * a missing or disabled region, a permission the caller lacks. undefined for anything else (a genuine service error
 * the caller reports as it is).
 */
export function explainAwsError(err: unknown, what: string): Required<Pick<ErrorDetails, 'expected' | 'fix'>> & { summary: string } | undefined {
  const message = errorMessage(err);
  if (has(err, /^CredentialsProviderError$/) || /Could not load credentials|Unable to locate credentials|credential.*not found/i.test(message)) {
    return {
      summary: `no AWS credentials for ${what}`,
      expected: 'credentials from the SDK chain: environment, shared config/profile, SSO, or an instance/task role',
      fix: 'set AWS_PROFILE (and run `aws sso login` for SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; on EC2/ECS attach a role',
    };
  }
  if (has(err, /^(ExpiredToken|ExpiredTokenException|RequestExpired|TokenRefreshRequired)$/) || /expired/i.test(message) && /token|credential/i.test(message)) {
    return { summary: `the AWS credentials for ${what} have expired`, expected: 'current credentials', fix: 'refresh them (`aws sso login`, or new session credentials) and run again' };
  }
  if (has(err, /^(InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidAccessKeyId|AuthFailure)$/)) {
    return {
      summary: `AWS does not accept the credentials used for ${what}`,
      expected: 'an access key AWS knows, with its matching secret',
      fix: 'check AWS_PROFILE / AWS_ACCESS_KEY_ID; keys made for an emulator (test/test) do not work on AWS',
    };
  }
  if (has(err, /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError|AuthorizationErrorException|Forbidden)$/) || /not authorized to perform/i.test(message)) {
    const action = /perform: ([\w-]+:\w+)/.exec(message)?.[1];
    return {
      summary: `permission denied for ${what}`,
      expected: `the caller to be allowed ${action ?? 'the action'} on the resource`,
      fix: `grant ${action ?? 'the action AWS names in the message'} to the caller's role or user (\`firedrill plan --target aws\` lists what firedrill creates), or run with credentials that have it`,
    };
  }
  if (has(err, /^OptInRequired$/) || /region.*(not enabled|disabled)|opt.?in/i.test(message)) {
    return { summary: `the region is not enabled for this account (${what})`, expected: 'an enabled region', fix: 'enable it in the account settings, or set AWS_REGION to an enabled one' };
  }
  if (/Region is missing|region.*not.*(set|configured)|Invalid region/i.test(message) || (has(err, /^(ENOTFOUND|EAI_AGAIN)$/) && /amazonaws\.com/.test(message))) {
    return { summary: `no usable AWS region for ${what}`, expected: 'AWS_REGION (or a profile region) naming a region, e.g. us-east-1', fix: 'export AWS_REGION=us-east-1 (or the region of your account)' };
  }
  return undefined;
}

/** Rethrows a failed call to real AWS as an AwsAccessError when it is about credentials, region or permissions. */
export function asAwsAccessError(err: unknown, what: string): unknown {
  const x = explainAwsError(err, what);
  return x ? new AwsAccessError(x.summary, { expected: x.expected, seen: `${(err as Error)?.name ?? 'Error'}: ${errorMessage(err)}`, fix: x.fix, cause: err }) : err;
}
