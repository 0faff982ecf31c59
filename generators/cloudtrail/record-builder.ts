import type { Rng } from '../../core/index.ts';
import { cloudTrailTime, serializeCloudTrail, type CloudTrailRecord, type CloudTrailUserIdentity, type JsonObject } from '../../formats/index.ts';
import type { Destination, EntityPools, GeneratedEvent, TruthLabel } from '../types.ts';
import { amzId2, fastUuid, hex16Upper } from './ids.ts';
import { ACTION_PREFIX, DENIED_ERRORS, GLOBAL_SERVICES, MUTATING_EXCEPTIONS, READ_ONLY_EXCEPTIONS, TLS_CHOICES } from './data.ts';

const READ_RE = /^(Get|List|Describe|Head|BatchGet|Search|Lookup|Filter)/;

export function isReadOnly(eventName: string): boolean {
  if (MUTATING_EXCEPTIONS.has(eventName)) return false;
  return READ_ONLY_EXCEPTIONS.has(eventName) || READ_RE.test(eventName);
}

/** S3 object-level calls are data events (logged because the trail selects the data bucket). */
export function isDataEvent(eventSource: string, eventName: string): boolean {
  return eventSource === 's3.amazonaws.com' && (eventName === 'GetObject' || eventName === 'PutObject' || eventName === 'HeadObject' || eventName === 'ListObjects' || eventName === 'DeleteObject' || eventName === 'DeleteObjects');
}

/** The CloudWatch Logs destination of the trail: `<account>_CloudTrail_<region>` in the trail's group. */
export function trailDestination(pools: EntityPools): Destination {
  const g = pools.topology.pipeline.logGroups.find((l) => l.source === 'cloudtrail');
  return { kind: 'cwl', logGroup: g?.name ?? `aws-cloudtrail-logs-${pools.topology.prefix}`, logStream: `${pools.estate.accountId}_CloudTrail_${pools.estate.region}` };
}

const TLS_ITEMS = TLS_CHOICES.map((t) => ({ tlsVersion: t.tlsVersion, cipherSuite: t.cipherSuite }));
const TLS_WEIGHTS = TLS_CHOICES.map((t) => t.weight);

export interface CallSpec {
  time: number;
  identity: CloudTrailUserIdentity;
  eventSource: string;
  eventName: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: JsonObject | null;
  /** For mutating calls; ignored (omitted) for read-only ones, as CloudTrail does. */
  responseElements?: JsonObject | null;
  additionalEventData?: JsonObject;
  /** `denied` builds the service's own AccessDenied shape. */
  error?: 'denied' | { code: string; message: string };
  eventType?: CloudTrailRecord['eventType'];
  region?: string;
  sessionCredentialFromConsole?: boolean;
  /** Calls made by an AWS service on the principal's behalf have no TLS details. */
  noTls?: boolean;
  resources?: JsonObject[];
}

function deniedMessage(spec: CallSpec, arn: string): { code: string; message: string } {
  const svc = spec.eventSource;
  const shape = DENIED_ERRORS[svc] ?? { code: 'AccessDenied', message: 'generic' as const };
  const prefix = ACTION_PREFIX[svc] ?? svc.slice(0, svc.indexOf('.'));
  const action = `${prefix}:${spec.eventName.replace(/20\d{6}(v\d)?$/, '')}`;
  switch (shape.message) {
    case 'iam':
      return { code: shape.code, message: `User: ${arn} is not authorized to perform: ${action} on resource: ${spec.requestParameters?.userName ? `arn:aws:iam::${arn.split(':')[4]}:user/${String(spec.requestParameters.userName)}` : '*'} because no identity-based policy allows the ${action} action` };
    case 'ec2':
      return { code: shape.code, message: `You are not authorized to perform this operation. User: ${arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action` };
    default:
      return { code: shape.code, message: `User: ${arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action` };
  }
}

/** One CloudTrail record for a call, with ids, TLS details and the read-only/data-event rules applied. */
export function buildRecord(rng: Rng, pools: EntityPools, spec: CallSpec): CloudTrailRecord {
  const accountId = pools.estate.accountId;
  const global = GLOBAL_SERVICES.has(spec.eventSource);
  const region = spec.region ?? (global ? 'us-east-1' : pools.estate.region);
  const readOnly = isReadOnly(spec.eventName);
  const data = isDataEvent(spec.eventSource, spec.eventName);
  const eventType = spec.eventType ?? 'AwsApiCall';
  const s3 = spec.eventSource === 's3.amazonaws.com';
  const r: CloudTrailRecord = {
    eventVersion: '1.11',
    userIdentity: spec.identity,
    eventTime: cloudTrailTime(spec.time),
    eventSource: spec.eventSource,
    eventName: spec.eventName,
    awsRegion: region,
    sourceIPAddress: spec.sourceIPAddress,
    userAgent: spec.userAgent,
    requestParameters: spec.requestParameters,
    // S3 request ids are 16 upper-case hex characters; every other service uses a GUID.
    requestID: s3 ? hex16Upper(rng) : fastUuid(rng),
    eventID: fastUuid(rng),
    readOnly,
    eventType,
    managementEvent: !data,
    recipientAccountId: accountId,
    eventCategory: data ? 'Data' : 'Management',
  };
  if (spec.error) {
    const e = spec.error === 'denied' ? deniedMessage(spec, spec.identity.arn ?? `arn:aws:iam::${accountId}:root`) : spec.error;
    r.errorCode = e.code;
    r.errorMessage = e.message;
  }
  if (!readOnly || eventType === 'AwsConsoleSignIn') r.responseElements = spec.error && eventType !== 'AwsConsoleSignIn' ? null : (spec.responseElements ?? null);
  if (spec.additionalEventData) r.additionalEventData = spec.additionalEventData;
  if (spec.resources) r.resources = spec.resources;
  if (!spec.noTls && eventType === 'AwsApiCall') {
    const tls = rng.weighted(TLS_ITEMS, TLS_WEIGHTS);
    const host = s3 && spec.requestParameters?.bucketName
      ? `${String(spec.requestParameters.bucketName)}.s3.${region}.amazonaws.com`
      : global
        ? spec.eventSource
        : `${spec.eventSource.slice(0, spec.eventSource.indexOf('.'))}.${region}.amazonaws.com`;
    r.tlsDetails = { tlsVersion: tls.tlsVersion, cipherSuite: tls.cipherSuite, clientProvidedHostHeader: host };
  }
  if (spec.sessionCredentialFromConsole) r.sessionCredentialFromConsole = 'true';
  return r;
}

export function trailEvent(dest: Destination, time: number, record: CloudTrailRecord, label?: TruthLabel): GeneratedEvent {
  const e: GeneratedEvent = { time, source: 'cloudtrail', dest, message: serializeCloudTrail(record) };
  if (label) e.label = label;
  return e;
}

/** S3 data-event extras: the resources list and additionalEventData CloudTrail attaches to object calls. */
export function s3DataExtras(rng: Rng, accountId: string, bucket: string, key: string | undefined, bytesOut: number, bytesIn: number): { resources: JsonObject[]; additionalEventData: JsonObject } {
  const resources: JsonObject[] = [];
  if (key) resources.push({ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` });
  resources.push({ accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` });
  return {
    resources,
    additionalEventData: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: bytesIn, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': amzId2(rng), bytesTransferredOut: bytesOut },
  };
}
