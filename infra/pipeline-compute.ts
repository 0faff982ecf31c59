import { Fn, TerraformAsset, AssetType, type ITerraformDependable, type TerraformStack } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule/index.js';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine/index.js';
import type { FunctionDecl, Topology } from '../core/topology/index.ts';
import type { HandlerName } from '../pipeline/handlers/index.ts';
import { playbookContext, playbookDefinition, PLAYBOOK_NAMES, stateMachineName, type AslDefinition } from '../pipeline/remediate/index.ts';
import { LAMBDA_HANDLER, type HandlerBundle } from './bundle-handlers.ts';
import { detectorPolicy, dispatcherPolicy, normalizerPolicy, stepFunctionsPolicy, type PolicyDocument, type PolicyScope } from './least-privilege.ts';

const assume = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

/** What the compute needs from the rest of the stack. */
export interface PipelineComputeRefs {
  scope: PolicyScope;
  bundles: Record<HandlerName, HandlerBundle>;
  queueArns: Record<string, string>;
  alertsTopicArn: string;
  /** The estate ids object must exist before the dispatcher's first cold start. */
  estateIdsObject: ITerraformDependable;
  schedulerRoleArn: string;
  /** Remediation settings of the dispatcher (Terraform variables). */
  safety: { accountAllowlist: string; dryRun: string; maxActionsPerResourcePerHour: string };
  logLevel: string;
}

export interface PipelineCompute {
  functions: Record<HandlerName, LambdaFunction>;
  stateMachines: Record<string, SfnStateMachine>;
  definitions: AslDefinition[];
}

/**
 * The reference pipeline's compute on AWS: the three handlers as Lambdas (each from its esbuild bundle, with its own
 * role and log group), the SQS event source mappings of the normalizer and the dispatcher, the detector's
 * EventBridge Scheduler schedule, and one Step Functions state machine per playbook with the very definition the
 * emulator runs (built by pipeline/remediate for the `aws` target).
 */
