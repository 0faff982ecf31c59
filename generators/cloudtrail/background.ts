import type { Rng } from '../../core/index.ts';
import { cloudTrailTime, type CloudTrailUserIdentity, type JsonObject } from '../../formats/index.ts';
import { AWS_PUBLIC_PREFIXES } from '../common/data/asns.ts';
import { arrivals } from '../common/rate/index.ts';
import { AliasSampler } from '../common/sampler.ts';
import type { BackgroundGenerator, BackgroundRequest, Destination, EntityPools, GeneratedEvent } from '../types.ts';
import { CONSOLE_LOGIN_URL, LAMBDA_SDK_USER_AGENT, SERVICE_PRINCIPALS } from './data.ts';
import { assumedRoleIdentity, consoleIdentity, SessionKeys, trailRoles, trailUsers, userIdentity, type TrailRole, type TrailUser } from './principals.ts';
import { buildRecord, isDataEvent, s3DataExtras, trailDestination, trailEvent, type CallSpec } from './record-builder.ts';
import { dataKey, paramContext, requestParameters, type ParamContext } from './request-params.ts';

/** Actor weights: machines call far more often than people, which keeps per-principal volumes learnable. */
function actorWeight(u: TrailUser): number {
  if (/etl|batch/.test(u.userName)) return 10;
  if (/deploy|ci/.test(u.userName)) return 5;
  return 3;
}

interface Ctx {
  rng: Rng;
  pools: EntityPools;
  pc: ParamContext;
  keys: SessionKeys;
  accountId: string;
  dest: Destination;
  /** Identity objects are reused, so the format serializes each one once (and nothing is rebuilt per record). */
  identities: Map<string, CloudTrailUserIdentity>;
}

function cachedIdentity(c: Ctx, key: string, make: () => CloudTrailUserIdentity): CloudTrailUserIdentity {
  let id = c.identities.get(key);
  if (id === undefined) {
    if (c.identities.size > 4096) c.identities.clear();
    id = make();
    c.identities.set(key, id);
  }
  return id;
}

/** What a successful call returns, for the mutating calls the background makes. */
function responseFor(c: Ctx, eventName: string, params: JsonObject | null): JsonObject | null {
  switch (eventName) {
    case 'UpdateService':
      return { service: { serviceName: c.pc.service, clusterArn: c.pools.estate.ecs.clusterArn, serviceArn: c.pools.estate.ecs.serviceArn, status: 'ACTIVE', desiredCount: c.pools.topology.estate.ecs.desiredCount } };
    case 'RegisterTaskDefinition':
      return { taskDefinition: { taskDefinitionArn: c.pools.estate.ecs.taskDefinitionArn.replace(/:\d+$/, `:${c.rng.int(2, 400)}`), family: String(params?.family ?? ''), status: 'ACTIVE' } };
    case 'PutObject':
      return { 'x-amz-server-side-encryption': 'AES256' };
    case 'StartQueryExecution':
      return { queryExecutionId: c.rng.uuid() };
    case 'StartJobRun':
      return { jobRunId: `jr_${c.rng.hex(64)}` };
    case 'UpdateFunctionCode20150331v2':
      return { functionName: String(params?.functionName ?? ''), runtime: 'nodejs20.x', codeSha256: c.rng.hex(43), state: 'Active', lastUpdateStatus: 'InProgress' };
    default:
      return null;
  }
}

function userCall(c: Ctx, u: TrailUser, sampler: AliasSampler, t: number): GeneratedEvent {
  const { rng } = c;
  const habit = u.profile.habits[sampler.sample(rng)]!;
  const ip = rng.pick(u.profile.homeIps);
  const dest = c.dest;
  if (habit.eventName === 'ConsoleLogin') {
    const rec = buildRecord(rng, c.pools, {
      time: t,
      identity: cachedIdentity(c, `signin/${u.arn}`, () => ({ type: 'IAMUser', principalId: u.userId, arn: u.arn, accountId: c.accountId, userName: u.userName })),
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      sourceIPAddress: ip,
      userAgent: u.browserAgent,
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { LoginTo: CONSOLE_LOGIN_URL, MobileVersion: 'No', MFAIdentifier: `arn:aws:iam::${c.accountId}:mfa/${u.userName}`, MFAUsed: 'Yes' },
      eventType: 'AwsConsoleSignIn',
      region: 'us-east-1',
    });
    return trailEvent(dest, t, rec);
  }
  const viaConsole = u.human && rng.chance(0.25);
  let identity: CloudTrailUserIdentity;
  if (viaConsole) {
    const k = c.keys.key(u.arn, t);
    identity = cachedIdentity(c, `console/${k.key}`, () => consoleIdentity(u, c.accountId, k.key, cloudTrailTime(k.start), true));
  } else identity = cachedIdentity(c, `key/${u.arn}`, () => userIdentity(u, c.accountId));
  const params = requestParameters(c.pc, rng, habit.eventName, t);
  const spec: CallSpec = {
    time: t,
    identity,
    eventSource: habit.eventSource,
    eventName: habit.eventName,
    sourceIPAddress: ip,
    userAgent: viaConsole ? u.browserAgent : u.profile.userAgent,
    requestParameters: params,
    sessionCredentialFromConsole: viaConsole,
  };
  // Everyone hits a permission they lack now and then: the baseline rate of AccessDenied is not zero.
  if (rng.chance(0.008)) spec.error = 'denied';
  else spec.responseElements = responseFor(c, habit.eventName, params);
  if (isDataEvent(habit.eventSource, habit.eventName)) {
    const key = typeof params?.key === 'string' ? params.key : undefined;
    const out = habit.eventName === 'GetObject' ? Math.round(rng.logNormal(11, 1.5)) : 0;
    const inn = habit.eventName === 'PutObject' ? Math.round(rng.logNormal(11, 1.5)) : 0;
    Object.assign(spec, s3DataExtras(rng, c.accountId, c.pc.dataBucket, key, out, inn));
  }
  return trailEvent(dest, t, buildRecord(rng, c.pools, spec));
}

