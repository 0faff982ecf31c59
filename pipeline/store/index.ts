/** The reference pipeline's storage contracts: what it keeps in S3 and DynamoDB, read back by whoever needs it. */
export { readStoredCounts, readCurated, readQuarantine, type StoredCounts, type SourceKey } from './read-back.ts';
