/** The reference pipeline's storage contracts: what it keeps in S3 and DynamoDB, read back by whoever needs it. */
export { pruneConsumedRaw, type PruneCursor } from './raw-pruner.ts';
export { pruneDetectedCurated, type CuratedPruneCursor } from './curated-pruner.ts';
export { PRUNED_PREFIX, PRUNED_CURATED_PREFIX, type PrunedRecord, type PrunedCuratedRecord, readStoredCounts, readCurated, readQuarantine, countRawObject, type StoredCounts, type SourceKey, type RawCounts, type ReadStoredCountsOptions } from './read-back.ts';
export { findingItemKey, findingFromItem, isFindingItem, FINDING_PK_PREFIX } from './findings-table.ts';
export { DetectorStateStore, DetectorStoreError, DEFAULT_DETECTOR_STATE_KEY } from './detector-state.ts';
export { FeedbackStore, DEFAULT_FEEDBACK_KEY } from './feedback-store.ts';
// The curated layout (partitions, lineage, the normalizer's manifests) is defined beside the normalizer that writes it.
export { STATE_PREFIX, rawObjectId, partitionOf, partitionPrefix } from '../normalize/layout.ts';
export { readEstateIds, writeEstateIds, ESTATE_IDS_KEY, EstateIdsError } from './estate-ids.ts';
