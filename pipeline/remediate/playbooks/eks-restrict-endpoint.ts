import { str } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask } from './frame.ts';
import type { PlaybookSpec } from './types.ts';

export interface EksRestrictEndpointParams {
  cluster: string;
}

/**
 * Close the cluster's public API endpoint (private access on, so nodes and in-VPC tools keep working): the answer
 * to someone on the internet walking the API. Already private → nothing to do. EKS applies the change as an
 * update that takes minutes on AWS; the playbook polls DescribeCluster until the endpoint reads private and the
 * cluster is ACTIVE again. On AWS, UpdateClusterConfig merges the endpoint settings into the VPC config; moto
 * 5.2.5 replaces resourcesVpcConfig with what was sent (subnet ids vanish from DescribeCluster afterwards).
 */
export const eksRestrictEndpoint: PlaybookSpec<EksRestrictEndpointParams> = {
  name: 'eks-restrict-endpoint',
  description: 'turn the EKS cluster endpoint\'s public access off (private access on)',
  build: (ctx) => {
    // Only what the Choices read: the cluster description carries datetimes moto's DescribeExecution cannot serialise.
    const access = { 'public.$': '$.cluster.resourcesVpcConfig.endpointPublicAccess', 'status.$': '$.cluster.status' };
    return framePlaybook(ctx, 'firedrill: make an EKS cluster endpoint private', 'DescribeCluster', {
      DescribeCluster: sdkTask('eks', 'describeCluster', { 'Name.$': '$.params.cluster' }, 'AlreadyPrivate', { resultPath: '$.work.cluster', resultSelector: access }),
      AlreadyPrivate: { Type: 'Choice', Choices: [{ Variable: '$.work.cluster.public', BooleanEquals: false, Next: FRAME.recordSuccess }], Default: 'RestrictEndpoint' },
      RestrictEndpoint: sdkTask('eks', 'updateClusterConfig', { 'Name.$': '$.params.cluster', ResourcesVpcConfig: { EndpointPublicAccess: false, EndpointPrivateAccess: true } }, 'StartPolling'),
      StartPolling: { Type: 'Pass', Result: { n: 0 }, ResultPath: '$.work.poll', Next: 'WaitForCluster' },
      WaitForCluster: { Type: 'Wait', Seconds: ctx.pollSeconds, Next: 'CheckCluster' },
      CheckCluster: sdkTask('eks', 'describeCluster', { 'Name.$': '$.params.cluster' }, 'EndpointClosed', { resultPath: '$.work.cluster', resultSelector: access }),
      EndpointClosed: {
        Type: 'Choice',
        Choices: [{ And: [{ Variable: '$.work.cluster.public', BooleanEquals: false }, { Variable: '$.work.cluster.status', StringEquals: 'ACTIVE' }], Next: FRAME.recordSuccess }],
        Default: 'CountPoll',
      },
      CountPoll: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.work.poll.n, 1)' }, ResultPath: '$.work.poll', Next: 'PollAgain' },
      PollAgain: { Type: 'Choice', Choices: [{ Variable: '$.work.poll.n', NumericLessThan: ctx.maxPolls, Next: 'WaitForCluster' }], Default: 'StillPublic' },
      StillPublic: { Type: 'Pass', Result: { Error: 'EndpointStillPublic', Cause: 'the cluster endpoint did not read private within the polls' }, ResultPath: '$.error', Next: FRAME.recordFailure },
    });
  },
  inputs: ['cluster'],
  fromInputs: (i) => ({ cluster: str(i, 'cluster') }),
  targets: (p) => [{ type: 'eks-cluster', name: p.cluster }],
  resourceKeys: (p) => [`eks-cluster:${p.cluster}`],
  outcomes: (p) => [{ outcome: 'eks-endpoint-private', cluster: p.cluster }],
};
