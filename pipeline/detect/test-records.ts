import type { NormalizedRecord } from '../../formats/index.ts';
import type { Entities, SourceName } from '../../core/index.ts';

/**
 * Hand-built NormalizedRecords for the detector's unit tests. Deliberately independent of generators/:
 * pipeline/ must not know the data maker, and these tests pin the detector to the contract
 * (docs/CONTRACTS.md), not to one generator's habits.
 */
let seq = 0;
export function rec(source: SourceName, time: number, fields: NormalizedRecord['fields'], entities: Entities = {}, message?: string): NormalizedRecord {
  return { id: `${source}-${time}-${seq++}`, source, time, entities, fields, message: message ?? JSON.stringify(fields) };
}

export const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/test-acl/1111';

export function waf(time: number, f: { ip: string; country?: string; method?: string; uri?: string; action?: string; conditionType?: string | null; rateBased?: boolean; labels?: string; userAgent?: string; source?: string }): NormalizedRecord {
  const fields = {
    action: f.action ?? 'ALLOW', terminatingRuleId: f.conditionType ? 'AWS-AWSManagedRulesSQLiRuleSet' : f.rateBased ? 'rate-limit' : 'Default_Action',
    terminatingRuleType: f.rateBased ? 'RATE_BASED' : f.conditionType ? 'MANAGED_RULE_GROUP' : 'REGULAR', httpSourceName: f.source ?? 'ALB', httpSourceId: 'alb-1',
    clientIp: f.ip, country: f.country ?? 'US', uri: f.uri ?? '/', args: '', httpMethod: f.method ?? 'GET', httpVersion: 'HTTP/1.1', userAgent: f.userAgent ?? 'Mozilla/5.0',
    host: 'shop.example.com', ruleGroupIds: '', labels: f.labels ?? '', conditionType: f.conditionType ?? null, rateBased: f.rateBased ?? false, countMatches: 0,
  };
  return rec('waf', time, fields, { ip: f.ip, webAcl: WEB_ACL, country: fields.country });
}

export function flow(time: number, f: { src: string; dst: string; srcport?: number; dstport: number; bytes?: number; packets?: number; action?: string; eni?: string }): NormalizedRecord {
  const eni = f.eni ?? 'eni-0aaaaaaaaaaaaaaa1';
  const line = `2 123456789012 ${eni} ${f.src} ${f.dst} ${f.srcport ?? 40000} ${f.dstport} 6 ${f.packets ?? 10} ${f.bytes ?? 1000} ${Math.floor(time / 1000)} ${Math.floor(time / 1000) + 30} ${f.action ?? 'ACCEPT'} OK`;
  return rec('vpcflow', time, {
    version: 2, accountId: '123456789012', interfaceId: eni, srcaddr: f.src, dstaddr: f.dst, srcport: f.srcport ?? 40000, dstport: f.dstport, protocol: 6,
    packets: f.packets ?? 10, bytes: f.bytes ?? 1000, start: Math.floor(time / 1000), end: Math.floor(time / 1000) + 30, action: f.action ?? 'ACCEPT', logStatus: 'OK',
  }, { eni, ip: f.src }, line);
}

export function sshd(time: number, f: { kind: string; rhost?: string; user?: string; instance?: string; detail?: string }): NormalizedRecord {
  const instance = f.instance ?? 'i-0123456789abcdef0';
  const detail = f.detail ?? (f.kind === 'ssh-failed' ? `Failed password for ${f.user ?? 'root'} from ${f.rhost} port 4242 ssh2` : f.kind);
  return rec('ec2', time, { stream: f.kind.startsWith('ssh') || f.kind === 'pam-failure' ? 'secure' : 'messages', host: 'ip-10-0-1-10', program: 'sshd', pid: 1234, kind: f.kind, user: f.user ?? null, rhost: f.rhost ?? null, port: 4242, detail },
    { instance, host: 'ip-10-0-1-10', ...(f.rhost ? { ip: f.rhost } : {}) }, `Nov 21 11:00:00 ip-10-0-1-10 sshd[1234]: ${detail}`);
}

