export * from './raw-decode.ts';
export * from './normalize-object.ts';
export * from './layout.ts';
export * from './s3-notification.ts';
export { Normalizer, NormalizeStoreError, type NormalizerDeps, type ObjectMarker, type ProcessStatus } from './normalizer.ts';
export { curatedLines } from './curated-lines.ts';
