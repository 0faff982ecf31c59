import { ConfigError } from '../../core/index.ts';
import { createRng, type Rng } from '../../core/index.ts';
import { serializeS3Access, type S3AccessRecord } from '../../formats/index.ts';
import { AWS_PUBLIC_PREFIXES } from '../common/data/asns.ts';
import { AliasSampler, zipfWeights } from '../common/sampler.ts';
import { hex4Upper } from '../common/hex4.ts';
import type { Destination, EntityPools, GeneratedEvent, TruthLabel } from '../types.ts';
import { KEY_CLASSES, TLS_CIPHER, TLS_VERSION, type SDK_AGENTS } from './data.ts';

export interface S3Object {
  key: string;
  /** URL-encoded as the log's Key field writes it. */
  encoded: string;
  size: number;
}

/**
 * The data bucket as its access log sees it: owner, objects with sizes and a Zipf popularity, the
 * delivery destination. Built from the bucket's name and account only (not the run's seed), so the
 * background and every incident see the same objects.
 */
export interface BucketModel {
  bucket: string;
  owner: string;
  region: string;
  host: string;
  objects: S3Object[];
  popularity: AliasSampler;
  dest: Destination;
}

const KEY_COUNT = 3000;

export function encodeKey(key: string): string {
  return encodeURIComponent(key).replaceAll('%2F', '/');
}

export function bucketModel(pools: EntityPools): BucketModel {
  const e = pools.estate;
  const bucket = e.buckets.data;
  const r = createRng(`s3-bucket/${e.accountId}/${bucket}`);
  const classWeights = new AliasSampler(KEY_CLASSES.map((k) => k.weight));
  const objects: S3Object[] = [];
  for (let i = 0; i < KEY_COUNT; i++) {
    const k = KEY_CLASSES[classWeights.sample(r)]!;
    const key = `${k.prefix}${2024 + r.int(0, 1)}/${String(r.int(1, 12)).padStart(2, '0')}/${r.uuid()}${k.ext}`;
    objects.push({ key, encoded: encodeKey(key), size: Math.max(128, Math.round(r.logNormal(k.sizeMu, k.sizeSigma))) });
  }
  return {
    bucket,
    owner: createRng(`s3-owner/${e.accountId}`).hex(64),
    region: e.region,
    host: `${bucket}.s3.${e.region}.amazonaws.com`,
    objects,
    popularity: new AliasSampler(zipfWeights(objects.length, 0.9)),
    dest: { kind: 's3', bucket: e.buckets.accessLogs, prefix: `${bucket}/` },
  };
}

export type AgentKind = keyof typeof SDK_AGENTS;

/** Someone who calls the bucket: as the log's Requester field shows them, from where, with what. */
export interface Requester {
  name: string;
  arn: string;
  ips: readonly string[];
  agent: AgentKind;
  mix: 'etl' | 'deploy' | 'human' | 'thumbnailer';
  weight: number;
}

/** The pool's IAM users that use S3, plus the thumbnailer Lambda's role session. */
export function requesters(pools: EntityPools): Requester[] {
  const out: Requester[] = [];
  for (const u of pools.users) {
    if (!u.iamUser) continue;
    const s3 = u.habits.filter((h) => h.eventSource === 's3.amazonaws.com');
    const mix: Requester['mix'] = /etl|batch/.test(u.userName) ? 'etl' : /deploy|ci/.test(u.userName) ? 'deploy' : 'human';
    const weight = mix === 'etl' ? 12 : mix === 'deploy' ? 3 : s3.length > 0 ? 1 : 0.3;
    out.push({ name: u.userName, arn: u.iamUser.arn, ips: u.homeIps, agent: mix === 'etl' ? 'boto' : mix === 'deploy' ? 'js' : 'cli', mix, weight });
  }
  const role = pools.estate.roles.lambda;
  const thumb = pools.estate.lambdas.find((l) => /thumbnail/.test(l.name));
  if (role && thumb) {
    const r = createRng(`s3-egress/${thumb.name}`);
    out.push({
      name: thumb.name,
      arn: `arn:aws:sts::${pools.estate.accountId}:assumed-role/${role.slice(role.lastIndexOf('/') + 1)}/${thumb.name}`,
      ips: [`${r.pick(AWS_PUBLIC_PREFIXES)}.${r.int(0, 255)}.${r.int(1, 254)}`],
      agent: 'js',
      mix: 'thumbnailer',
      weight: 6,
    });
  }
  return out;
}

