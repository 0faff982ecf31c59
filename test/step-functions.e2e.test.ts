import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { pollUntil } from '../core/poll-until.ts';
import { defaultTopology, type EstateIds } from '../core/topology/index.ts';
import { resetEmulatorAt } from '../emulator/index.ts';
import { bootstrapWithBuiltin } from '../harness/sut/index.ts';
import { createAwsClients, type AwsClients } from '../core/aws/index.ts';

const topology = defaultTopology();
let clients: AwsClients;
let ids: EstateIds;

beforeAll(async () => {
  const endpoint = emulatorEndpoint();
  await resetEmulatorAt(endpoint);
  clients = createAwsClients({ endpoint, region: topology.region });
  ids = await bootstrapWithBuiltin(clients, topology);
});
afterAll(() => clients?.destroy());

async function primaryDeploymentId(): Promise<string | undefined> {
  const s = (await clients.ecs.send(new DescribeServicesCommand({ cluster: ids.ecs.clusterName, services: [ids.ecs.serviceName] }))).services?.[0];
  return s?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
}

describe('Step Functions on the emulator', () => {
  it('runs an aws-sdk:ecs:updateService task to SUCCEEDED and the service gets a new deployment', async () => {
    const before = await primaryDeploymentId();
    expect(before).toBeTruthy();
    // JSONPath ASL. Two moto 5.2.5 differences from AWS shape this definition:
    // - AWS takes PascalCase parameter names for aws-sdk tasks (`Cluster`); moto hands Parameters to boto3
    //   verbatim, so they must be the API's own member names (ECS: camelCase `cluster`), and results come
    //   back in boto3's casing too (`$.service.deployments`).
    // - A task result holding timestamps (ECS's createdAt …) makes DescribeExecution fail with HTTP 500
    //   (moto cannot JSON-encode datetime): select plain fields with ResultSelector (or drop the result).
    // - An indexed path (`deployments[0].id`) yields a one-element list on moto, the element on AWS.
    const definition = {
      Comment: 'redeploy an ECS service',
      StartAt: 'Redeploy',
      States: {
        Redeploy: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:ecs:updateService',
          Parameters: { 'cluster.$': '$.cluster', 'service.$': '$.service', forceNewDeployment: true },
          ResultSelector: { 'deploymentId.$': '$.service.deployments[0].id' },
          End: true,
        },
      },
    };
    const sm = await clients.sfn.send(new CreateStateMachineCommand({ name: `${topology.prefix}-e2e-redeploy`, roleArn: ids.roles.stepFunctions!, definition: JSON.stringify(definition) }));
    const exec = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn!, input: JSON.stringify({ cluster: ids.ecs.clusterName, service: ids.ecs.serviceName }) }));
    const done = await pollUntil(
      async () => {
        const d = await clients.sfn.send(new DescribeExecutionCommand({ executionArn: exec.executionArn! }));
        return d.status !== 'RUNNING' && d;
      },
      { timeoutMs: 30_000, what: 'the state machine execution to finish' },
    );
    expect(done.status, `execution ended ${done.status}: ${done.error ?? ''} ${done.cause ?? ''}`).toBe('SUCCEEDED');
    const after = await primaryDeploymentId();
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    // moto's JSONPath gives `[0]` paths as a one-element list where AWS gives the element: accept both.
    const out = JSON.parse(done.output!) as { deploymentId: string | string[] };
    expect([out.deploymentId].flat()).toEqual([after]);
  });
});
