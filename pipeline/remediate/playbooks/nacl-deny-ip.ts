import { num, str } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask } from './frame.ts';
import type { PlaybookSpec } from './types.ts';

export interface NaclDenyIpParams {
  networkAclId: string;
  cidr: string;
  /** First rule number tried; must sort before the ACL's allow rules (100 in a default ACL). */
  ruleNumber: number;
}

/** How many neighbouring rule numbers are tried when the chosen one is taken. */
const MAX_RULE_TRIES = 5;

/** A deny rule number in 1..80 derived from the CIDR, so two attackers rarely collide and a retry is cheap. */
export function naclRuleNumberFor(cidr: string): number {
  let h = 0;
  for (const ch of cidr) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return 1 + (h % 80);
}

/**
 * Adds an inbound deny entry for the offending CIDR to the subnet's network ACL. A taken rule number is not an
 * error worth failing for: try the next one, a bounded number of times. Any other failure is audited.
 */
export const naclDenyIp: PlaybookSpec<NaclDenyIpParams> = {
  name: 'nacl-deny-ip',
  description: 'deny inbound traffic from the offending CIDR in the network ACL',
  build: (ctx) =>
    framePlaybook(ctx, 'firedrill: deny the offending CIDR in the network ACL', 'StartRuleNumber', {
      StartRuleNumber: { Type: 'Pass', Parameters: { 'ruleNumber.$': '$.params.ruleNumber', tries: 0 }, ResultPath: '$.work', Next: 'CreateDenyEntry' },
      CreateDenyEntry: sdkTask(
        'ec2',
        'createNetworkAclEntry',
        { 'NetworkAclId.$': '$.params.networkAclId', 'RuleNumber.$': '$.work.ruleNumber', Protocol: '-1', RuleAction: 'deny', Egress: false, 'CidrBlock.$': '$.params.cidr' },
        FRAME.recordSuccess,
        // EC2's errors carry no modelled class: AWS and moto name them differently, so the Cause text decides.
        { catches: [{ errors: ['States.ALL'], next: 'HasCause' }] },
      ),
      HasCause: { Type: 'Choice', Choices: [{ Variable: '$.error.Cause', IsPresent: true, Next: 'RuleNumberTaken' }], Default: FRAME.recordFailure },
      RuleNumberTaken: {
        Type: 'Choice',
        Choices: [{ And: [{ Variable: '$.error.Cause', StringMatches: '*already exists*' }, { Variable: '$.work.tries', NumericLessThan: MAX_RULE_TRIES }], Next: 'NextRuleNumber' }],
        Default: FRAME.recordFailure,
      },
      NextRuleNumber: {
        Type: 'Pass',
        Parameters: { 'ruleNumber.$': 'States.MathAdd($.work.ruleNumber, 1)', 'tries.$': 'States.MathAdd($.work.tries, 1)' },
        ResultPath: '$.work',
        Next: 'CreateDenyEntry',
      },
    }),
  inputs: ['networkAclId', 'cidr'],
  fromInputs: (i) => {
    const cidr = str(i, 'cidr');
    return { networkAclId: str(i, 'networkAclId'), cidr, ruleNumber: typeof i.ruleNumber === 'number' ? num(i, 'ruleNumber') : naclRuleNumberFor(cidr) };
  },
  targets: (p) => [{ type: 'ec2-network-acl', id: p.networkAclId }],
  resourceKeys: (p) => [`ec2-network-acl:${p.networkAclId}:${p.cidr}`],
  outcomes: (p) => [{ outcome: 'nacl-deny-entry', networkAclId: p.networkAclId, cidr: p.cidr }],
};
