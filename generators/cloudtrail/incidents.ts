import { ConfigError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';
import type { Entities } from '../../core/vocabulary.ts';
import { cloudTrailTime, type CloudTrailUserIdentity, type JsonObject } from '../../formats/cloudtrail.ts';
import { ANOMALOUS_COUNTRIES } from '../common/data/countries.ts';
import { BAD_BOT_USER_AGENTS, BROWSER_USER_AGENTS } from '../common/data/user-agents.ts';
import { ipInCountry } from '../common/pools.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest, TruthLabel } from '../types.ts';
import { ATTACKER_USER_AGENTS, CONSOLE_LOGIN_URL, BACKDOOR_USER_NAMES, COMPROMISE_PLAYBOOK, ENUMERATION_CALLS, ROOT_ACTIONS, SWEEP_REGIONS } from './data.ts';
import { iamIdBody, rootIdentity, trailUsers, userIdentity, type TrailUser } from './principals.ts';
import { buildRecord, trailDestination, trailEvent, type CallSpec } from './record-builder.ts';
import { paramContext, requestParameters } from './request-params.ts';

function labelOf(req: IncidentRequest): TruthLabel {
  return { incidentId: req.incidentId, kind: req.kind };
}

/** The IAM user a scenario names (by user name, ARN or access key), else one drawn from `candidates`. */
function resolveUser(rng: Rng, pools: EntityPools, req: IncidentRequest, prefer: (u: TrailUser) => boolean): TrailUser {
  const users = trailUsers(pools);
  if (users.length === 0) throw new ConfigError('the estate has no IAM users', { expected: 'at least one estate.iamUsers entry', seen: 'none' });
  const want = req.entities.principal ?? req.entities.accessKey;
  if (want) {
    const u = users.find((x) => x.userName === want || x.arn === want || x.accessKeyId === want);
    if (!u) throw new ConfigError('incident names an IAM user the estate does not have', { expected: users.map((x) => x.userName).join(' | '), seen: want });
    return u;
  }
  const pool = users.filter(prefer);
  return rng.pick(pool.length > 0 ? pool : users);
}

/** An address in a country none of the estate's users ever call from (never `-`: CloudTrail always has an IP). */
function foreignIp(rng: Rng, req: IncidentRequest): { ip: string; country: string } {
  if (req.entities.ip) return { ip: req.entities.ip, country: req.entities.country ?? '-' };
  const country = req.entities.country ?? rng.pick(ANOMALOUS_COUNTRIES.filter((c) => c !== '-'));
  return { ip: ipInCountry(rng, country).ip, country };
}

/** Spreads `n` steps over the window with jitter, non-decreasing. */
function stepTimes(rng: Rng, start: number, end: number, n: number): number[] {
  const span = end - start;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(start + Math.floor(((i + rng.next() * 0.8) / n) * span));
  return out;
}

// ── Compromised access key ───────────────────────────────────────────────────────────────────────────

interface CompromisePlan {
  user: TrailUser;
  ip: string;
  country: string;
  userAgent: string;
  backdoor: string;
}

function compromisePlan(rng: Rng, pools: EntityPools, req: IncidentRequest): CompromisePlan {
  const er = rng.fork('entities');
  // A developer's key leaks far more often than a machine's (laptops, public repos).
  const user = resolveUser(er, pools, req, (u) => u.human && !/admin/.test(u.userName) && u !== trailUsers(pools)[0]);
  const { ip, country } = foreignIp(er, req);
  return { user, ip, country, userAgent: er.pick(ATTACKER_USER_AGENTS), backdoor: er.pick(BACKDOOR_USER_NAMES) };
}

function* compromisedKey(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
  const p = compromisePlan(rng, pools, req);
  const c = rng.fork('content');
  const pc = paramContext(pools);
  const dest = trailDestination(pools);
  const label = labelOf(req);
  const identity = userIdentity(p.user, pools.estate.accountId);
  // Intensity repeats the reconnaissance part: a noisier intruder enumerates more.
  const reps = Math.max(1, Math.round(req.intensity * 3));
  const steps: { eventSource: string; eventName: string; region?: string }[] = [];
  for (const s of COMPROMISE_PLAYBOOK) {
    if (s.eventName === 'DescribeInstances') for (const r of SWEEP_REGIONS.slice(0, Math.min(SWEEP_REGIONS.length, (s.repeat ?? 1) + reps))) steps.push({ ...s, region: r });
    else if (s.eventSource !== 'iam.amazonaws.com' || s.eventName.startsWith('List')) for (let i = 0; i < (s.eventName.startsWith('List') ? reps : 1); i++) steps.push(s);
    else steps.push(s);
  }
  const times = stepTimes(c, req.window.start, req.window.end, steps.length);
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const t = times[i]!;
    let target: Record<string, string> | undefined;
    let response: JsonObject | null = null;
    switch (s.eventName) {
      case 'CreateUser':
        target = { userName: p.backdoor };
        response = { user: { path: '/', userName: p.backdoor, userId: `AIDA${iamIdBody(c, 17)}`, arn: `arn:aws:iam::${pools.estate.accountId}:user/${p.backdoor}`, createDate: new Date(t).toUTCString() } };
        break;
      case 'CreateAccessKey':
        target = { userName: p.backdoor };
        response = { accessKey: { userName: p.backdoor, accessKeyId: `AKIA${iamIdBody(c, 16)}`, status: 'Active', createDate: new Date(t).toUTCString() } };
        break;
      case 'AttachUserPolicy':
        target = { userName: p.backdoor, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' };
        break;
      case 'ListAttachedUserPolicies':
        target = { userName: p.user.userName };
        break;
      case 'GetBucketPolicy':
      case 'PutBucketPolicy':
        target = { bucket: pc.dataBucket };
        break;
    }
    const spec: CallSpec = {
      time: t,
      identity,
      eventSource: s.eventSource,
      eventName: s.eventName,
      sourceIPAddress: p.ip,
      userAgent: p.userAgent,
      requestParameters: requestParameters(pc, c, s.eventName, t, target),
      responseElements: response,
    };
    if (s.region) spec.region = s.region;
    // The leaked user cannot read everything: the broad IAM dump is denied, which intruders shrug off.
    if (s.eventName === 'GetAccountAuthorizationDetails' || s.eventName === 'GetBucketPolicy') spec.error = s.eventName === 'GetBucketPolicy' ? { code: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist' } : 'denied';
    yield trailEvent(dest, t, buildRecord(c, pools, spec), label);
  }
}

export const cloudtrailCompromisedKey: IncidentGenerator = {
  kind: 'cloudtrail-compromised-key',
  sources: ['cloudtrail'],
  generate: compromisedKey,
  describe(rng, pools, req): Entities {
    const p = compromisePlan(rng, pools, req);
    return { principal: p.user.arn, accessKey: p.user.accessKeyId, ip: p.ip, country: p.country };
  },
};

// ── Console login failures ───────────────────────────────────────────────────────────────────────────

function loginPlan(rng: Rng, pools: EntityPools, req: IncidentRequest): { ip: string; country: string; target: TrailUser; userAgent: string } {
  const er = rng.fork('entities');
  const { ip, country } = foreignIp(er, req);
  const target = resolveUser(er, pools, req, (u) => u.human);
  return { ip, country, target, userAgent: er.pick([...BROWSER_USER_AGENTS.slice(0, 3), BAD_BOT_USER_AGENTS[7]!]) };
}

function* consoleLoginFailures(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
  const p = loginPlan(rng, pools, req);
  const c = rng.fork('content');
  const dest = trailDestination(pools);
  const label = labelOf(req);
  const acct = pools.estate.accountId;
  const users = trailUsers(pools);
  for (const t of arrivals(rng.fork('arrivals'), constantRate(Math.max(0.02, 0.5 * req.intensity)), req.window)) {
    // Mostly the targeted real user (wrong passwords), plus guessed names AWS hides in the record.
    const roll = c.next();
    let identity: CloudTrailUserIdentity;
    let errorMessage: string;
    if (roll < 0.6) {
      identity = { type: 'IAMUser', principalId: p.target.userId, accountId: acct, accessKeyId: '', userName: p.target.userName };
      errorMessage = 'Failed authentication';
    } else if (roll < 0.75 && users.length > 1) {
      const other = c.pick(users);
      identity = { type: 'IAMUser', principalId: other.userId, accountId: acct, accessKeyId: '', userName: other.userName };
      errorMessage = 'Failed authentication';
    } else {
      identity = { type: 'IAMUser', accountId: acct, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' };
      errorMessage = 'No username found in supplied account';
    }
    const rec = buildRecord(c, pools, {
      time: t,
      identity,
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      sourceIPAddress: p.ip,
      userAgent: p.userAgent,
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Failure' },
      additionalEventData: { LoginTo: CONSOLE_LOGIN_URL, MobileVersion: 'No', MFAUsed: 'No' },
      error: { code: '', message: errorMessage },
      eventType: 'AwsConsoleSignIn',
      region: 'us-east-1',
    });
    // Console sign-in failures carry errorMessage only, no errorCode.
    delete rec.errorCode;
    yield trailEvent(dest, t, rec, label);
  }
}

export const cloudtrailConsoleLoginFailures: IncidentGenerator = {
  kind: 'cloudtrail-console-login-failures',
  sources: ['cloudtrail'],
  generate: consoleLoginFailures,
  describe(rng, pools, req): Entities {
    const p = loginPlan(rng, pools, req);
    return { ip: p.ip, principal: p.target.arn, country: p.country };
  },
};

// ── AccessDenied storm ───────────────────────────────────────────────────────────────────────────────

function deniedPlan(rng: Rng, pools: EntityPools, req: IncidentRequest): { user: TrailUser; ip: string } {
  const er = rng.fork('entities');
  // Automation with a broken policy (or a script someone ran with the wrong profile): a machine user by default.
  const user = resolveUser(er, pools, req, (u) => !u.human);
  return { user, ip: req.entities.ip ?? er.pick(user.profile.homeIps) };
}

function* accessDeniedStorm(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
  const p = deniedPlan(rng, pools, req);
  const c = rng.fork('content');
  const pc = paramContext(pools);
  const dest = trailDestination(pools);
  const label = labelOf(req);
  const identity = userIdentity(p.user, pools.estate.accountId);
  for (const t of arrivals(rng.fork('arrivals'), constantRate(Math.max(0.1, 3 * req.intensity)), req.window)) {
    const call = c.pick(ENUMERATION_CALLS);
    yield trailEvent(dest, t, buildRecord(c, pools, {
      time: t,
      identity,
      eventSource: call.eventSource,
      eventName: call.eventName,
      sourceIPAddress: p.ip,
      userAgent: p.user.profile.userAgent,
      requestParameters: requestParameters(pc, c, call.eventName, t),
      error: 'denied',
    }), label);
  }
}

export const cloudtrailAccessDeniedStorm: IncidentGenerator = {
  kind: 'cloudtrail-access-denied-storm',
  sources: ['cloudtrail'],
  generate: accessDeniedStorm,
  describe(rng, pools, req): Entities {
    const p = deniedPlan(rng, pools, req);
    return { principal: p.user.arn, accessKey: p.user.accessKeyId, ip: p.ip };
  },
};

// ── Root usage ───────────────────────────────────────────────────────────────────────────────────────

function rootPlan(rng: Rng, req: IncidentRequest): { ip: string; country: string; userAgent: string } {
  const er = rng.fork('entities');
  const { ip, country } = foreignIp(er, req);
  return { ip, country, userAgent: er.pick(BROWSER_USER_AGENTS) };
}

function* rootUsage(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
  const p = rootPlan(rng, req);
  const c = rng.fork('content');
  const pc = paramContext(pools);
  const dest = trailDestination(pools);
  const label = labelOf(req);
  const acct = pools.estate.accountId;
  const sessionKey = `ASIA${iamIdBody(c, 16)}`;
  const reps = Math.max(1, Math.round(req.intensity * 2));
  const actions = Array.from({ length: reps }, () => ROOT_ACTIONS).flat();
  const times = stepTimes(c, req.window.start, req.window.end, actions.length + 1);
  const login = times[0]!;
  yield trailEvent(dest, login, buildRecord(c, pools, {
    time: login,
    identity: { type: 'Root', principalId: acct, arn: `arn:aws:iam::${acct}:root`, accountId: acct, accessKeyId: '' },
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    sourceIPAddress: p.ip,
    userAgent: p.userAgent,
    requestParameters: null,
    responseElements: { ConsoleLogin: 'Success' },
    additionalEventData: { LoginTo: CONSOLE_LOGIN_URL, MobileVersion: 'No', MFAUsed: 'No' },
    eventType: 'AwsConsoleSignIn',
    region: 'us-east-1',
  }), label);
  const identity = rootIdentity(acct, sessionKey, cloudTrailTime(login));
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    const t = times[i + 1]!;
    const response: JsonObject | null = a.eventName === 'CreateAccessKey' ? { accessKey: { accessKeyId: `AKIA${iamIdBody(c, 16)}`, status: 'Active', createDate: new Date(t).toUTCString() } } : null;
    const params = a.eventName === 'CreateAccessKey' ? null : requestParameters(pc, c, a.eventName, t, { userName: c.pick(pc.userNames) });
    yield trailEvent(dest, t, buildRecord(c, pools, { time: t, identity, eventSource: a.eventSource, eventName: a.eventName, sourceIPAddress: p.ip, userAgent: p.userAgent, requestParameters: params, responseElements: response, sessionCredentialFromConsole: true }), label);
  }
}

export const cloudtrailRootUsage: IncidentGenerator = {
  kind: 'cloudtrail-root-usage',
  sources: ['cloudtrail'],
  generate: rootUsage,
  describe(rng, pools, req): Entities {
    const p = rootPlan(rng, req);
    return { principal: `arn:aws:iam::${pools.estate.accountId}:root`, ip: p.ip, country: p.country };
  },
};
