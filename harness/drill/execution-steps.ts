import { paginateGetExecutionHistory, type SFNClient } from '@aws-sdk/client-sfn';
import type { RemediationStep } from './drill-events.ts';

/**
 * The states a Step Functions execution went through, in order, from its history: what the live page shows
 * as a playbook's steps. A history that cannot be read yields no steps (the execution's status still shows).
 */
export async function executionSteps(sfn: SFNClient, executionArn: string): Promise<RemediationStep[]> {
  const steps: RemediationStep[] = [];
  try {
    for await (const page of paginateGetExecutionHistory({ client: sfn }, { executionArn })) {
      for (const e of page.events ?? []) {
        const at = e.timestamp?.getTime() ?? 0;
        const entered = e.stateEnteredEventDetails?.name;
        if (entered) {
          steps.push({ name: entered, enteredAt: at });
          continue;
        }
        const exited = e.stateExitedEventDetails?.name;
        const open = exited ? steps.findLast((s) => s.name === exited && s.exitedAt === undefined) : undefined;
        if (open) open.exitedAt = at;
        if (e.type?.endsWith('Failed') && steps.length) steps[steps.length - 1]!.failed = true;
      }
    }
  } catch {
    // The history is an extra for onlookers; the scorecard reads outcomes from the estate, not from here.
  }
  return steps;
}
