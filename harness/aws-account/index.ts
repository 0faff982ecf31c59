/** What firedrill does to a real AWS account: the plan of what it creates, the --yes guard, and `down`. */
export { awsPlan, billableSummary, formatAwsPlan, type AwsPlan, type PlannedResource } from './aws-plan.ts';
export { costNote, type Billing, type CostNote } from './cost-notes.ts';
export { requireYesForAws } from './require-yes.ts';
export { findManaged, classifyArn, MANAGED_TYPES, type ManagedResource, type ManagedType } from './find-managed.ts';
export { deleteManaged, type DeleteOutcome } from './delete-managed.ts';
