import { FormatError } from '../core/index.ts';
import type { FormatSpec } from './types.ts';
import type { JsonObject } from './types.ts';

/**
 * CloudTrail event record (eventVersion 1.11). A trail's S3 files hold `{"Records":[…]}`; CloudWatch Logs
 * gets one record per event (stream `<account>_CloudTrail_<region>`), which is what parse() takes.
 * Records of every event version parse: 1.0 records have no eventID, eventType, requestID or
 * recipientAccountId (added in 1.01–1.02), later minor versions add keys (readOnly, managementEvent,
 * tlsDetails, sessionCredentialFromConsole …); identity types beyond the documented ones (SAMLUser,
 * WebIdentityUser, IdentityCenterUser, Unknown …) and event types beyond the known ones are kept as written
 * (AWS's own pages spell `AwsConsoleSignin` as well as `AwsConsoleSignIn`). What a record lacks normalizes to null.
 * serialize() writes keys in the order CloudTrail does, whatever order the record object was built in,
 * and leaves out keys that are undefined (CloudTrail omits responseElements for read-only calls, and
 * errorCode/errorMessage when the call succeeded).
 */

export const CLOUDTRAIL_IDENTITY_TYPES = ['Root', 'IAMUser', 'AssumedRole', 'Role', 'FederatedUser', 'Directory', 'AWSAccount', 'AWSService', 'SAMLUser', 'WebIdentityUser', 'IdentityCenterUser', 'Unknown'] as const;
export type CloudTrailIdentityType = (typeof CLOUDTRAIL_IDENTITY_TYPES)[number];
export const CLOUDTRAIL_EVENT_TYPES = ['AwsApiCall', 'AwsServiceEvent', 'AwsConsoleAction', 'AwsConsoleSignIn', 'AwsCloudTrailInsight', 'AwsVpceEvent'] as const;
export type CloudTrailEventType = (typeof CLOUDTRAIL_EVENT_TYPES)[number];

export interface CloudTrailSessionIssuer {
  type: string;
  principalId: string;
  arn: string;
  accountId: string;
  userName: string;
}

export interface CloudTrailUserIdentity {
  /** One of CLOUDTRAIL_IDENTITY_TYPES as generators write it; parsed records may carry types added later. */
  type: CloudTrailIdentityType;
  /** AIDA… for IAM users, `AROA…:<session>` for assumed roles, the account id for root. */
  principalId?: string;
  arn?: string;
  accountId?: string;
  /** AKIA… long-term keys, ASIA… temporary (STS) credentials, '' for console sign-in. */
  accessKeyId?: string;
  userName?: string;
  sessionContext?: {
    sessionIssuer?: CloudTrailSessionIssuer | Record<string, never>;
    webIdFederationData?: JsonObject;
    attributes: { creationDate: string; mfaAuthenticated: 'true' | 'false' };
    sourceIdentity?: string;
  };
  invokedBy?: string;
  /** SAMLUser / WebIdentityUser: the external identity provider. */
  identityProvider?: string;
  /** IdentityCenterUser: the Identity Center user the request was made for. */
  onBehalfOf?: JsonObject;
  credentialId?: string;
}

export interface CloudTrailTlsDetails {
  tlsVersion: string;
  cipherSuite: string;
  clientProvidedHostHeader: string;
}

export interface CloudTrailRecord {
  /** Present since 1.0; optional only because records are read as they come. */
  eventVersion?: string;
  userIdentity: CloudTrailUserIdentity;
  /** ISO-8601 UTC with whole seconds: `2026-05-01T12:00:00Z`. */
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: JsonObject | null;
  /** Omitted for read-only calls; null for mutating calls that return nothing. */
  responseElements?: JsonObject | null;
  additionalEventData?: JsonObject;
  requestID?: string;
  /** Since 1.01. */
  eventID?: string;
  readOnly?: boolean;
  resources?: JsonObject[];
  /** Since 1.02; parsed records may carry types added later (kept as written). */
  eventType?: CloudTrailEventType;
  apiVersion?: string;
  managementEvent?: boolean;
  /** Since 1.02. */
  recipientAccountId?: string;
  sharedEventID?: string;
  vpcEndpointId?: string;
  eventCategory?: 'Management' | 'Data' | 'Insight' | 'NetworkActivity';
  tlsDetails?: CloudTrailTlsDetails;
  sessionCredentialFromConsole?: 'true';
}

