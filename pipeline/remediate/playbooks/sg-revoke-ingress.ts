import type { JsonObject } from '../asl/types.ts';
import { num, optStr, str } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask } from './frame.ts';
import type { PlaybookSpec } from './types.ts';

export interface SgRevokeIngressParams {
  groupId: string;
  protocol: 'tcp' | 'udp';
  port: number;
  /** The allow rule's source, e.g. `0.0.0.0/0` for SSH open to the world. */
  cidr: string;
  /** The API shape of the rule to revoke; built by sgRevokeIngressParams so the ASL needs no array templating. */
  ipPermissions: JsonObject[];
}

export function sgRevokeIngressParams(groupId: string, port: number, cidr: string, protocol: 'tcp' | 'udp' = 'tcp'): SgRevokeIngressParams {
  return { groupId, protocol, port, cidr, ipPermissions: [{ IpProtocol: protocol, FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr }] }] };
}

/** Security groups only allow, so containment means removing the allow rule the attack came through. */
export const sgRevokeIngress: PlaybookSpec<SgRevokeIngressParams> = {
  name: 'sg-revoke-ingress',
  description: 'revoke the security-group ingress rule the attack used (e.g. SSH from anywhere)',
  build: (ctx) =>
    framePlaybook(ctx, 'firedrill: revoke an ingress rule of the security group', 'RevokeIngress', {
      RevokeIngress: sdkTask('ec2', 'revokeSecurityGroupIngress', { 'GroupId.$': '$.params.groupId', 'IpPermissions.$': '$.params.ipPermissions' }, FRAME.recordSuccess),
    }),
  inputs: ['groupId', 'port', 'cidr'],
  fromInputs: (i) => sgRevokeIngressParams(str(i, 'groupId'), num(i, 'port'), str(i, 'cidr'), optStr(i, 'protocol') === 'udp' ? 'udp' : 'tcp'),
  targets: (p) => [{ type: 'ec2-security-group', id: p.groupId }],
  resourceKeys: (p) => [`ec2-security-group:${p.groupId}:${p.protocol}/${p.port}:${p.cidr}`],
  outcomes: (p) => [{ outcome: 'sg-ingress-revoked', groupId: p.groupId, port: p.port, cidr: p.cidr }],
};