/** The estate's functions call KMS and the data bucket with their execution role, from a stable egress IP. */
function lambdaRoleCall(c: Ctx, role: TrailRole, fnIps: Map<string, string>, t: number): GeneratedEvent {
  const { rng } = c;
  const fn = rng.pick(c.pc.functions);
  const k = c.keys.key(`${role.arn}/${fn}`, t);
  const identity = cachedIdentity(c, `role/${k.key}`, () => assumedRoleIdentity(role, fn, c.accountId, k.key, cloudTrailTime(k.start)));
  const call = rng.weighted(['Decrypt', 'GetObject', 'PutObject', 'GetCallerIdentity'] as const, [5, 3, 2, 0.3]);
  const eventSource = call === 'Decrypt' ? 'kms.amazonaws.com' : call === 'GetCallerIdentity' ? 'sts.amazonaws.com' : 's3.amazonaws.com';
  const params = requestParameters(c.pc, rng, call, t, call === 'Decrypt' ? undefined : { key: dataKey(rng, t) });
  const spec: CallSpec = { time: t, identity, eventSource, eventName: call, sourceIPAddress: fnIps.get(fn)!, userAgent: LAMBDA_SDK_USER_AGENT, requestParameters: params, responseElements: responseFor(c, call, params) };
  if (eventSource === 's3.amazonaws.com') {
    const out = call === 'GetObject' ? Math.round(rng.logNormal(12, 1)) : 0;
    Object.assign(spec, s3DataExtras(rng, c.accountId, c.pc.dataBucket, String(params?.key ?? ''), out, call === 'PutObject' ? Math.round(rng.logNormal(10, 1)) : 0));
  }
  return trailEvent(c.dest, t, buildRecord(rng, c.pools, spec));
}

/** AWS services assuming the estate's roles (Lambda, Firehose, CloudWatch Logs): identity type AWSService. */
function serviceAssumeRole(c: Ctx, roles: Record<string, TrailRole>, t: number): GeneratedEvent | undefined {
  const { rng } = c;
  const sp = rng.weighted(SERVICE_PRINCIPALS, SERVICE_PRINCIPALS.map((s) => s.weight));
  const role = roles[sp.role];
  if (!role) return undefined;
  const session = sp.role === 'lambda' ? rng.pick(c.pc.functions) : `${sp.service.slice(0, sp.service.indexOf('.'))}-${rng.hex(8)}`;
  const rec = buildRecord(rng, c.pools, {
    time: t,
    identity: cachedIdentity(c, `service/${sp.service}`, () => ({ type: 'AWSService', invokedBy: sp.service })),
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    sourceIPAddress: sp.service,
    userAgent: sp.service,
    requestParameters: requestParameters(c.pc, rng, 'AssumeRole', t, { roleArn: role.arn, session }),
    noTls: true,
  });
  return trailEvent(c.dest, t, rec);
}

/**
 * CloudTrail background: the estate's IAM users keeping to their habits (same users, keys and home IPs
 * as the S3 access logs and the app), people partly through the console with hourly session keys, the
 * Lambda execution role's KMS and data-bucket calls, and AWS services assuming the estate's roles.
 * `req.rate` is records per second.
 */
export const cloudtrailBackground: BackgroundGenerator = {
  source: 'cloudtrail',
  *generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Generator<GeneratedEvent> {
    const users = trailUsers(pools).filter((u) => u.profile.habits.length > 0);
    const roles = trailRoles(rng.fork('roles'), pools);
    const c: Ctx = { rng: rng.fork('content'), pools, pc: paramContext(pools), keys: new SessionKeys(rng.fork('session-keys')), accountId: pools.estate.accountId, dest: trailDestination(pools), identities: new Map() };
    const samplers = users.map((u) => new AliasSampler(u.profile.habits.map((h) => h.weight)));
    const ipr = rng.fork('egress');
    const fnIps = new Map(c.pc.functions.map((f) => [f, `${ipr.pick(AWS_PUBLIC_PREFIXES)}.${ipr.int(0, 255)}.${ipr.int(1, 254)}`]));
    const lambdaRole = roles.lambda;
    // Actor table: every user, then the Lambda role, then AWS services.
    const weights = [...users.map(actorWeight), lambdaRole && c.pc.functions.length > 0 ? 5 : 0, 4];
    const actors = new AliasSampler(weights);
    for (const t of arrivals(rng.fork('arrivals'), req.rate, req.window)) {
      const a = actors.sample(c.rng);
      if (a < users.length) yield userCall(c, users[a]!, samplers[a]!, t);
      else if (a === users.length) yield lambdaRoleCall(c, lambdaRole!, fnIps, t);
      else {
        const e = serviceAssumeRole(c, roles, t);
        if (e) yield e;
      }
    }
  },
};
