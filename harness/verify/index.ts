/** Outcome verification: what remediation changed, read back from the estate through the AWS API. */
export { verifyOutcomes, type OutcomeCheck } from './verify.ts';
export { estateSnapshot, type EstateSnapshot } from './estate-snapshot.ts';
export {
  ipSetAddresses,
  naclEntries,
  sgIngressRules,
  userParameters,
  ecsDeployments,
  accessKeyStatuses,
  reservedConcurrency,
  bucketVersioning,
  bucketPolicyStatements,
  instanceState,
  type EstateReaderClients,
} from './estate-readers.ts';
export { expectedOutcome, describeExpectation, type BeforeDrill } from './expected-outcomes.ts';
