import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FiredrillError } from '../../../core/index.ts';
import type { AslDefinition } from './types.ts';
import { parseSdkResource, type SdkService } from './validate-asl.ts';

/** boto3 service name (as in the task ARN) → the AWS SDK v3 client package that speaks the same API. */
export const SDK_PACKAGES: Record<SdkService, string> = {
  ec2: '@aws-sdk/client-ec2',
  ecs: '@aws-sdk/client-ecs',
  eks: '@aws-sdk/client-eks',
  wafv2: '@aws-sdk/client-wafv2',
  rds: '@aws-sdk/client-rds',
  iam: '@aws-sdk/client-iam',
  lambda: '@aws-sdk/client-lambda',
  s3: '@aws-sdk/client-s3',
  dynamodb: '@aws-sdk/client-dynamodb',
  sns: '@aws-sdk/client-sns',
  sts: '@aws-sdk/client-sts',
};

/**
 * Each package loaded by a literal specifier, for where its files cannot be read: in a bundle (the SUT hooks infra/
 * bundles run from wherever the bundle was written, with no node_modules beside it) a bundler follows these imports
 * and ships the packages, while a lookup of the package's files by name finds nothing. Never called where the
 * package's files resolve, so the CLI's thread does not load the packages.
 */
const SDK_PACKAGE_LOADERS: Record<SdkService, () => Promise<Record<string, unknown>>> = {
  ec2: () => import('@aws-sdk/client-ec2'),
  ecs: () => import('@aws-sdk/client-ecs'),
  eks: () => import('@aws-sdk/client-eks'),
  wafv2: () => import('@aws-sdk/client-wafv2'),
  rds: () => import('@aws-sdk/client-rds'),
  iam: () => import('@aws-sdk/client-iam'),
  lambda: () => import('@aws-sdk/client-lambda'),
  s3: () => import('@aws-sdk/client-s3'),
  dynamodb: () => import('@aws-sdk/client-dynamodb'),
  sns: () => import('@aws-sdk/client-sns'),
  sts: () => import('@aws-sdk/client-sts'),
};

export interface SdkTaskRef {
  state: string;
  service: string;
  action: string;
  /** The SDK v3 package and command class the action corresponds to, e.g. `@aws-sdk/client-wafv2` `UpdateIPSetCommand`. */
  packageName: string | undefined;
  commandName: string;
}

/** Every aws-sdk task of a definition with the SDK v3 command it names (`updateIPSet` → `UpdateIPSetCommand`). */
export function sdkTasksOf(def: AslDefinition): SdkTaskRef[] {
  const out: SdkTaskRef[] = [];
  for (const [state, s] of Object.entries(def.States)) {
    if (s.Type !== 'Task') continue;
    const sdk = parseSdkResource(s.Resource);
    if (!sdk) continue;
    out.push({
      state,
      service: sdk.service,
      action: sdk.action,
      packageName: SDK_PACKAGES[sdk.service as SdkService],
      commandName: `${sdk.action[0]!.toUpperCase()}${sdk.action.slice(1)}Command`,
    });
  }
  return out;
}

/** A task names an API action that the AWS SDK does not have: it would fail only when the playbook runs. */
export class UnknownSdkActionError extends FiredrillError {}

/**
 * Checks that every aws-sdk action the definition calls exists: that the SDK v3 client package of its service ships
 * the command (its declaration, `dist-types/commands/<Command>.d.ts`, one file per command in every v3 client).
 * Read from the installed package's files rather than by loading it: the drill's setup hook deploys the playbooks in
 * the CLI's thread, and a package loaded there (EC2's is ~7.6 MB of heap) stays loaded for the whole drill. Where
 * the files do not resolve (a bundle), the package is loaded and its export looked up instead.
 * Returns the problems (empty when all exist).
 */
export async function missingSdkActions(def: AslDefinition): Promise<string[]> {
  const problems: string[] = [];
  for (const t of sdkTasksOf(def)) {
    if (!t.packageName) {
      problems.push(`${t.state}: no SDK package known for service ${t.service}`);
      continue;
    }
    let dir: string | undefined;
    try {
      // The v3 clients have no exports map: their package.json resolves as a file.
      dir = dirname(requirePackage.resolve(`${t.packageName}/package.json`));
    } catch {
      dir = undefined;
    }
    if (dir !== undefined) {
      if (!(await exists(join(dir, 'dist-types', 'commands', `${t.commandName}.d.ts`)))) problems.push(missing(t));
      continue;
    }
    let mod: Record<string, unknown>;
    try {
      mod = await SDK_PACKAGE_LOADERS[t.service as SdkService]();
    } catch (err) {
      problems.push(`${t.state}: cannot load ${t.packageName}: ${(err as Error).message}`);
      continue;
    }
    if (typeof mod[t.commandName] !== 'function') problems.push(missing(t));
  }
  return problems;
}

const missing = (t: SdkTaskRef) => `${t.state}: ${t.packageName} has no ${t.commandName} (${t.service}:${t.action})`;
const requirePackage = createRequire(import.meta.url);
const exists = (file: string) => access(file).then(
  () => true,
  () => false,
);

export async function assertSdkActionsExist(name: string, def: AslDefinition): Promise<void> {
  const problems = await missingSdkActions(def);
  if (problems.length > 0) {
    throw new UnknownSdkActionError(`playbook ${name} calls AWS API actions that do not exist`, {
      expected: 'every arn:aws:states:::aws-sdk:<service>:<action> to name an action of that service (camelCase)',
      seen: problems.join('; '),
      fix: 'correct the action name in the playbook builder (see the AWS SDK v3 client command names)',
    });
  }
}
