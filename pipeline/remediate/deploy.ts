import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  StateMachineAlreadyExists,
  UpdateStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { FiredrillError } from '../../core/index.ts';
import type { EstateIds, Topology } from '../../core/topology/index.ts';
import { assertSdkActionsExist } from './asl/sdk-command-for.ts';
import { validateAsl } from './asl/validate-asl.ts';
import { DEFAULT_PLAYBOOK_CONTEXT, FRAME, PLAYBOOK_NAMES, playbookSpec, type PlaybookName } from './playbooks/index.ts';
import type { PlaybookContext } from './playbooks/types.ts';
import type { AslDefinition } from './asl/types.ts';

/** A playbook definition failed validation; deploying it would fail only when an incident needs it. */
export class PlaybookDefinitionError extends FiredrillError {}

export interface DeployPlaybooksOptions {
  /**
   * Poll interval, poll count, retry interval and the aws-sdk parameter dialect (default: `moto` when the clients
   * point at an emulator endpoint, `aws` otherwise). The short default waits suit the emulator.
   */
  context?: Partial<Omit<PlaybookContext, 'auditTable'>>;
  /** Deploy only these (default: all). */
  playbooks?: PlaybookName[];
}

export interface DeployedPlaybooks {
  arns: Record<PlaybookName, string>;
  /** What each call did, for logs: created, updated (definition or role changed) or unchanged. */
  actions: Record<PlaybookName, 'created' | 'updated' | 'unchanged'>;
}

export function stateMachineName(topology: Pick<Topology, 'prefix'>, playbook: PlaybookName): string {
  return `${topology.prefix}-remediate-${playbook}`;
}

/**
 * Waits and dialect for real AWS: an RDS reboot takes minutes, not the emulator's one poll, and every aws-sdk
 * task is spelled in AWS's PascalCase.
 */
export const AWS_PLAYBOOK_CONTEXT: Omit<PlaybookContext, 'auditTable' | 'notifyTopicArn'> = { pollSeconds: 30, maxPolls: 40, retryIntervalSeconds: 2, sdkDialect: 'aws' };

/** The deploy-time constants of the playbooks on a target: short waits and boto3's spelling on an emulator. */
export function playbookContext(target: 'emulator' | 'aws', refs: { auditTable: string; notifyTopicArn: string }, overrides: Partial<Omit<PlaybookContext, 'auditTable'>> = {}): PlaybookContext {
  const base = target === 'aws' ? AWS_PLAYBOOK_CONTEXT : { ...DEFAULT_PLAYBOOK_CONTEXT, sdkDialect: 'moto' as const };
  return { ...base, notifyTopicArn: refs.notifyTopicArn, ...overrides, auditTable: refs.auditTable };
}

/**
 * The state machine definition of a playbook, validated (every target defined, every state reachable, every failure
 * caught into the audit path). What deployPlaybooks creates on a target and what infra/ renders as Terraform.
 */
export function playbookDefinition(playbook: PlaybookName, ctx: PlaybookContext): AslDefinition {
  const def = playbookSpec(playbook).build(ctx);
  const problems = validateAsl(def, { failureAuditState: FRAME.recordFailure });
  if (problems.length > 0) {
    throw new PlaybookDefinitionError(`playbook ${playbook} is not a sound state machine`, {
      expected: 'every target defined, every state reachable, every failure caught into the audit path',
      seen: problems.join('; '),
      fix: `correct pipeline/remediate/playbooks/${playbook}.ts`,
    });
  }
  return def;
}

async function existingMachines(sfn: Pick<SFNClient, 'send'>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const r = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    for (const m of r.stateMachines ?? []) if (m.name && m.stateMachineArn) out.set(m.name, m.stateMachineArn);
    nextToken = r.nextToken;
  } while (nextToken);
  return out;
}

/**
 * Creates or updates one state machine per playbook with the Step Functions role, idempotently: an unchanged
 * definition is left alone, so re-running deploy sends no write. Every definition is validated first
 * (structure and SDK actions) — a broken playbook fails the deploy, not an incident.
 */
export async function deployPlaybooks(
  clients: { sfn: Pick<SFNClient, 'send'>; target?: { endpoint?: string | undefined } },
  topology: Topology,
  estate: EstateIds,
  opts: DeployPlaybooksOptions = {},
): Promise<DeployedPlaybooks> {
  const roleArn = estate.roles.stepFunctions;
  if (!roleArn) {
    throw new PlaybookDefinitionError('no Step Functions role in the estate ids', {
      expected: 'estate.roles.stepFunctions (an IAM role ARN)',
      seen: JSON.stringify(Object.keys(estate.roles)),
      fix: 'run bootstrap() for this topology before deploying the playbooks',
    });
  }
  // On an emulator endpoint the camelCase dialect is the one that works (moto passes parameters to boto3 as they
  // are; LocalStack normalises either case); on AWS it is PascalCase, with AWS's waits.
  const ctx = playbookContext(clients.target?.endpoint ? 'emulator' : 'aws', { auditTable: estate.auditTable, notifyTopicArn: estate.alertsTopicArn }, opts.context);
  const names = opts.playbooks ?? PLAYBOOK_NAMES;
  const existing = await existingMachines(clients.sfn);
  const arns = {} as Record<PlaybookName, string>;
  const actions = {} as DeployedPlaybooks['actions'];
  const tags = Object.entries(topology.tags).map(([key, value]) => ({ key, value }));

  for (const playbook of names) {
    const def = playbookDefinition(playbook, ctx);
    await assertSdkActionsExist(playbook, def);
    const definition = JSON.stringify(def);
    const name = stateMachineName(topology, playbook);
    let arn = existing.get(name);
    if (!arn) {
      try {
        arn = (await clients.sfn.send(new CreateStateMachineCommand({ name, definition, roleArn, type: 'STANDARD', tags }))).stateMachineArn!;
        actions[playbook] = 'created';
      } catch (err) {
        // Another deploy created it in between: fall through to the update path.
        if (!(err instanceof StateMachineAlreadyExists || (err as Error).name === 'StateMachineAlreadyExists')) throw err;
        arn = (await existingMachines(clients.sfn)).get(name)!;
      }
    }
    if (!actions[playbook]) {
      const cur: { definition?: string; roleArn?: string } = await clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
      if (cur.definition === definition && cur.roleArn === roleArn) actions[playbook] = 'unchanged';
      else {
        await clients.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition, roleArn }));
        actions[playbook] = 'updated';
      }
    }
    arns[playbook] = arn;
  }
  return { arns, actions };
}
