export { s3accessBackground } from './background.ts';
export { s3MassDelete, s3ForbiddenBurst, s3UnusualGetVolume } from './incidents.ts';
export { bucketModel, requesters, type BucketModel, type Requester } from './bucket-model.ts';
