import { str } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask } from './frame.ts';
import type { PlaybookSpec } from './types.ts';

export interface Ec2StopInstanceParams {
  instanceId: string;
}

/** A failing host is taken out of service; its volumes stay for the post-mortem (stop, not terminate). */
export const ec2StopInstance: PlaybookSpec<Ec2StopInstanceParams> = {
  name: 'ec2-stop-instance',
  description: 'stop a failing instance',
  build: (ctx) =>
    framePlaybook(ctx, 'firedrill: stop a failing instance', 'StopInstance', {
      StopInstance: sdkTask('ec2', 'stopInstances', { 'InstanceIds.$': 'States.Array($.params.instanceId)' }, FRAME.recordSuccess),
    }),
  inputs: ['instanceId'],
  fromInputs: (i) => ({ instanceId: str(i, 'instanceId') }),
  targets: (p) => [{ type: 'ec2-instance', id: p.instanceId }],
  resourceKeys: (p) => [`ec2-instance:${p.instanceId}`],
  outcomes: (p) => [{ outcome: 'ec2-instance-stopped', instanceId: p.instanceId }],
};
