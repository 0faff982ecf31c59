import { num, str } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask } from './frame.ts';
import type { PlaybookSpec } from './types.ts';

export interface EksScaleNodegroupParams {
  cluster: string;
  nodegroup: string;
  /** Nodes to add to the current desired size (one per NotReady node). */
  addNodes: number;
  /** What the outcome check reads back: the desired size at least this (the declared size plus addNodes). */
  atLeast: number;
}

/**
 * Replace lost capacity: read the node group's scaling, add `addNodes` to its desired size and wait until the node
 * group reports the new size and is ACTIVE. A node group already at its maximum is left alone (the failure path
 * says so): raising the ceiling is a person's call.
 */
export const eksScaleNodegroup: PlaybookSpec<EksScaleNodegroupParams> = {
  name: 'eks-scale-nodegroup',
  description: 'add nodes to an EKS managed node group (desired size + n, within its maximum)',
  build: (ctx) => {
    const scaling = { 'desired.$': '$.nodegroup.scalingConfig.desiredSize', 'min.$': '$.nodegroup.scalingConfig.minSize', 'max.$': '$.nodegroup.scalingConfig.maxSize', 'status.$': '$.nodegroup.status' };
    const describe = { 'ClusterName.$': '$.params.cluster', 'NodegroupName.$': '$.params.nodegroup' };
    return framePlaybook(ctx, 'firedrill: scale an EKS node group up', 'DescribeNodegroup', {
      DescribeNodegroup: sdkTask('eks', 'describeNodegroup', describe, 'ComputeTarget', { resultPath: '$.work.ng', resultSelector: scaling }),
      ComputeTarget: { Type: 'Pass', Parameters: { 'target.$': 'States.MathAdd($.work.ng.desired, $.params.addNodes)' }, ResultPath: '$.work.plan', Next: 'WithinMax' },
      WithinMax: { Type: 'Choice', Choices: [{ Variable: '$.work.plan.target', NumericGreaterThanPath: '$.work.ng.max', Next: 'AtMaxSize' }], Default: 'ScaleUp' },
      AtMaxSize: { Type: 'Pass', Result: { Error: 'NodegroupAtMaxSize', Cause: 'the node group would exceed its maximum size; raising it is left to a person' }, ResultPath: '$.error', Next: FRAME.recordFailure },
      ScaleUp: sdkTask(
        'eks',
        'updateNodegroupConfig',
        { 'ClusterName.$': '$.params.cluster', 'NodegroupName.$': '$.params.nodegroup', ScalingConfig: { 'MinSize.$': '$.work.ng.min', 'MaxSize.$': '$.work.ng.max', 'DesiredSize.$': '$.work.plan.target' } },
        'StartPolling',
      ),
      StartPolling: { Type: 'Pass', Result: { n: 0 }, ResultPath: '$.work.poll', Next: 'WaitForNodegroup' },
      WaitForNodegroup: { Type: 'Wait', Seconds: ctx.pollSeconds, Next: 'CheckNodegroup' },
      CheckNodegroup: sdkTask('eks', 'describeNodegroup', describe, 'Scaled', { resultPath: '$.work.ng', resultSelector: scaling }),
      Scaled: {
        Type: 'Choice',
        Choices: [{ And: [{ Variable: '$.work.ng.desired', NumericGreaterThanEqualsPath: '$.work.plan.target' }, { Variable: '$.work.ng.status', StringEquals: 'ACTIVE' }], Next: FRAME.recordSuccess }],
        Default: 'CountPoll',
      },
      CountPoll: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.work.poll.n, 1)' }, ResultPath: '$.work.poll', Next: 'PollAgain' },
      PollAgain: { Type: 'Choice', Choices: [{ Variable: '$.work.poll.n', NumericLessThan: ctx.maxPolls, Next: 'WaitForNodegroup' }], Default: 'NotScaled' },
      NotScaled: { Type: 'Pass', Result: { Error: 'NodegroupNotScaled', Cause: 'the node group did not report the new size within the polls' }, ResultPath: '$.error', Next: FRAME.recordFailure },
    });
  },
  inputs: ['cluster', 'nodegroup', 'addNodes', 'atLeast'],
  fromInputs: (i) => ({ cluster: str(i, 'cluster'), nodegroup: str(i, 'nodegroup'), addNodes: num(i, 'addNodes'), atLeast: num(i, 'atLeast') }),
  targets: (p) => [{ type: 'eks-nodegroup', cluster: p.cluster, nodegroup: p.nodegroup }],
  resourceKeys: (p) => [`eks-nodegroup:${p.cluster}/${p.nodegroup}`],
  outcomes: (p) => [{ outcome: 'eks-nodegroup-scaled', cluster: p.cluster, nodegroup: p.nodegroup, atLeast: p.atLeast }],
};
