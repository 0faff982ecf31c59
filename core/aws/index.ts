export { createAwsClients, EMULATOR_CREDENTIALS } from './create-aws-clients.ts';
export type { AwsClients, AwsTarget, AwsServiceKey } from './create-aws-clients.ts';
export { CallLedger, ledgerInput } from './call-ledger.ts';
export type { LedgerEntry, LedgerQuery } from './call-ledger.ts';
export { EndpointUnreachableError } from './errors.ts';
export type { EstateReaderClients } from './estate-clients.ts';
export { explainAwsError, asAwsAccessError, AwsAccessError } from './explain-aws-error.ts';
export { isNotFound } from './is-not-found.ts';
