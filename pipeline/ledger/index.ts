export { readStoredCounts, readCurated, readQuarantine, type StoredCounts, type SourceKey } from './read-back.ts';
export { balanceLedger, formatLedger, type PipelineLedger, type SourceLedger } from './balance.ts';
