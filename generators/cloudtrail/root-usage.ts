import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import { cloudTrailTime, type JsonObject } from '../../formats/index.ts';
import { BROWSER_USER_AGENTS } from '../common/data/user-agents.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { CONSOLE_LOGIN_URL, ROOT_ACTIONS } from './data.ts';
import { iamIdBody, rootIdentity } from './principals.ts';
import { buildRecord, trailDestination, trailEvent } from './record-builder.ts';
import { paramContext, requestParameters } from './request-params.ts';
import { labelOf, foreignIp, stepTimes } from './incident-support.ts';

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

/**
 * Someone signing in as root (no MFA) and using it: a console sign-in, then IAM and EC2 calls with the
 * root session, including a root access key. describe(): principal (root ARN), ip, country.
 */
export const cloudtrailRootUsage: IncidentGenerator = {
  kind: 'cloudtrail-root-usage',
  sources: ['cloudtrail'],
  generate: rootUsage,
  describe(rng, pools, req): Entities {
    const p = rootPlan(rng, req);
    return { principal: `arn:aws:iam::${pools.estate.accountId}:root`, ip: p.ip, country: p.country };
  },
};
