import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../core/rng.ts';
import { CLOUDTRAIL_KEY_ORDER, cloudtrailFormat, parseCloudTrail, type CloudTrailRecord } from '../../formats/cloudtrail.ts';
import { constantRate } from '../common/rate/index.ts';
import { determinismSuite, SAMPLE_START, samplePools } from '../common/testing.ts';
import type { GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { cloudtrailAccessDeniedStorm, cloudtrailBackground, cloudtrailCompromisedKey, cloudtrailConsoleLoginFailures, cloudtrailRootUsage } from './index.ts';

const pools = samplePools(42);
const window = { start: SAMPLE_START, end: SAMPLE_START + 10 * 60_000 };
const stream = `${pools.estate.accountId}_CloudTrail_${pools.estate.region}`;

function incident(gen: IncidentGenerator, seed: number, intensity = 1): { events: GeneratedEvent[]; req: IncidentRequest } {
  const req: IncidentRequest = { incidentId: 'inc-7', kind: gen.kind, window, intensity, entities: {} };
  return { events: [...gen.generate(createRng(seed), pools, req)], req };
}

/** Structure of every record: key order, eventVersion, ids, read-only rule, times in whole seconds. */
function records(events: GeneratedEvent[]): CloudTrailRecord[] {
  const problems: string[] = [];
  const out: CloudTrailRecord[] = [];
  let last = -Infinity;
  for (const e of events) {
    const bad = (why: string) => problems.length < 5 && problems.push(`${why}: ${e.message.slice(0, 300)}`);
    if (e.time < last || e.time < window.start || e.time >= window.end) bad('time');
    last = e.time;
    if (e.dest.kind !== 'cwl' || e.dest.logStream !== stream || e.dest.logGroup !== 'aws-cloudtrail-logs-firedrill') bad('destination');
    const r = parseCloudTrail(e.message);
    out.push(r);
    const keys = Object.keys(JSON.parse(e.message) as object);
    if (keys.join() !== CLOUDTRAIL_KEY_ORDER.filter((k) => keys.includes(k)).join()) bad('key order');
    if (r.eventVersion !== '1.11') bad('eventVersion');
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.eventID ?? '')) bad('eventID');
    if (Date.parse(r.eventTime) !== Math.floor(e.time / 1000) * 1000) bad('eventTime');
    if (r.readOnly === true && 'responseElements' in r && r.eventType === 'AwsApiCall') bad('responseElements on a read-only call');
    if (r.readOnly === false && !('responseElements' in r)) bad('no responseElements on a mutating call');
    const key = r.userIdentity.accessKeyId;
    if (key && !/^(AKIA|ASIA)[A-Z0-9]{16}$/.test(key)) bad('access key shape');
    if (r.userIdentity.type === 'AssumedRole' && !/^AROA[A-Z0-9]{17}:.+/.test(r.userIdentity.principalId ?? '')) bad('role principalId');
    if (r.eventType === 'AwsApiCall' && r.userIdentity.type !== 'AWSService' && !r.tlsDetails) bad('tlsDetails');
    if (e.message.includes('inc-7')) bad('label leaked into the line');
  }
  expect(problems).toEqual([]);
  return out;
}

