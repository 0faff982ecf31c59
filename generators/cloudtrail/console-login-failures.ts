import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import { type CloudTrailUserIdentity } from '../../formats/index.ts';
import { BAD_BOT_USER_AGENTS, BROWSER_USER_AGENTS } from '../common/data/user-agents.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { CONSOLE_LOGIN_URL } from './data.ts';
import { trailUsers, type TrailUser } from './principals.ts';
import { buildRecord, trailDestination, trailEvent } from './record-builder.ts';
import { labelOf, resolveUser, foreignIp } from './incident-support.ts';

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

/**
 * A burst of failed console sign-ins from one address: wrong passwords for a real user and guessed
 * names AWS records as HIDDEN_DUE_TO_SECURITY_REASONS. describe(): ip, principal (the targeted user), country.
 */
export const cloudtrailConsoleLoginFailures: IncidentGenerator = {
  kind: 'cloudtrail-console-login-failures',
  sources: ['cloudtrail'],
  generate: consoleLoginFailures,
  describe(rng, pools, req): Entities {
    const p = loginPlan(rng, pools, req);
    return { ip: p.ip, principal: p.target.arn, country: p.country };
  },
};
