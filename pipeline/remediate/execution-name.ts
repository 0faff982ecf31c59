import { createHash } from 'node:crypto';

/**
 * The Step Functions execution name of an incident: deterministic, so a repeated finding maps to the same
 * name and StartExecution itself refuses a second run (ExecutionAlreadyExists). Names allow 80 characters of
 * letters, digits, `-` and `_`; longer or odd ids are shortened with a hash so two incidents never share one.
 */
export function executionNameFor(findingId: string): string {
  const clean = findingId.replace(/[^A-Za-z0-9_-]/g, '-');
  const name = `incident-${clean}`;
  if (name.length <= 80 && clean === findingId) return name;
  const hash = createHash('sha256').update(findingId).digest('hex').slice(0, 16);
  return `incident-${clean.slice(0, 80 - 'incident-'.length - 17)}-${hash}`;
}

/** The ARN an execution of `name` has (or would have) on a state machine. */
export function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
