import { optStr, str, strList } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask, throttleRetry } from './frame.ts';
import type { PlaybookSpec } from './types.ts';

export interface WafBlockIpsParams {
  ipSetName: string;
  ipSetId: string;
  ipSetArn: string;
  scope: 'REGIONAL' | 'CLOUDFRONT';
  /** CIDRs to add, e.g. `203.0.113.7/32`. */
  addresses: string[];
}

/**
 * AWS names the lock conflict `WafV2.WafOptimisticLockException`; moto 5.2.5 names aws-sdk task errors after the
 * boto3 service and the botocore class (`wafv2.WAFOptimisticLockException`). Both are caught.
 */
export const WAF_LOCK_ERRORS = ['WafV2.WafOptimisticLockException', 'wafv2.WAFOptimisticLockException'];
const MAX_LOCK_CONFLICTS = 3;

/**
 * Read-modify-write of the blocked IP set: GetIPSet (addresses + LockToken) → merge → UpdateIPSet with that
 * token. A lock conflict means someone else wrote in between: re-read and merge again, a bounded number of times
 * (retrying the same UpdateIPSet would resend the stale token forever).
 */
export const wafBlockIps: PlaybookSpec<WafBlockIpsParams> = {
  name: 'waf-block-ips',
  description: 'add offending IPs to the WAF IP set the web ACL blocks',
  build: (ctx) =>
    framePlaybook(ctx, 'firedrill: block offending IPs in the WAF IP set', 'HasAddresses', {
      HasAddresses: { Type: 'Choice', Choices: [{ Variable: '$.params.addresses[0]', IsPresent: true, Next: 'StartAttempts' }], Default: FRAME.recordSuccess },
      StartAttempts: { Type: 'Pass', Result: { attempt: 0 }, ResultPath: '$.work', Next: 'GetIPSet' },
      GetIPSet: sdkTask('wafv2', 'getIPSet', { 'Name.$': '$.params.ipSetName', 'Id.$': '$.params.ipSetId', 'Scope.$': '$.params.scope' }, 'CollectAddresses', {
        resultPath: '$.work.current',
        resultSelector: { 'addresses.$': '$.IPSet.Addresses', 'lockToken.$': '$.LockToken' },
        retry: throttleRetry(ctx, ['WafV2.WafInternalErrorException']),
      }),
      CollectAddresses: { Type: 'Pass', Parameters: { 'lists.$': 'States.Array($.work.current.addresses, $.params.addresses)' }, ResultPath: '$.work.merge', Next: 'FlattenAddresses' },
      // `[*][*]` flattens the two lists; HasAddresses guarantees the match is never empty.
      FlattenAddresses: { Type: 'Pass', Parameters: { 'all.$': '$.work.merge.lists[*][*]' }, ResultPath: '$.work.flat', Next: 'DedupeAddresses' },
      DedupeAddresses: { Type: 'Pass', Parameters: { 'addresses.$': 'States.ArrayUnique($.work.flat.all)' }, ResultPath: '$.work.next', Next: 'UpdateIPSet' },
      UpdateIPSet: sdkTask(
        'wafv2',
        'updateIPSet',
        { 'Name.$': '$.params.ipSetName', 'Id.$': '$.params.ipSetId', 'Scope.$': '$.params.scope', 'Addresses.$': '$.work.next.addresses', 'LockToken.$': '$.work.current.lockToken' },
        FRAME.recordSuccess,
        { resultPath: null, catches: [{ errors: WAF_LOCK_ERRORS, next: 'CountLockConflict' }] },
      ),
      CountLockConflict: { Type: 'Pass', Parameters: { 'attempt.$': 'States.MathAdd($.work.attempt, 1)' }, ResultPath: '$.work', Next: 'RereadOrGiveUp' },
      RereadOrGiveUp: { Type: 'Choice', Choices: [{ Variable: '$.work.attempt', NumericLessThan: MAX_LOCK_CONFLICTS, Next: 'GetIPSet' }], Default: FRAME.recordFailure },
    }),
  inputs: ['ipSetName', 'ipSetId', 'ipSetArn', 'addresses'],
  fromInputs: (i) => ({
    ipSetName: str(i, 'ipSetName'),
    ipSetId: str(i, 'ipSetId'),
    ipSetArn: str(i, 'ipSetArn'),
    scope: optStr(i, 'scope') === 'CLOUDFRONT' ? 'CLOUDFRONT' : 'REGIONAL',
    addresses: strList(i, 'addresses'),
  }),
  targets: (p) => [{ type: 'wafv2-ipset', arn: p.ipSetArn }],
  resourceKeys: (p) => p.addresses.map((a) => `wafv2-ipset:${p.ipSetId}:${a}`),
  outcomes: (p) => p.addresses.map((cidr) => ({ outcome: 'waf-ip-blocked' as const, ipSetName: p.ipSetName, ipSetId: p.ipSetId, scope: p.scope, cidr })),
};
