import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import { type JsonObject } from '../../formats/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { ATTACKER_USER_AGENTS, BACKDOOR_USER_NAMES, COMPROMISE_PLAYBOOK, SWEEP_REGIONS } from './data.ts';
import { iamIdBody, trailUsers, userIdentity, type TrailUser } from './principals.ts';
import { buildRecord, trailDestination, trailEvent, type CallSpec } from './record-builder.ts';
import { paramContext, requestParameters } from './request-params.ts';
import { labelOf, resolveUser, foreignIp, stepTimes } from './incident-support.ts';

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

/**
 * A user's long-term key used from a new country/ASN with an attacker's tooling: identity check,
 * enumeration, a region sweep, a backdoor user with its own key and AdministratorAccess, a public bucket
 * policy, an SSH ingress rule. describe(): principal (ARN), accessKey, ip, country.
 */
export const cloudtrailCompromisedKey: IncidentGenerator = {
  kind: 'cloudtrail-compromised-key',
  sources: ['cloudtrail'],
  generate: compromisedKey,
  describe(rng, pools, req): Entities {
    const p = compromisePlan(rng, pools, req);
    return { principal: p.user.arn, accessKey: p.user.accessKeyId, ip: p.ip, country: p.country };
  },
};