/** CloudTrail's own key order (as seen in delivered records). */
export const CLOUDTRAIL_KEY_ORDER = [
  'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
  'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData', 'requestID', 'eventID',
  'readOnly', 'resources', 'eventType', 'apiVersion', 'managementEvent', 'recipientAccountId', 'sharedEventID',
  'vpcEndpointId', 'eventCategory', 'tlsDetails', 'sessionCredentialFromConsole',
] as const satisfies readonly (keyof CloudTrailRecord)[];
const IDENTITY_KEY_ORDER = ['type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'userName', 'sessionContext', 'invokedBy'] as const;
const KNOWN_KEYS: ReadonlySet<string> = new Set(CLOUDTRAIL_KEY_ORDER);
const IDENTITY_KNOWN: ReadonlySet<string> = new Set(IDENTITY_KEY_ORDER);

/**
 * `{"k":v,…}` in the given key order, then any unknown keys (fields CloudTrail adds in future minor
 * versions ride along after the known ones). Same bytes as JSON.stringify of a re-ordered copy, without
 * building the copy: this is the generator's hot path.
 */
function orderedJson(src: object, order: readonly string[], known: ReadonlySet<string>, nested?: (k: string, v: unknown) => string | undefined): string {
  const rec = src as Record<string, unknown>;
  let s = '{';
  for (const k of order) {
    const v = rec[k];
    if (v === undefined) continue;
    if (s.length > 1) s += ',';
    s += `"${k}":${nested?.(k, v) ?? JSON.stringify(v)}`;
  }
  for (const k of Object.keys(rec)) {
    const v = rec[k];
    if (known.has(k) || v === undefined) continue;
    if (s.length > 1) s += ',';
    s += `${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  return `${s}}`;
}

// Generators reuse identity objects across many records; their JSON is computed once per object.
const identityJson = new WeakMap<object, string>();

function userIdentityJson(k: string, v: unknown): string | undefined {
  if (k !== 'userIdentity' || typeof v !== 'object' || v === null) return undefined;
  let j = identityJson.get(v);
  if (j === undefined) {
    j = orderedJson(v, IDENTITY_KEY_ORDER, IDENTITY_KNOWN);
    identityJson.set(v, j);
  }
  return j;
}

export function serializeCloudTrail(r: CloudTrailRecord): string {
  return orderedJson(r, CLOUDTRAIL_KEY_ORDER, KNOWN_KEYS, userIdentityJson);
}

const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

function fail(summary: string, expected: string, seen: string): never {
  throw new FormatError(summary, { expected, seen, fix: 'check that the log group is a CloudTrail trail delivered to CloudWatch Logs (one record per event)' });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseCloudTrail(line: string): CloudTrailRecord {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    throw new FormatError('CloudTrail event is not JSON', { expected: 'one JSON object per CloudWatch event', seen: JSON.stringify(line.slice(0, 120)), cause: err });
  }
  if (!isObject(v)) fail('CloudTrail event is not a JSON object', 'an object with eventVersion, userIdentity, eventTime …', typeof v);
  if (Array.isArray(v.Records)) {
    fail('CloudTrail input is a whole log file, not one record', 'a single record (use parseCloudTrailFile for {"Records":[…]})', `{"Records":[${v.Records.length} records]}`);
  }
  // What every event version since 1.0 has; the rest (eventID, eventType, requestID …) came later.
  for (const k of ['eventTime', 'eventSource', 'eventName'] as const) {
    if (typeof v[k] !== 'string') fail(`CloudTrail record lacks ${k}`, `${k}: string`, JSON.stringify(v[k] ?? null));
  }
  for (const k of ['eventVersion', 'eventID', 'eventType'] as const) {
    if (v[k] !== undefined && typeof v[k] !== 'string') fail(`CloudTrail ${k} is not a string`, `${k}: string`, JSON.stringify(v[k]));
  }
  if (!TIME_RE.test(v.eventTime as string)) fail('CloudTrail eventTime is not ISO-8601 UTC', 'YYYY-MM-DDThh:mm:ssZ', String(v.eventTime));
  const ui = v.userIdentity;
  if (!isObject(ui) || typeof ui.type !== 'string') fail('CloudTrail record lacks userIdentity.type', 'userIdentity: { type, … }', JSON.stringify(ui ?? null));
  if (v.readOnly !== undefined && typeof v.readOnly !== 'boolean') fail('CloudTrail readOnly is not a boolean', 'true | false', JSON.stringify(v.readOnly));
  return v as unknown as CloudTrailRecord;
}

/** A trail's S3 object: `{"Records":[…]}`. */
export function parseCloudTrailFile(text: string): CloudTrailRecord[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new FormatError('CloudTrail log file is not JSON', { expected: '{"Records":[…]}', seen: JSON.stringify(text.slice(0, 120)), cause: err });
  }
  if (!isObject(v) || !Array.isArray(v.Records)) fail('CloudTrail log file has no Records array', '{"Records":[…]}', JSON.stringify(text.slice(0, 120)));
  return v.Records.map((rec) => parseCloudTrail(JSON.stringify(rec)));
}

let lastSecond = NaN;
let lastText = '';

/** `2026-05-01T12:00:00Z`: CloudTrail writes whole seconds (cached: consecutive records share the second). */
export function cloudTrailTime(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== lastSecond) {
    lastSecond = sec;
    lastText = `${new Date(sec * 1000).toISOString().slice(0, 19)}Z`;
  }
  return lastText;
}

export const cloudtrailFormat: FormatSpec<CloudTrailRecord> = {
  source: 'cloudtrail',
  title: 'CloudTrail record',
  serialize: serializeCloudTrail,
  parse: (line) => parseCloudTrail(line),
  normalize(r) {
    const ui = r.userIdentity;
    const issuer = ui.sessionContext?.sessionIssuer as CloudTrailSessionIssuer | undefined;
    const userName = ui.userName ?? issuer?.userName ?? null;
    const mfa = ui.sessionContext?.attributes?.mfaAuthenticated;
    const entities: { principal?: string; accessKey?: string; ip?: string } = {};
    const onBehalfOf = ui.onBehalfOf?.userId;
    // Who acted: the ARN, else the name; identities without either are named by what they have (an Identity
    // Center user by its user id, another account by its id, a service by its service principal).
    const principal = ui.arn || userName || (typeof onBehalfOf === 'string' ? onBehalfOf : null) || (ui.type === 'AWSAccount' ? (ui.accountId ?? null) : null) || (ui.type === 'AWSService' ? (ui.invokedBy ?? null) : null);
    if (principal) entities.principal = principal;
    if (ui.accessKeyId) entities.accessKey = ui.accessKeyId;
    // AWS service principals show up as `ec2.amazonaws.com` in sourceIPAddress: not an IP.
    if (r.sourceIPAddress && /^[\d.]+$|:/.test(r.sourceIPAddress)) entities.ip = r.sourceIPAddress;
    return {
      time: Date.parse(r.eventTime),
      entities,
      fields: {
        eventName: r.eventName,
        eventSource: r.eventSource,
        awsRegion: r.awsRegion ?? null,
        sourceIPAddress: r.sourceIPAddress ?? null,
        userAgent: r.userAgent ?? null,
        errorCode: r.errorCode ?? null,
        errorMessage: r.errorMessage ?? null,
        readOnly: r.readOnly ?? null,
        eventType: r.eventType ?? null,
        identityType: ui.type,
        principalId: ui.principalId ?? null,
        arn: ui.arn ? ui.arn : null,
        accessKeyId: ui.accessKeyId ? ui.accessKeyId : null,
        userName,
        mfaAuthenticated: mfa === undefined ? null : mfa === 'true',
        recipientAccountId: r.recipientAccountId ?? null,
        requestParameters: r.requestParameters === undefined || r.requestParameters === null ? null : JSON.stringify(r.requestParameters),
        eventVersion: r.eventVersion ?? null,
        eventCategory: r.eventCategory ?? null,
        invokedBy: ui.invokedBy ?? null,
        identityProvider: ui.identityProvider ?? null,
        sessionIssuerArn: issuer?.arn ?? null,
      },
    };
  },
};