export function trail(time: number, f: { user: string; eventName: string; ip: string; errorCode?: string; errorMessage?: string; identityType?: string; accessKey?: string; readOnly?: boolean }): NormalizedRecord {
  const arn = f.identityType === 'Root' ? 'arn:aws:iam::123456789012:root' : `arn:aws:iam::123456789012:user/${f.user}`;
  const accessKey = f.accessKey ?? `AKIA${f.user.toUpperCase().padEnd(16, 'X').slice(0, 16)}`;
  return rec('cloudtrail', time, {
    eventName: f.eventName, eventSource: 'iam.amazonaws.com', awsRegion: 'us-east-1', sourceIPAddress: f.ip, userAgent: 'aws-cli/2.15', errorCode: f.errorCode ?? null,
    errorMessage: f.errorMessage ?? null, readOnly: f.readOnly ?? true, eventType: f.eventName === 'ConsoleLogin' ? 'AwsConsoleSignIn' : 'AwsApiCall', identityType: f.identityType ?? 'IAMUser',
    principalId: 'AIDAEXAMPLE', arn, accessKeyId: accessKey, userName: f.user, mfaAuthenticated: false, recipientAccountId: '123456789012', requestParameters: null,
  }, { principal: arn, accessKey, ip: f.ip });
}

export function lambdaLine(time: number, fn: string, f: { lineType: string; requestId?: string; level?: string; memorySizeMb?: number; maxMemoryUsedMb?: number; status?: string | null; text?: string; durationMs?: number }, message?: string): NormalizedRecord {
  return rec('lambda', time, {
    lineType: f.lineType, requestId: f.requestId ?? `req-${seq}`, level: f.level ?? null, durationMs: f.durationMs ?? 20, billedMs: 21, memorySizeMb: f.memorySizeMb ?? 128,
    maxMemoryUsedMb: f.maxMemoryUsedMb ?? 70, initDurationMs: null, status: f.status ?? null, timedOut: f.status === 'timeout', text: f.text ?? '',
  }, { function: fn }, message ?? f.text ?? `${f.lineType.toUpperCase()} RequestId: ${f.requestId ?? 'x'}`);
}

export function s3(time: number, f: { bucket: string; op: string; status?: number; ip?: string; requester?: string; bytes?: number; key?: string }): NormalizedRecord {
  const requester = f.requester ?? 'arn:aws:iam::123456789012:user/app';
  return rec('s3access', time, {
    bucketOwner: 'owner', bucket: f.bucket, remoteIp: f.ip ?? '10.0.1.20', requester, requestId: `R${seq}`, operation: f.op, key: f.key ?? `obj/${seq}`,
    requestUri: `GET /${f.key ?? 'obj'} HTTP/1.1`, httpStatus: f.status ?? 200, errorCode: null, bytesSent: f.bytes ?? 1000, objectSize: f.bytes ?? 1000, totalTime: 10, turnAroundTime: 5,
    referer: null, userAgent: 'aws-sdk', versionId: null,
  }, { bucket: f.bucket, ip: f.ip ?? '10.0.1.20', principal: requester });
}

export function rds(time: number, db: string, severity: string, text: string): NormalizedRecord {
  return rec('rds', time, { clientHost: '10.0.11.5', user: 'app', database: 'orders', pid: 4242, severity, text }, { database: db },
    `2026-11-21 11:00:00 UTC:10.0.11.5(5432):app@orders:[4242]:${severity}:  ${text}`);
}

export function app(time: number, service: string, f: { level: string; text: string; exception?: string | null; httpStatus?: number | null; path?: string }): NormalizedRecord {
  return rec('app', time, { level: f.level, logger: 'checkout', text: f.text, json: false, exception: f.exception ?? null, durationMs: 12, httpStatus: f.httpStatus ?? null, path: f.path ?? null },
    { service }, `${f.level} ${f.text}`);
}

export function ecsEvent(time: number, service: string, message: string): NormalizedRecord {
  return rec('ecs', time, { eventType: 'service-event', serviceName: service, clusterName: 'c', taskId: null, reason: message, cpuUtilized: null, memoryUtilized: null, runningTaskCount: null, desiredTaskCount: null, type: null },
    { service }, message);
}
