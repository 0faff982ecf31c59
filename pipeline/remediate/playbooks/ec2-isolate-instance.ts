import type { JsonObject } from '../asl/types.ts';
import { str } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask } from './frame.ts';
import type { PlaybookSpec } from './types.ts';

export interface Ec2IsolateInstanceParams {
  instanceId: string;
  vpcId: string;
  quarantineGroupName: string;
  /** API shapes built by ec2IsolateInstanceParams, so the ASL needs no array templating. */
  quarantineFilters: JsonObject[];
  tagSpecifications: JsonObject[];
  allEgress: JsonObject[];
}

export function ec2IsolateInstanceParams(instanceId: string, vpcId: string, quarantineGroupName: string, tags: Record<string, string>): Ec2IsolateInstanceParams {
  return {
    instanceId,
    vpcId,
    quarantineGroupName,
    quarantineFilters: [
      { Name: 'group-name', Values: [quarantineGroupName] },
      { Name: 'vpc-id', Values: [vpcId] },
    ],
    tagSpecifications: [{ ResourceType: 'security-group', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
    allEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  };
}

/**
 * A compromised host is isolated, not stopped: memory and connections stay for forensics. Its interfaces move
 * to a quarantine security group with no rules (created once per VPC, found by name afterwards).
 */
export const ec2IsolateInstance: PlaybookSpec<Ec2IsolateInstanceParams> = {
  name: 'ec2-isolate-instance',
  description: 'move a compromised instance into a quarantine security group without rules',
  build: (ctx) =>
    framePlaybook(ctx, 'firedrill: isolate a compromised instance', 'FindQuarantineGroup', {
      FindQuarantineGroup: sdkTask('ec2', 'describeSecurityGroups', { 'Filters.$': '$.params.quarantineFilters' }, 'QuarantineGroupExists', {
        resultPath: '$.work.found',
        resultSelector: { 'groups.$': '$.SecurityGroups' },
      }),
      QuarantineGroupExists: {
        Type: 'Choice',
        Choices: [{ Variable: '$.work.found.groups[0]', IsPresent: true, Next: 'PickQuarantineGroup' }],
        Default: 'CreateQuarantineGroup',
      },
      // Two steps (a trailing index, then a field): moto 5.2 wraps `$.a[0].b` in a list, AWS does not.
      PickQuarantineGroup: { Type: 'Pass', Parameters: { 'group.$': '$.work.found.groups[0]' }, ResultPath: '$.work.found', Next: 'UseQuarantineGroup' },
      UseQuarantineGroup: { Type: 'Pass', Parameters: { 'groupId.$': '$.work.found.group.GroupId' }, ResultPath: '$.work.sg', Next: 'IsolateInstance' },
      CreateQuarantineGroup: sdkTask(
        'ec2',
        'createSecurityGroup',
        {
          'GroupName.$': '$.params.quarantineGroupName',
          Description: 'firedrill quarantine: no ingress, no egress',
          'VpcId.$': '$.params.vpcId',
          'TagSpecifications.$': '$.params.tagSpecifications',
        },
        'RevokeQuarantineEgress',
        { resultPath: '$.work.sg', resultSelector: { 'groupId.$': '$.GroupId' } },
      ),
      // A new group allows all egress; best effort to remove it — isolation still matters if this fails.
      RevokeQuarantineEgress: sdkTask('ec2', 'revokeSecurityGroupEgress', { 'GroupId.$': '$.work.sg.groupId', 'IpPermissions.$': '$.params.allEgress' }, 'IsolateInstance', {
        catches: [{ errors: ['States.ALL'], next: 'IsolateInstance' }],
      }),
      IsolateInstance: sdkTask('ec2', 'modifyInstanceAttribute', { 'InstanceId.$': '$.params.instanceId', 'Groups.$': 'States.Array($.work.sg.groupId)' }, FRAME.recordSuccess),
    }),
  inputs: ['instanceId', 'vpcId', 'quarantineGroupName'],
  fromInputs: (i, meta) => ec2IsolateInstanceParams(str(i, 'instanceId'), str(i, 'vpcId'), str(i, 'quarantineGroupName'), meta.tags),
  targets: (p) => [{ type: 'ec2-instance', id: p.instanceId }],
  resourceKeys: (p) => [`ec2-instance:${p.instanceId}`],
  outcomes: (p) => [{ outcome: 'ec2-instance-isolated', instanceId: p.instanceId, quarantineGroupName: p.quarantineGroupName }],
};
