export type * from './types.ts';
export { formats } from './registry.ts';
export * from './waf.ts';
export * from './vpcflow.ts';
export { ec2Format, parseEc2, serializeEc2, classifyEc2, ec2Hostname, formatSyslogTime, EC2_KINDS, type Ec2Record, type Ec2Kind, type Ec2LineOrigin } from './ec2.ts';
export { cloudtrailFormat, parseCloudTrail, parseCloudTrailFile, serializeCloudTrail, cloudTrailTime, type CloudTrailRecord, type CloudTrailUserIdentity } from './cloudtrail.ts';
export { lambdaFormat, parseLambda, serializeLambda, lambdaStreamName, lambdaFunctionOf, type LambdaRecord, type LambdaLineOrigin } from './lambda.ts';
export { s3accessFormat, parseS3Access, serializeS3Access, tokenizeS3Access, formatS3Time, S3ACCESS_FIELDS, type S3AccessRecord } from './s3access.ts';
