export { s3accessBackground } from './background.ts';
export { s3MassDelete } from './mass-delete.ts';
export { s3ForbiddenBurst } from './forbidden-burst.ts';
export { s3UnusualGetVolume } from './unusual-get-volume.ts';
export { bucketModel, requesters, type BucketModel, type Requester } from './bucket-model.ts';