describe('cloudtrail background', () => {
  const events = [...cloudtrailBackground.generate(createRng(3), pools, { window, rate: constantRate(5) })];
  const recs = records(events);
  it('writes 1.11 records from the pool principals, each user from their own addresses with their own key', () => {
    expect(events.length).toBeGreaterThan(2000);
    expect(events.every((e) => e.label === undefined)).toBe(true);
    const byArn = new Map(pools.users.filter((u) => u.iamUser).map((u) => [u.iamUser!.arn, u]));
    let userCalls = 0;
    for (const r of recs) {
      const u = r.userIdentity.arn ? byArn.get(r.userIdentity.arn) : undefined;
      if (!u) continue;
      userCalls++;
      expect(u.homeIps).toContain(r.sourceIPAddress);
      if (r.userIdentity.accessKeyId?.startsWith('AKIA')) expect(r.userIdentity.accessKeyId).toBe(u.iamUser!.accessKeyId);
    }
    expect(userCalls).toBeGreaterThan(1000);
    const types = new Set(recs.map((r) => r.userIdentity.type));
    expect([...types].sort()).toEqual(['AWSService', 'AssumedRole', 'IAMUser']);
    // A low, non-zero AccessDenied baseline.
    const denied = recs.filter((r) => r.errorCode).length / recs.length;
    expect(denied).toBeGreaterThan(0);
    expect(denied).toBeLessThan(0.02);
  });
  it('normalizes every record to the contract fields', () => {
    for (const r of recs.slice(0, 200)) {
      const n = cloudtrailFormat.normalize(r);
      expect(Object.keys(n.fields)).toEqual(['eventName', 'eventSource', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage', 'readOnly', 'eventType', 'identityType', 'principalId', 'arn', 'accessKeyId', 'userName', 'mfaAuthenticated', 'recipientAccountId', 'requestParameters', 'eventVersion', 'eventCategory', 'invokedBy', 'identityProvider', 'sessionIssuerArn']);
    }
  });
});

describe('cloudtrail incidents', () => {
  it('compromised key: the user key from a new country runs the post-compromise playbook', () => {
    const { events, req } = incident(cloudtrailCompromisedKey, 5);
    const recs = records(events);
    const who = cloudtrailCompromisedKey.describe(createRng(5), pools, req);
    const user = pools.users.find((u) => u.iamUser?.arn === who.principal)!;
    expect(user.homeIps).not.toContain(who.ip);
    for (const r of recs) {
      expect(r.userIdentity.accessKeyId).toBe(who.accessKey);
      expect(r.sourceIPAddress).toBe(who.ip);
    }
    const names = recs.map((r) => r.eventName);
    for (const n of ['GetCallerIdentity', 'ListBuckets', 'CreateAccessKey', 'AttachUserPolicy', 'PutBucketPolicy']) expect(names).toContain(n);
    const attach = recs.find((r) => r.eventName === 'AttachUserPolicy')!;
    expect(attach.requestParameters?.policyArn).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(events.every((e) => e.label?.kind === 'cloudtrail-compromised-key')).toBe(true);
  });

  it('console login failures: ConsoleLogin Failure from one address, some with hidden user names', () => {
    const { events, req } = incident(cloudtrailConsoleLoginFailures, 6);
    const recs = records(events);
    const who = cloudtrailConsoleLoginFailures.describe(createRng(6), pools, req);
    expect(recs.length).toBeGreaterThan(100);
    for (const r of recs) {
      expect(r).toMatchObject({ eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', sourceIPAddress: who.ip, responseElements: { ConsoleLogin: 'Failure' } });
      expect(r.errorCode).toBeUndefined();
    }
    expect(recs.some((r) => r.userIdentity.userName === 'HIDDEN_DUE_TO_SECURITY_REASONS' && r.errorMessage === 'No username found in supplied account')).toBe(true);
  });

  it('access denied storm: one principal, errors on every call', () => {
    const { events, req } = incident(cloudtrailAccessDeniedStorm, 7);
    const recs = records(events);
    const who = cloudtrailAccessDeniedStorm.describe(createRng(7), pools, req);
    expect(recs.length).toBeGreaterThan(1000);
    for (const r of recs) {
      expect(r.userIdentity.arn).toBe(who.principal);
      expect(r.errorCode).toMatch(/AccessDenied|UnauthorizedOperation/);
      expect(r.errorMessage).toContain('is not authorized to perform');
    }
  });

  it('root usage: a root console sign-in and root API calls', () => {
    const { events } = incident(cloudtrailRootUsage, 8);
    const recs = records(events);
    expect(recs[0]).toMatchObject({ eventName: 'ConsoleLogin', userIdentity: { type: 'Root' } });
    expect(recs.every((r) => r.userIdentity.type === 'Root')).toBe(true);
    expect(recs.length).toBeGreaterThan(5);
  });

  it('property: any seed and intensity gives ordered, labelled, parseable records', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0.05, max: 2, noNaN: true }), fc.constantFrom(cloudtrailCompromisedKey, cloudtrailConsoleLoginFailures, cloudtrailAccessDeniedStorm, cloudtrailRootUsage), (seed, intensity, gen) => {
        const short = { start: window.start, end: window.start + 120_000 };
        const req: IncidentRequest = { incidentId: 'p', kind: gen.kind, window: short, intensity, entities: {} };
        const who = gen.describe(createRng(seed), pools, req);
        let last = -Infinity;
        for (const e of gen.generate(createRng(seed), pools, req)) {
          if (e.time < last || e.time >= short.end || e.label?.kind !== gen.kind) return false;
          last = e.time;
          if (parseCloudTrail(e.message).sourceIPAddress !== who.ip) return false;
        }
        return true;
      }),
      { numRuns: 30 },
    );
  });
});

determinismSuite({ background: 'cloudtrail' });
determinismSuite({ incident: 'cloudtrail-compromised-key' });
determinismSuite({ incident: 'cloudtrail-console-login-failures' });
determinismSuite({ incident: 'cloudtrail-access-denied-storm' });
determinismSuite({ incident: 'cloudtrail-root-usage' });