export function renderPipelineCompute(stack: TerraformStack, t: Topology, refs: PipelineComputeRefs): PipelineCompute {
  const c = t.compute;
  const environments: Record<HandlerName, Record<string, string>> = {
    normalizer: { FIREDRILL_PREFIX: t.prefix, FIREDRILL_LOG_LEVEL: refs.logLevel },
    detector: { FIREDRILL_PREFIX: t.prefix, FIREDRILL_LOG_LEVEL: refs.logLevel, FIREDRILL_ALERTS_TOPIC_ARN: refs.alertsTopicArn },
    dispatcher: {
      FIREDRILL_PREFIX: t.prefix,
      FIREDRILL_LOG_LEVEL: refs.logLevel,
      // The account allowlist applies: remediation acts only in the accounts listed.
      FIREDRILL_TARGET: 'aws',
      FIREDRILL_DRY_RUN: refs.safety.dryRun,
      FIREDRILL_AWS_ACCOUNT_ALLOWLIST: refs.safety.accountAllowlist,
      FIREDRILL_MAX_ACTIONS_PER_RESOURCE_PER_HOUR: refs.safety.maxActionsPerResourcePerHour,
    },
  };
  const policies: Record<HandlerName, PolicyDocument> = { normalizer: normalizerPolicy(refs.scope), detector: detectorPolicy(refs.scope), dispatcher: dispatcherPolicy(refs.scope) };

  const fn = (name: HandlerName, decl: FunctionDecl, extra: { reservedConcurrentExecutions?: number; dependsOn?: ITerraformDependable[] } = {}) => {
    const role = new IamRole(stack, `fn_role_${name}`, { name: decl.role, assumeRolePolicy: assume('lambda.amazonaws.com') });
    new IamRolePolicy(stack, `fn_policy_${name}`, { role: role.id, name: `${decl.role}-policy`, policy: Fn.jsonencode(policies[name]) });
    const logs = new CloudwatchLogGroup(stack, `fn_logs_${name}`, { name: decl.logGroup, retentionInDays: decl.logRetentionDays });
    const code = new TerraformAsset(stack, `fn_code_${name}`, { path: refs.bundles[name].dir, type: AssetType.ARCHIVE });
    return new LambdaFunction(stack, `fn_${name}`, {
      functionName: decl.name,
      role: role.arn,
      runtime: 'nodejs20.x',
      architectures: ['arm64'],
      handler: LAMBDA_HANDLER,
      filename: code.path,
      sourceCodeHash: refs.bundles[name].sha256,
      memorySize: decl.memoryMb,
      timeout: decl.timeoutSeconds,
      environment: { variables: environments[name] },
      loggingConfig: { logFormat: 'Text', logGroup: logs.name },
      ...(extra.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: extra.reservedConcurrentExecutions } : {}),
      // The log group first (with its retention), so Lambda never creates it without one; the policy before the
      // first invocation.
      dependsOn: [logs, ...(extra.dependsOn ?? [])],
    });
  };
  const functions: Record<HandlerName, LambdaFunction> = {
    normalizer: fn('normalizer', c.functions.normalizer),
    // One invocation at a time: the detector's state lives in one S3 object and each run catches up every due window.
    detector: fn('detector', c.functions.detector, { reservedConcurrentExecutions: 1 }),
    dispatcher: fn('dispatcher', c.functions.dispatcher, { dependsOn: [refs.estateIdsObject] }),
  };

  for (const name of ['normalizer', 'dispatcher'] as const) {
    const trigger = c.functions[name].trigger!;
    new LambdaEventSourceMapping(stack, `esm_${name}`, {
      eventSourceArn: refs.queueArns[trigger.queue]!,
      functionName: functions[name].arn,
      batchSize: trigger.batchSize,
      maximumBatchingWindowInSeconds: trigger.maximumBatchingWindowSeconds,
      // Partial batch responses: only the records a handler reports as failed return to the queue.
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: trigger.maximumConcurrency },
    });
  }

  new SchedulerSchedule(stack, 'detector_schedule', {
    name: c.detectorSchedule.name,
    scheduleExpression: c.detectorSchedule.expression,
    flexibleTimeWindow: { mode: 'OFF' },
    target: {
      arn: functions.detector.arn,
      roleArn: refs.schedulerRoleArn,
      // The detector takes `time` as its clock; a missed run is caught up by the next (no retries that could overlap).
      input: JSON.stringify({ time: '<aws.scheduler.scheduled-time>' }),
      retryPolicy: { maximumRetryAttempts: 0 },
    },
  });

  // The playbooks: the same builder and validation deployPlaybooks uses, with AWS's dialect and waits.
  const ctx = playbookContext('aws', { auditTable: t.pipeline.auditTable, notifyTopicArn: refs.alertsTopicArn });
  const definitions = PLAYBOOK_NAMES.map((pb) => playbookDefinition(pb, ctx));
  const sfnRole = new IamRole(stack, 'role_sfn', { name: t.pipeline.roles.stepFunctions, assumeRolePolicy: assume('states.amazonaws.com') });
  new IamRolePolicy(stack, 'role_sfn_policy', { role: sfnRole.id, name: `${t.pipeline.roles.stepFunctions}-policy`, policy: Fn.jsonencode(stepFunctionsPolicy(refs.scope, definitions)) });
  const sfnLogs = new CloudwatchLogGroup(stack, 'sfn_logs', { name: c.stateMachineLogGroup, retentionInDays: 14 });
  const stateMachines: Record<string, SfnStateMachine> = {};
  PLAYBOOK_NAMES.forEach((pb, i) => {
    stateMachines[pb] = new SfnStateMachine(stack, `sfn_${pb.replace(/-/g, '_')}`, {
      name: stateMachineName(t, pb),
      roleArn: sfnRole.arn,
      type: 'STANDARD',
      definition: JSON.stringify(definitions[i]),
      loggingConfiguration: { logDestination: `${sfnLogs.arn}:*`, includeExecutionData: false, level: 'ERROR' },
    });
  });
  return { functions, stateMachines, definitions };
}
