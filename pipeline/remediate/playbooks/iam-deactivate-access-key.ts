import { str } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask } from './frame.ts';
import type { PlaybookSpec } from './types.ts';

export interface IamDeactivateAccessKeyParams {
  userName: string;
  accessKeyId: string;
}

/** Inactive, not deleted: the key can be re-enabled after the investigation, and its history stays. */
export const iamDeactivateAccessKey: PlaybookSpec<IamDeactivateAccessKeyParams> = {
  name: 'iam-deactivate-access-key',
  description: 'set the compromised access key to Inactive',
  build: (ctx) =>
    framePlaybook(ctx, 'firedrill: deactivate a compromised access key', 'DeactivateKey', {
      DeactivateKey: sdkTask('iam', 'updateAccessKey', { 'UserName.$': '$.params.userName', 'AccessKeyId.$': '$.params.accessKeyId', Status: 'Inactive' }, FRAME.recordSuccess),
    }),
  inputs: ['userName', 'accessKeyId'],
  fromInputs: (i) => ({ userName: str(i, 'userName'), accessKeyId: str(i, 'accessKeyId') }),
  targets: (p) => [{ type: 'iam-user', userName: p.userName }],
  resourceKeys: (p) => [`iam-access-key:${p.accessKeyId}`],
  outcomes: (p) => [{ outcome: 'access-key-inactive', userName: p.userName, accessKeyId: p.accessKeyId }],
};