/** The requester a scenario names (user name, ARN), else one matching `prefer`, else any. */
export function pickRequester(rng: Rng, list: Requester[], wanted: string | undefined, prefer: (r: Requester) => boolean): Requester {
  if (list.length === 0) throw new ConfigError('the estate has no principals that use S3', { expected: 'IAM users in the estate', seen: 'none' });
  if (wanted) {
    const r = list.find((x) => x.name === wanted || x.arn === wanted);
    if (!r) throw new ConfigError('incident names a principal the estate does not have', { expected: list.map((x) => x.arn).join(' | '), seen: wanted });
    return r;
  }
  const pool = list.filter(prefer);
  return rng.pick(pool.length > 0 ? pool : list);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * 4096 fixed 6-character base64 chunks: a host id is 12 chunks plus 3 characters and '=', so it costs 13
 * rng draws instead of 75 (host ids are on every line; their exact bytes carry no meaning).
 */
const CHUNKS: readonly string[] = (() => {
  const r = createRng('s3-host-id-chunks');
  return Array.from({ length: 4096 }, () => {
    let c = '';
    for (let i = 0; i < 6; i++) c += B64[(r.next() * 64) | 0];
    return c;
  });
})();

export function hostId(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += CHUNKS[(rng.next() * 4096) | 0];
  return `${s}${CHUNKS[(rng.next() * 4096) | 0]!.slice(0, 3)}=`;
}

/** 16 upper-case hex characters, as S3 request ids are. */
export function requestId(rng: Rng): string {
  return hex4Upper((rng.next() * 65536) | 0) + hex4Upper((rng.next() * 65536) | 0) + hex4Upper((rng.next() * 65536) | 0) + hex4Upper((rng.next() * 65536) | 0);
}

export interface LineSpec {
  time: number;
  ip: string | null;
  requester: string | null;
  requestId: string;
  operation: string;
  key: string | null;
  uri: string;
  status: number;
  errorCode?: string | null;
  bytesSent: number | null;
  objectSize: number | null;
  totalTime: number;
  turnAround: number | null;
  userAgent: string;
  /** Anonymous requests carry no signature or authentication type. */
  anonymous?: boolean;
  hostIdValue: string;
}

export function accessLine(m: BucketModel, s: LineSpec, label?: TruthLabel): GeneratedEvent {
  const rec: S3AccessRecord = {
    bucketOwner: m.owner,
    bucket: m.bucket,
    time: s.time,
    remoteIp: s.ip,
    requester: s.requester,
    requestId: s.requestId,
    operation: s.operation,
    key: s.key,
    requestUri: s.uri,
    httpStatus: s.status,
    errorCode: s.errorCode ?? null,
    bytesSent: s.bytesSent,
    objectSize: s.objectSize,
    totalTime: s.totalTime,
    turnAroundTime: s.turnAround,
    referer: null,
    userAgent: s.userAgent,
    versionId: null,
    hostId: s.hostIdValue,
    signatureVersion: s.anonymous ? null : 'SigV4',
    cipherSuite: TLS_CIPHER,
    authenticationType: s.anonymous ? null : 'AuthHeader',
    hostHeader: m.host,
    tlsVersion: TLS_VERSION,
    accessPointArn: null,
    aclRequired: null,
  };
  const e: GeneratedEvent = { time: s.time, source: 's3access', dest: m.dest, message: serializeS3Access(rec) };
  if (label) e.label = label;
  return e;
}

/** The Request-URI for an object call, as the requester's SDK writes it (JS v3 appends `x-id`). */
export function objectUri(method: string, encodedKey: string, agent: AgentKind, op: string): string {
  return agent === 'js' ? `${method} /${encodedKey}?x-id=${op} HTTP/1.1` : `${method} /${encodedKey} HTTP/1.1`;
}

/** Time on the wire: turnaround plus transfer at a few tens of MB/s. */
export function transferMs(rng: Rng, bytes: number): { total: number; turnAround: number } {
  const turnAround = rng.int(4, 35);
  return { turnAround, total: turnAround + Math.round(bytes / (rng.int(15, 60) * 1000)) + rng.int(0, 8) };
}
