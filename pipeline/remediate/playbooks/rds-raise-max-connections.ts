import type { JsonObject } from '../asl/types.ts';
import { num, optStr, str } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask } from './frame.ts';
import type { ManagedTarget, OutcomeExpectation, PlaybookSpec } from './types.ts';

export interface RdsRaiseMaxConnectionsParams {
  parameterGroup: string;
  dbInstanceId: string;
  maxConnections: number;
  /** The API shape of the change; max_connections is static in PostgreSQL, hence pending-reboot. */
  parameters: JsonObject[];
  /** The app to restart once the database is fixed; absent → only the database is fixed. */
  app?: { cluster: string; service: string; serviceArn: string };
}

export function rdsRaiseMaxConnectionsParams(
  parameterGroup: string,
  dbInstanceId: string,
  maxConnections: number,
  app?: RdsRaiseMaxConnectionsParams['app'],
): RdsRaiseMaxConnectionsParams {
  const p: RdsRaiseMaxConnectionsParams = {
    parameterGroup,
    dbInstanceId,
    maxConnections,
    parameters: [{ ParameterName: 'max_connections', ParameterValue: String(maxConnections), ApplyMethod: 'pending-reboot' }],
  };
  if (app) p.app = app;
  return p;
}

/**
 * The cascade's fix, in dependency order: raise max_connections, reboot so the static parameter applies, wait
 * until the instance is available again, and only then force a new deployment of the app — restarting the app
 * before the database is fixed would just crash it again.
 */
export const rdsRaiseMaxConnections: PlaybookSpec<RdsRaiseMaxConnectionsParams> = {
  name: 'rds-raise-max-connections',
  description: 'raise max_connections, reboot the database, then redeploy the app once the database is available',
  build: (ctx) =>
    framePlaybook(ctx, 'firedrill: fix RDS connection exhaustion, then restart the app', 'RaiseMaxConnections', {
      RaiseMaxConnections: sdkTask(
        'rds',
        'modifyDBParameterGroup',
        { 'DBParameterGroupName.$': '$.params.parameterGroup', 'Parameters.$': '$.params.parameters' },
        'RebootDatabase',
      ),
      RebootDatabase: sdkTask('rds', 'rebootDBInstance', { 'DBInstanceIdentifier.$': '$.params.dbInstanceId' }, 'StartPolling'),
      StartPolling: { Type: 'Pass', Result: { n: 0 }, ResultPath: '$.work', Next: 'WaitForDatabase' },
      WaitForDatabase: { Type: 'Wait', Seconds: ctx.pollSeconds, Next: 'DescribeDatabase' },
      DescribeDatabase: sdkTask('rds', 'describeDBInstances', { 'DBInstanceIdentifier.$': '$.params.dbInstanceId' }, 'DatabaseAvailable', {
        resultPath: '$.work.db',
        // Only the status, as a list: moto 5.2 returns `[value]` for `$.DBInstances[0].DBInstanceStatus` where AWS
        // returns the value (a wildcard is a list on both), and keeping the whole instance would carry datetimes
        // into the execution's output, which moto's DescribeExecution cannot serialise.
        resultSelector: { 'statuses.$': '$.DBInstances[*].DBInstanceStatus' },
      }),
      DatabaseAvailable: { Type: 'Choice', Choices: [{ Variable: '$.work.db.statuses[0]', StringEquals: 'available', Next: 'HasApp' }], Default: 'CountPoll' },
      CountPoll: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.work.n, 1)' }, ResultPath: '$.work', Next: 'PollAgain' },
      PollAgain: { Type: 'Choice', Choices: [{ Variable: '$.work.n', NumericLessThan: ctx.maxPolls, Next: 'WaitForDatabase' }], Default: FRAME.recordFailure },
      HasApp: { Type: 'Choice', Choices: [{ Variable: '$.params.app.service', IsPresent: true, Next: 'RedeployApp' }], Default: FRAME.recordSuccess },
      RedeployApp: sdkTask('ecs', 'updateService', { 'Cluster.$': '$.params.app.cluster', 'Service.$': '$.params.app.service', ForceNewDeployment: true }, FRAME.recordSuccess),
    }),
  inputs: ['parameterGroup', 'dbInstanceId', 'maxConnections'],
  fromInputs: (i) => {
    const service = optStr(i, 'service');
    return rdsRaiseMaxConnectionsParams(
      str(i, 'parameterGroup'),
      str(i, 'dbInstanceId'),
      num(i, 'maxConnections'),
      service ? { cluster: str(i, 'cluster'), service, serviceArn: str(i, 'serviceArn') } : undefined,
    );
  },
  targets: (p) => {
    const t: ManagedTarget[] = [
      { type: 'rds-parameter-group', name: p.parameterGroup },
      { type: 'rds-instance', id: p.dbInstanceId },
    ];
    if (p.app) t.push({ type: 'ecs-service', arn: p.app.serviceArn });
    return t;
  },
  resourceKeys: (p) => [`rds-instance:${p.dbInstanceId}`, ...(p.app ? [`ecs-service:${p.app.cluster}/${p.app.service}`] : [])],
  outcomes: (p) => {
    const o: OutcomeExpectation[] = [{ outcome: 'rds-parameter-raised', parameterGroup: p.parameterGroup, parameter: 'max_connections', atLeast: p.maxConnections }];
    if (p.app) o.push({ outcome: 'ecs-service-redeployed', cluster: p.app.cluster, service: p.app.service });
    return o;
  },
};
