import type { Rng } from '../../core/index.ts';
import type { CloudTrailUserIdentity } from '../../formats/index.ts';
import { BROWSER_USER_AGENTS } from '../common/data/user-agents.ts';
import type { EntityPools, UserProfile } from '../types.ts';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** An IAM unique-id body (AKIA/ASIA/AROA ids use upper-case letters and digits 2-7). */
export function iamIdBody(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[(rng.next() * 32) | 0];
  return s;
}

/** An IAM user of the pool as CloudTrail shows them, with the habits that make their baseline. */
export interface TrailUser {
  profile: UserProfile;
  userName: string;
  userId: string;
  arn: string;
  accessKeyId: string;
  /** People also work in the console (temporary ASIA credentials, a browser user agent). */
  human: boolean;
  browserAgent: string;
}

export function trailUsers(pools: EntityPools): TrailUser[] {
  return pools.users
    .filter((u) => u.iamUser)
    .map((u, i) => {
      const iam = u.iamUser!;
      const human = !/deploy|ci|etl|batch|bot|service/.test(u.userName);
      return { profile: u, userName: iam.userName, userId: iam.userId, arn: iam.arn, accessKeyId: iam.accessKeyId, human, browserAgent: BROWSER_USER_AGENTS[i % BROWSER_USER_AGENTS.length]! };
    });
}

/** Long-term key use (CLI, SDK): AKIA… key, no session context. */
export function userIdentity(u: TrailUser, accountId: string): CloudTrailUserIdentity {
  return { type: 'IAMUser', principalId: u.userId, arn: u.arn, accountId, accessKeyId: u.accessKeyId, userName: u.userName };
}

/**
 * Console use: the console signs calls with temporary ASIA… credentials of the sign-in session. The key
 * stays the same for the session (one per user and hour here), so per-key baselines stay learnable.
 */
export function consoleIdentity(u: TrailUser, accountId: string, sessionKey: string, sessionStart: string, mfa: boolean): CloudTrailUserIdentity {
  return {
    type: 'IAMUser',
    principalId: u.userId,
    arn: u.arn,
    accountId,
    accessKeyId: sessionKey,
    userName: u.userName,
    sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: sessionStart, mfaAuthenticated: mfa ? 'true' : 'false' } },
  };
}

/** A role of the estate with a stable AROA id. */
export interface TrailRole {
  name: string;
  arn: string;
  roleId: string;
}

export function trailRoles(rng: Rng, pools: EntityPools): Record<string, TrailRole> {
  const out: Record<string, TrailRole> = {};
  for (const [key, arn] of Object.entries(pools.estate.roles)) {
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    out[key] = { name, arn, roleId: `AROA${iamIdBody(rng.fork(`role/${name}`), 17)}` };
  }
  return out;
}

export function assumedRoleIdentity(role: TrailRole, session: string, accountId: string, accessKeyId: string, creationDate: string): CloudTrailUserIdentity {
  return {
    type: 'AssumedRole',
    principalId: `${role.roleId}:${session}`,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${session}`,
    accountId,
    accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: role.roleId, arn: role.arn, accountId, userName: role.name },
      webIdFederationData: {},
      attributes: { creationDate, mfaAuthenticated: 'false' },
    },
  };
}

export function rootIdentity(accountId: string, accessKeyId: string, creationDate?: string): CloudTrailUserIdentity {
  const id: CloudTrailUserIdentity = { type: 'Root', principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId, accessKeyId };
  if (creationDate) id.sessionContext = { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate, mfaAuthenticated: 'false' } };
  return id;
}

/**
 * Temporary credentials that live for an hour: the same (principal, hour) always gets the same ASIA key,
 * without keeping every key drawn. Cached because forking an rng per event would dominate the cost.
 */
export class SessionKeys {
  private cache = new Map<string, string>();
  constructor(private readonly rng: Rng) {}
  key(principal: string, t: number): { key: string; start: number } {
    const hour = Math.floor(t / 3_600_000);
    const k = `${principal}@${hour}`;
    let v = this.cache.get(k);
    if (v === undefined) {
      if (this.cache.size > 4096) this.cache.clear();
      v = `ASIA${iamIdBody(this.rng.fork(k), 16)}`;
      this.cache.set(k, v);
    }
    return { key: v, start: hour * 3_600_000 };
  }
}
