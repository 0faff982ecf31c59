export * from './rate/index.ts';
export { buildPools, asnsOf, ipInAsn, ipInCountry, type PoolOptions } from './pools.ts';
export { mergeByTime } from './merge.ts';
export {
  type WireEvent,
  destinationKey,
  lineHash,
  eventKey,
  truthEntryOf,
  toWireEvent,
  splitTruth,
  truthLine,
  parseTruthManifest,
  TruthManifestWriter,
  writeEventsWithTruth,
} from './truth.ts';
export {
  toNativeLines,
  toCloudWatchEvents,
  toFirehoseRecords,
  LineWriter,
  writeLines,
  type CloudWatchLogEvent,
  type FirehoseRecord,
  type LineTarget,
} from './adapters.ts';
export { AliasSampler, zipfWeights, LogNormalTable, normalQuantile } from './sampler.ts';
export * as data from './data/index.ts';
export { FastRng, fastRng } from './fast-rng.ts';
export * from './byte-chunk.ts';
