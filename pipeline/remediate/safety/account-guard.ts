import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { FiredrillError } from '../../../core/index.ts';
import type { SafetyConfig } from './safety-config.ts';

/** Remediation was pointed at a real AWS account that nobody allowed it to act in. */
export class AccountNotAllowedError extends FiredrillError {}

/**
 * On `--target aws`, acting is allowed only in an account listed explicitly. The account is the one the
 * credentials really belong to (STS), not one a config file claims. On the emulator there is nothing to guard.
 * Returns the account id it checked (undefined on the emulator).
 */
export async function assertAccountAllowed(sts: Pick<STSClient, 'send'>, safety: Pick<SafetyConfig, 'target' | 'accountAllowlist'>): Promise<string | undefined> {
  if (safety.target !== 'aws') return undefined;
  const account = (await sts.send(new GetCallerIdentityCommand({}))).Account ?? '(unknown)';
  if (!safety.accountAllowlist.includes(account)) {
    throw new AccountNotAllowedError(`refusing to remediate in AWS account ${account}: it is not in the allowlist`, {
      expected: `one of ${safety.accountAllowlist.length > 0 ? safety.accountAllowlist.join(', ') : '(an empty allowlist)'}`,
      seen: account,
      fix: 'add the account to FIREDRILL_AWS_ACCOUNT_ALLOWLIST if remediation may change it, or use --dry-run',
    });
  }
  return account;
}
