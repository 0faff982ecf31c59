import { Fn, type TerraformStack } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster/index.js';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import type { Topology } from '../core/topology/index.ts';
import { loadTaskPolicy, type PolicyScope } from './least-privilege.ts';

const assume = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

export interface LoadTaskRefs {
  scope: PolicyScope;
  vpcId: string;
  /** Subnets with a route to the internet (the task pulls its image and calls AWS's public endpoints). */
  subnetIds: string[];
  schedulerRoleArn: string;
  /** Terraform variables: the drill whose traffic to send, and whether the schedules run. */
  scenario: string;
  scheduleState: string;
}

/**
 * `firedrill load` on AWS's own scheduler and container service: per shard a Fargate task definition whose
 * environment carries FIREDRILL_SHARD=i/n and an EventBridge Scheduler schedule that runs it (RunTask), so n tasks
 * with the same seed send disjoint parts of the same traffic. The image is firedrill's Dockerfile, pushed to the
 * repository rendered here. The task role may only send through the sinks and read the estate ids.
 */
export function renderLoadTask(stack: TerraformStack, t: Topology, refs: LoadTaskRefs): { taskRole: IamRole; executionRole: IamRole; repositoryUrl: string } {
  const l = t.compute.load;
  const repo = new EcrRepository(stack, 'load_repository', { name: l.repository, imageTagMutability: 'MUTABLE', forceDelete: true });
  const cluster = new EcsCluster(stack, 'load_cluster', { name: l.cluster });
  const logs = new CloudwatchLogGroup(stack, 'load_logs', { name: l.logGroup, retentionInDays: 14 });
  const executionRole = new IamRole(stack, 'load_execution_role', { name: l.executionRole, assumeRolePolicy: assume('ecs-tasks.amazonaws.com') });
  new IamRolePolicy(stack, 'load_execution_policy', {
    role: executionRole.id,
    name: `${l.executionRole}-policy`,
    policy: Fn.jsonencode({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'EcrLogin', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
        { Sid: 'PullImage', Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], Resource: repo.arn },
        { Sid: 'TaskLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logs.arn}:*` },
      ],
    }),
  });
  const taskRole = new IamRole(stack, 'load_task_role', { name: l.taskRole, assumeRolePolicy: assume('ecs-tasks.amazonaws.com') });
  new IamRolePolicy(stack, 'load_task_policy', { role: taskRole.id, name: `${l.taskRole}-policy`, policy: Fn.jsonencode(loadTaskPolicy(refs.scope)) });
  const sg = new SecurityGroup(stack, 'load_sg', {
    name: l.securityGroup,
    description: 'firedrill load task: outbound only',
    vpcId: refs.vpcId,
    egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
  });

  l.shardNames.forEach((name, i) => {
    const shard = `${i}/${l.shards}`;
    const task = new EcsTaskDefinition(stack, `load_task_${i}`, {
      family: name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(l.cpu),
      memory: String(l.memoryMb),
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      containerDefinitions: JSON.stringify([
        {
          name: l.containerName,
          image: `${repo.repositoryUrl}:latest`,
          essential: true,
          // Every minute one tick of the scenario's traffic for about the length of a run; the estate ids come from
          // the object Terraform wrote, so nothing is created (--yes only lets bootstrap fill what is missing).
          command: ['load', '--target', 'aws', '--yes', '--scenario', refs.scenario, '--ticks', String(l.ticksPerRun), '--json'],
          environment: [
            { name: 'FIREDRILL_SHARD', value: shard },
            { name: 'FIREDRILL_PREFIX', value: t.prefix },
            { name: 'AWS_REGION', value: t.region },
          ],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': l.logGroup, 'awslogs-region': t.region, 'awslogs-stream-prefix': 'load' } },
        },
      ]),
    });
    new SchedulerSchedule(stack, `load_schedule_${i}`, {
      name,
      description: `firedrill load, shard ${shard}`,
      scheduleExpression: l.scheduleExpression,
      // DISABLED until the image is pushed and the variable says otherwise: a schedule costs nothing, a task does.
      state: refs.scheduleState,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: cluster.arn,
        roleArn: refs.schedulerRoleArn,
        ecsParameters: {
          taskDefinitionArn: task.arnWithoutRevision,
          launchType: 'FARGATE',
          taskCount: 1,
          networkConfiguration: { subnets: refs.subnetIds, securityGroups: [sg.id], assignPublicIp: true },
        },
        retryPolicy: { maximumRetryAttempts: 0 },
      },
    });
  });
  return { taskRole, executionRole, repositoryUrl: repo.repositoryUrl };
}
