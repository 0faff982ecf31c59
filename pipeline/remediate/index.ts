/** Remediation: playbooks (ASL on Step Functions), the dispatcher and its safety rules and deploy. Verification of outcomes is the harness's (harness/verify). */
export { deployPlaybooks, stateMachineName, playbookDefinition, playbookContext, AWS_PLAYBOOK_CONTEXT, PlaybookDefinitionError, type DeployPlaybooksOptions, type DeployedPlaybooks } from './deploy.ts';
export {
  createDispatcher,
  dispatchOrder,
  type Dispatcher,
  type DispatcherClients,
  type DispatcherConfig,
  type DispatchPlan,
  type DispatchResult,
  type DispatchStatus,
} from './dispatcher.ts';
export { parseAlertMessage, AlertMessageError, type AlertMessage } from './parse-alert-message.ts';
export { PLAYBOOK_TABLE, SYMPTOM_KINDS, lookupPlaybook, resolveSource, type InputSource, type PlaybookRule, type PlanLookup } from './playbook-table.ts';
export {
  PLAYBOOKS,
  PLAYBOOK_NAMES,
  playbookSpec,
  DEFAULT_PLAYBOOK_CONTEXT,
  FRAME,
  AUDIT_KEYS,
  NOTICE_MARKER,
  type PlaybookName,
  type PlaybookParams,
  type PlaybookSpec,
  type PlaybookContext,
  type PlaybookExecutionInput,
  type ManagedTarget,
  type OutcomeExpectation,
} from './playbooks/index.ts';
export { AuditLog, auditKeys, type AuditRecord } from './audit-log.ts';
export { executionNameFor, executionArnFor } from './execution-name.ts';
export { DEFAULT_SAFETY, safetyConfigFromEnv, type SafetyConfig } from './safety/safety-config.ts';
export { assertAccountAllowed, AccountNotAllowedError } from './safety/account-guard.ts';
export { cascadeVerdict, findingNode, dependenciesOf, type CascadeFacts, type CascadeVerdict } from './safety/cascade.ts';
export { breakerVerdict } from './safety/circuit-breaker.ts';
export { readManagedState, type TargetTagState } from './safety/managed-tags.ts';
export { validateAsl, parseSdkResource, SDK_SERVICES, RETRY_LIMITS } from './asl/validate-asl.ts';
export { missingSdkActions, assertSdkActionsExist, sdkTasksOf, SDK_PACKAGES } from './asl/sdk-command-for.ts';
export type { AslDefinition, AslState } from './asl/types.ts';
