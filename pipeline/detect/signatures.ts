import type { NormalizedRecord } from '../../formats/index.ts';
import type { Entities, EntityType, SourceName } from '../../core/index.ts';
import { candidateFrom, scoreOver, type Candidate } from './candidate.ts';
import { eksSignatures } from './eks-signatures.ts';
import {
  distinct, groupBy, isAccessDenied, isResponseFlow, isAppDbError, isEcsRestartSignal, isInternalIp, isRdsConnectionExhaustion, isS3Delete, isS3Get,
  lambdaError, lambdaTimedOut, num, str,
} from './features.ts';

/**
 * General security and reliability signatures. Every threshold is either a general constant from practice
 * (e.g. ≥ 10 failed SSH logins from one address in a minute) or relative to a baseline learned from the
 * data (`ctx.threshold`). Nothing here knows a scenario's chosen IPs, users or ids.
 */
export interface ThresholdOptions {
  floor: number;
  ratio?: number;
  z?: number;
  minSd?: number;
}

export interface SignatureContext {
  window: { start: number; end: number };
  records: Partial<Record<SourceName, NormalizedRecord[]>>;
  /** Count above which `key`'s current value is abnormal (just `floor` while the baseline is empty). */
  threshold(key: string, opts: ThresholdOptions): number;
  /** Whether `key`'s baseline has its minimum history. */
  warm(key: string): boolean;
  /** Whether `key`'s baseline ever learned a value above zero (a class of line this entity has shown before). */
  seen(key: string): boolean;
  /** Feeds `value` to `key`'s baseline after this window unless `anomalous` (anomalies are not learned). */
  observe(key: string, value: number, anomalous?: boolean): void;
  /** True when `set` has learned long enough and `value` was never seen in it. */
  novel(set: string, value: string): boolean;
  setWarm(set: string): boolean;
  /** Adds `value` to `set` after this window. */
  learn(set: string, value: string): void;
  /**
   * A watched session (e.g. a principal's use of a never-seen address), persisted across windows so slow
   * attacks accumulate evidence; dropped by the detector after `sessionMs` without activity.
   */
  session(key: string): Session;
  /** Whether a session is being watched for `key` (without opening one). */
  hasSession(key: string): boolean;
  endSession(key: string): void;
  sessionMs: number;
}

export interface Session {
  first: number;
  last: number;
  points: Record<string, number>;
  values: Record<string, number>;
  flagged: boolean;
}

const top = <T>(m: Map<string, T[]>): [string, T[]] | undefined => {
  let best: [string, T[]] | undefined;
  for (const e of m) if (!best || e[1].length > best[1].length) best = e;
  return best;
};

const PRIV_ESC = new Set([
  'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile', 'AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy',
  'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'AddUserToGroup',
  'CreateUser', 'UpdateAssumeRolePolicy', 'PassRole', 'PutBucketPolicy', 'PutBucketAcl', 'DeleteTrail', 'StopLogging',
  'UpdateTrail', 'DeleteFlowLogs', 'CreateRole', 'DeactivateMFADevice', 'DeleteBucketPolicy', 'PutBucketPublicAccessBlock',
  'DeletePublicAccessBlock', 'AuthorizeSecurityGroupIngress', 'ModifyInstanceAttribute', 'GetSecretValue',
]);

const BAD_BOT_UA = /sqlmap|nikto|nmap|masscan|zgrab|nuclei|dirbuster|gobuster|wfuzz|hydra|acunetix|nessus|openvas|python-requests|python-urllib|go-http-client|libwww-perl|curl\/|wget\/|scrapy|headlesschrome|phantomjs|httpclient|okhttp|java\//i;
const GOOD_BOT_UA = /googlebot|bingbot|duckduckbot|applebot|slurp|baiduspider|yandex/i;

function webAclOf(g: NormalizedRecord[]): Entities {
  const w = g[0]?.entities.webAcl;
  return w ? { webAcl: w } : {};
}

// ─── WAF ──────────────────────────────────────────────────────────────────────────────────────────────
function waf(ctx: SignatureContext, out: Candidate[]): void {
  const all = ctx.records.waf ?? [];
  const byIp = groupBy(all, (r) => str(r, 'clientIp'));
  // One request is evidence for one signature only: an SQLi scanner is not also a flood, a stuffing botnet
  // not also a geo anomaly. Precedence: injection > credential stuffing > flood > bad bots > geo.
  const claimed = new Set<NormalizedRecord>();
  const claimedIps = new Set<string>();

  // SQLi / XSS scanners: terminating injection matches from one client.
  for (const [ip, g] of byIp) {
    const inj = g.filter((r) => str(r, 'conditionType') !== '' || /SQLi|XSS|sqli|xss/.test(str(r, 'terminatingRuleId')));
    if (inj.length >= 5) {
      claimedIps.add(ip);
      for (const r of g) claimed.add(r);
      out.push(candidateFrom(inj, {
        kind: 'waf-sqli-scanner', primary: 'ip', entities: { ip, ...webAclOf(g), ...(g[0]!.entities.country ? { country: g[0]!.entities.country } : {}) },
        score: scoreOver(inj.length, 5), method: 'signature:waf-injection',
        summary: `${inj.length} SQL injection/XSS matches from ${ip} in one window (${distinct(inj, (r) => str(r, 'uri'))} URIs)`,
        features: { injectionMatches: inj.length, distinctUris: distinct(inj, (r) => str(r, 'uri')) },
      }));
    }
  }

  // Credential stuffing: many clients POSTing to the same path, each only a few times.
  const posts = all.filter((r) => str(r, 'httpMethod') === 'POST' && !claimed.has(r));
  const byUri = groupBy(posts, (r) => str(r, 'uri'));
  let maxPost = 0, stuffing = false;
  const postThreshold = ctx.threshold('waf:maxPostPerUri', { floor: 60, ratio: 4, z: 8 });
  for (const [uri, g] of byUri) {
    maxPost = Math.max(maxPost, g.length);
    const ips = groupBy(g, (r) => str(r, 'clientIp'));
    const perIp = [...ips.values()].map((x) => x.length).sort((a, b) => a - b);
    const medianPerIp = perIp[perIp.length >> 1] ?? 0;
    if (g.length >= postThreshold && ips.size >= 10 && medianPerIp <= 10) {
      stuffing = true;
      for (const r of g) claimed.add(r);
      const t = top(ips)!;
      out.push(candidateFrom(g, {
        kind: 'waf-credential-stuffing', primary: 'webAcl', entities: { ...webAclOf(g), ip: t[0] },
        score: scoreOver(g.length, postThreshold), method: 'signature:waf-credential-stuffing',
        summary: `${g.length} POSTs to ${uri} from ${ips.size} clients (median ${medianPerIp} each) in one window`,
        features: { posts: g.length, distinctClients: ips.size, medianPerClient: medianPerIp, threshold: postThreshold },
      }));
    }
  }
  ctx.observe('waf:maxPostPerUri', maxPost, stuffing);

  // HTTP flood: rate-based blocks, or one client far above the learned per-client maximum — or, for a client
  // that is not one of the known heavy hitters (NAT gateways, partners' integrations), far above what 99 % of
  // clients send. At production volume the busiest legitimate clients are busy too, and a flood source only a
  // few times busier than them would hide below a maximum-based threshold for minutes.
  let maxPerIp = 0;
  const floodIps: string[] = [];
  const perIpThreshold = ctx.threshold('waf:maxPerIp', { floor: 300, ratio: 5, z: 8 });
  const sizes = [...byIp.values()].map((x) => x.length).sort((a, b) => a - b);
  const p99 = sizes.length ? sizes[Math.floor(0.99 * (sizes.length - 1))]! : 0;
  const newcomerThreshold = ctx.threshold('waf:p99PerIp', { floor: 300, ratio: 10, z: 10 });
  const heavyWarm = ctx.warm('waf:p99PerIp') && ctx.setWarm('waf:heavyClients');
  const heavyLevel = Math.max(20, 3 * p99);
  for (const [ip, gAll] of byIp) {
    maxPerIp = Math.max(maxPerIp, gAll.length);
    if (claimedIps.has(ip)) continue;
    const g = gAll.filter((r) => !claimed.has(r));
    const rate = g.filter((r) => r.fields.rateBased === true || str(r, 'terminatingRuleType') === 'RATE_BASED');
    const newcomer = heavyWarm && g.length >= newcomerThreshold && ctx.novel('waf:heavyClients', ip);
    if (rate.length >= 10 || newcomer || (ctx.warm('waf:maxPerIp') && g.length >= perIpThreshold)) {
      floodIps.push(ip);
      for (const r of gAll) claimed.add(r);
      out.push(candidateFrom(rate.length ? rate : g, {
        kind: 'waf-http-flood', primary: 'ip', entities: { ip, ...webAclOf(g) }, count: g.length,
        score: Math.max(scoreOver(rate.length, 10), scoreOver(g.length, newcomer ? Math.min(newcomerThreshold, perIpThreshold) : perIpThreshold)), method: 'signature:waf-flood',
        summary: `HTTP flood from ${ip}: ${g.length} requests, ${rate.length} rate-based blocks in one window`,
        features: { requests: g.length, rateBasedBlocks: rate.length, perIpThreshold },
      }));
    }
  }
  ctx.observe('waf:maxPerIp', maxPerIp, floodIps.length > 0);
  if (sizes.length) ctx.observe('waf:p99PerIp', p99, floodIps.length > 0);
  if (floodIps.length === 0) for (const [ip, g] of byIp) if (g.length >= heavyLevel) ctx.learn('waf:heavyClients', ip);

  const rs = all.filter((r) => !claimed.has(r));
  // Bad bots: bot-control labels (not verified bots) or automation user agents, against the learned level.
  const bots = rs.filter((r) => {
    if (str(r, 'conditionType') !== '') return false;
    const labels = str(r, 'labels');
    const ua = str(r, 'userAgent');
    const labelled = /bot-control:(bot|signal)/.test(labels) && !/:verified/.test(labels);
    return labelled || (BAD_BOT_UA.test(ua) && !GOOD_BOT_UA.test(ua)) || ua === '' || ua === '-';
  });
  const botThreshold = ctx.threshold('waf:bots', { floor: 40, ratio: 4, z: 8 });
  const botsFired = bots.length >= botThreshold;
  if (botsFired) {
    for (const r of bots) claimed.add(r);
    const t = top(groupBy(bots, (r) => str(r, 'clientIp')));
    out.push(candidateFrom(bots, {
      kind: 'waf-bad-bots', primary: 'webAcl', entities: { ...webAclOf(bots), ...(t ? { ip: t[0] } : {}) },
      score: scoreOver(bots.length, botThreshold), method: 'signature:waf-bad-bots',
      summary: `${bots.length} bad-bot requests (labels/user agents) from ${distinct(bots, (r) => str(r, 'clientIp'))} clients`,
      features: { botRequests: bots.length, threshold: botThreshold },
    }));
  }
  if (rs.length > 0 || ctx.warm('waf:bots')) ctx.observe('waf:bots', bots.length, botsFired);

  // Geo novelty over what no other WAF signature explains: a large share from never-seen countries.
  const geo = rs.filter((r) => !claimed.has(r));
  if (geo.length > 0) {
    const novel = geo.filter((r) => {
      const c = str(r, 'country');
      return c !== '' && ctx.novel('waf:country', c);
    });
    const shareNovel = novel.length / geo.length;
    const fired = ctx.setWarm('waf:country') && novel.length >= 20 && shareNovel >= 0.15;
    if (fired) {
      const byCountry = groupBy(novel, (r) => str(r, 'country'));
      const [country] = top(byCountry)!;
      const topIp = top(groupBy(novel, (r) => str(r, 'clientIp')));
      out.push(candidateFrom(novel, {
        // Keyed by the web ACL: one geo episode per ongoing anomaly even when its top country changes between
        // windows; the country of the window that raised it stays the finding's country.
        kind: 'waf-geo-anomaly', primary: 'webAcl', entities: { country, ...webAclOf(geo), ...(topIp ? { ip: topIp[0] } : {}) },
        score: scoreOver(shareNovel, 0.15), method: 'signature:waf-geo-novelty',
        summary: `${(shareNovel * 100).toFixed(0)}% of requests (${novel.length}) from ${byCountry.size} never-seen countries, mostly ${country}`,
        features: { novelRequests: novel.length, novelShare: shareNovel, novelCountries: byCountry.size },
      }));
    } else {
      for (const r of geo) if (str(r, 'country')) ctx.learn('waf:country', str(r, 'country'));
    }
  }

}

// ─── VPC Flow Logs ────────────────────────────────────────────────────────────────────────────────────
function vpc(ctx: SignatureContext, out: Candidate[]): void {
  const rs = (ctx.records.vpcflow ?? []).filter((r) => str(r, 'logStatus') !== 'NODATA' && str(r, 'srcaddr') !== '-');
  const bySrc = groupBy(rs, (r) => str(r, 'srcaddr'));
  const eniOf = (g: NormalizedRecord[]): Entities => {
    const e: Entities = {};
    if (g[0]?.entities.eni) e.eni = g[0].entities.eni;
    if (g[0]?.entities.instance) e.instance = g[0].entities.instance;
    return e;
  };

  // Per-source thresholds relative to what ordinary outside sources do in a window (learned maxima), so the
  // internet's background hum at production rates does not look like a scan: a floor from practice, and
  // several times the busiest source seen in quiet windows.
  const portThreshold = ctx.threshold('vpc:maxPortsPerSource', { floor: 20, ratio: 3, z: 6 });
  const sshThreshold = ctx.threshold('vpc:maxShortSshPerSource', { floor: 15, ratio: 3, z: 6 });
  let maxPorts = 0, maxSsh = 0, scanned = false, bruted = false;
  for (const [src, g] of bySrc) {
    if (isInternalIp(src)) continue;
    // Requests only: a response from an outside service (its well-known port to our ephemeral one, e.g. 443 →
    // 51234) names a client's port, not a probed one. Counting those turned busy SaaS endpoints into "scanners".
    const inbound = g.filter((r) => isInternalIp(str(r, 'dstaddr')) && !isResponseFlow(r));
    // Port scan: one outside address touching many distinct ports.
    const ports = distinct(inbound, (r) => str(r, 'dstport'));
    maxPorts = Math.max(maxPorts, ports);
    if (ports >= portThreshold) {
      scanned = true;
      out.push(candidateFrom(inbound, {
        kind: 'vpc-port-scan', primary: 'ip', entities: { ip: src, ...eniOf(inbound) },
        score: scoreOver(ports, portThreshold), method: 'signature:vpc-port-fanout',
        summary: `${src} probed ${ports} distinct ports on ${distinct(inbound, (r) => str(r, 'dstaddr'))} hosts (threshold ${portThreshold.toFixed(0)})`,
        features: { distinctDstPorts: ports, flows: inbound.length, rejects: inbound.filter((r) => str(r, 'action') === 'REJECT').length, threshold: portThreshold },
      }));
    }
    // SSH brute force: many short flows to 22 from one address.
    const ssh = inbound.filter((r) => str(r, 'dstport') === '22' || num(r, 'dstport') === 22);
    const short = ssh.filter((r) => num(r, 'packets') <= 40);
    maxSsh = Math.max(maxSsh, short.length);
    if (short.length >= sshThreshold && ports < portThreshold) {
      bruted = true;
      out.push(candidateFrom(short, {
        kind: 'vpc-ssh-bruteforce', primary: 'ip', entities: { ip: src, ...eniOf(short) },
        score: scoreOver(short.length, sshThreshold), method: 'signature:vpc-ssh-short-flows',
        summary: `${short.length} short SSH flows from ${src} to ${distinct(short, (r) => str(r, 'dstaddr'))} hosts (threshold ${sshThreshold.toFixed(0)})`,
        features: { shortSshFlows: short.length, sshFlows: ssh.length, threshold: sshThreshold },
      }));
    }
  }
  if (rs.length > 0) {
    ctx.observe('vpc:maxPortsPerSource', maxPorts, scanned);
    ctx.observe('vpc:maxShortSshPerSource', maxSsh, bruted);
  }

  // Exfiltration: bytes from an inside host to one outside address, far over the learned per-pair maximum.
  const pairs = groupBy(rs.filter((r) => isInternalIp(str(r, 'srcaddr')) && !isInternalIp(str(r, 'dstaddr'))), (r) => `${str(r, 'srcaddr')}>${str(r, 'dstaddr')}`);
  let maxPair = 0, exfil = false;
  const exfilThreshold = ctx.threshold('vpc:maxPairBytes', { floor: 20e6, ratio: 10, z: 8, minSd: 1e6 });
  for (const [pair, g] of pairs) {
    const bytes = g.reduce((a, r) => a + num(r, 'bytes'), 0);
    const [src, dst] = pair.split('>') as [string, string];
    const novelDst = ctx.novel('vpc:extDst', dst);
    maxPair = Math.max(maxPair, bytes);
    const thr = novelDst ? exfilThreshold / 2 : exfilThreshold;
    if (bytes >= thr) {
      exfil = true;
      out.push(candidateFrom(g, {
        kind: 'vpc-exfiltration', primary: g[0]!.entities.eni ? 'eni' : 'ip', entities: { ...eniOf(g), ip: dst, ...(g[0]!.entities.eni ? {} : { host: src }) },
        score: scoreOver(bytes, thr), method: 'signature:vpc-egress-volume',
        summary: `${(bytes / 1e6).toFixed(1)} MB from ${src} to ${novelDst ? 'never-seen ' : ''}${dst} in one window (threshold ${(thr / 1e6).toFixed(1)} MB)`,
        features: { bytes, threshold: thr, novelDestination: novelDst ? 1 : 0 },
      }));
    } else {
      ctx.learn('vpc:extDst', dst);
    }
  }
  if (rs.length > 0) ctx.observe('vpc:maxPairBytes', maxPair, exfil);

  // DDoS fan-in: one inside address receiving flows from far more sources than it ever does.
  const byDst = groupBy(rs.filter((r) => isInternalIp(str(r, 'dstaddr'))), (r) => str(r, 'dstaddr'));
  let maxSrcs = 0, ddos = false;
  const ddosThreshold = ctx.threshold('vpc:maxSrcPerDst', { floor: 100, ratio: 5, z: 8 });
  for (const [dst, g] of byDst) {
    const srcs = distinct(g, (r) => str(r, 'srcaddr'));
    maxSrcs = Math.max(maxSrcs, srcs);
    if (srcs >= ddosThreshold && ctx.warm('vpc:maxSrcPerDst')) {
      ddos = true;
      out.push(candidateFrom(g, {
        kind: 'vpc-ddos', primary: g[0]!.entities.eni ? 'eni' : 'ip', entities: { ...eniOf(g), ip: dst },
        score: scoreOver(srcs, ddosThreshold), method: 'signature:vpc-fan-in',
        summary: `${dst} received flows from ${srcs} distinct sources (threshold ${ddosThreshold.toFixed(0)})`,
        features: { distinctSources: srcs, flows: g.length, packets: g.reduce((a, r) => a + num(r, 'packets'), 0), threshold: ddosThreshold },
      }));
    }
  }
  if (rs.length > 0) ctx.observe('vpc:maxSrcPerDst', maxSrcs, ddos);
}

// ─── EC2 host logs ────────────────────────────────────────────────────────────────────────────────────
function ec2(ctx: SignatureContext, out: Candidate[]): void {
  const rs = ctx.records.ec2 ?? [];
  const fails = rs.filter((r) => /^(ssh-failed|ssh-invalid-user|pam-failure)$/.test(str(r, 'kind')));
  // Relative to the busiest ordinary source of quiet windows: every internet-facing host sees a steady hum of
  // scanners, and at production rates each of them fails more than a fixed "10 a minute" in some windows.
  const failThreshold = ctx.threshold('ec2:maxFailuresPerSource', { floor: 10, ratio: 3, z: 6 });
  let maxFails = 0, brute = false;
  for (const [ip, g] of groupBy(fails, (r) => str(r, 'rhost') || (r.entities.ip ?? ''))) {
    const users = distinct(g, (r) => str(r, 'user'));
    maxFails = Math.max(maxFails, g.length);
    if (g.length >= failThreshold) {
      brute = true;
      out.push(candidateFrom(g, {
        kind: 'ec2-ssh-bruteforce', primary: 'ip', entities: { ip, ...(g[0]!.entities.instance ? { instance: g[0]!.entities.instance } : {}), ...(g[0]!.entities.host ? { host: g[0]!.entities.host } : {}) },
        score: scoreOver(g.length, failThreshold), method: 'signature:ssh-bruteforce',
        summary: `${g.length} failed SSH logins from ${ip} for ${users} user names (threshold ${failThreshold.toFixed(0)})`,
        features: { failures: g.length, distinctUsers: users, threshold: failThreshold },
      }));
    }
  }
  if (rs.length > 0) ctx.observe('ec2:maxFailuresPerSource', maxFails, brute);
  const byInstance = groupBy(rs, (r) => r.entities.instance ?? r.entities.host ?? '');
  for (const [inst, g] of byInstance) {
    for (const [kind, lineKind, label] of [['ec2-disk-full', 'disk-full', 'no-space-left'], ['ec2-oom', 'oom-kill', 'oom-kill']] as const) {
      const hits = g.filter((r) => str(r, 'kind') === lineKind);
      const key = `ec2:${lineKind}:${inst}`;
      const thr = ctx.threshold(key, { floor: lineKind === 'oom-kill' ? 1 : 2, ratio: 3, z: 4, minSd: 0.25 });
      const fired = hits.length >= thr;
      if (fired) {
        out.push(candidateFrom(hits, {
          kind, primary: g[0]!.entities.instance ? 'instance' : 'host', entities: { ...(g[0]!.entities.instance ? { instance: g[0]!.entities.instance } : {}), ...(g[0]!.entities.host ? { host: g[0]!.entities.host } : {}) },
          score: scoreOver(hits.length, thr), method: `signature:${label}`,
          summary: `${hits.length} ${lineKind} events on ${inst} in one window`,
          features: { events: hits.length, threshold: thr },
        }));
      }
      ctx.observe(key, hits.length, fired);
    }
  }
}

// ─── CloudTrail ───────────────────────────────────────────────────────────────────────────────────────
function cloudtrail(ctx: SignatureContext, out: Candidate[]): void {
  const rs = ctx.records.cloudtrail ?? [];
  // Root usage: any call made with the root identity itself (AWS service events are not usage).
  const root = rs.filter((r) => str(r, 'identityType') === 'Root' && str(r, 'eventType') !== 'AwsServiceEvent');
  for (const [p, g] of groupBy(root, (r) => r.entities.principal ?? str(r, 'arn') ?? 'root')) {
    out.push(candidateFrom(g, {
      kind: 'cloudtrail-root-usage', primary: 'principal', entities: { principal: p, ...(g[0]!.entities.ip ? { ip: g[0]!.entities.ip } : {}) },
      score: scoreOver(g.length, 1), method: 'signature:root-usage',
      summary: `root identity used: ${[...new Set(g.map((r) => str(r, 'eventName')))].slice(0, 5).join(', ')} from ${str(g[0]!, 'sourceIPAddress')}`,
      features: { rootEvents: g.length },
    }));
  }

  // Console login failure bursts (per source address, and per targeted user name).
  const loginFails = rs.filter((r) => str(r, 'eventName') === 'ConsoleLogin' && (str(r, 'errorMessage') !== '' || str(r, 'errorCode') !== ''));
  for (const [ip, g] of groupBy(loginFails, (r) => str(r, 'sourceIPAddress'))) {
    if (g.length >= 5) {
      const t = top(groupBy(g, (r) => r.entities.principal ?? str(r, 'userName')));
      out.push(candidateFrom(g, {
        kind: 'cloudtrail-console-login-failures', primary: 'ip', entities: { ip, ...(t ? { principal: t[0] } : {}) },
        score: scoreOver(g.length, 5), method: 'signature:console-login-failures',
        summary: `${g.length} failed console sign-ins from ${ip} for ${distinct(g, (r) => str(r, 'userName'))} user names`,
        features: { failures: g.length },
      }));
    }
  }

  // AccessDenied storms per principal, against the learned per-principal maximum.
  const denied = rs.filter(isAccessDenied);
  let maxDenied = 0, storm = false;
  const deniedThreshold = ctx.threshold('cloudtrail:maxDeniedPerPrincipal', { floor: 15, ratio: 4, z: 8 });
  for (const [p, g] of groupBy(denied, (r) => r.entities.principal ?? '')) {
    maxDenied = Math.max(maxDenied, g.length);
    if (g.length >= deniedThreshold) {
      storm = true;
      out.push(candidateFrom(g, {
        kind: 'cloudtrail-access-denied-storm', primary: 'principal', entities: { principal: p, ...(g[0]!.entities.accessKey ? { accessKey: g[0]!.entities.accessKey } : {}), ...(g[0]!.entities.ip ? { ip: g[0]!.entities.ip } : {}) },
        score: scoreOver(g.length, deniedThreshold), method: 'signature:access-denied-storm',
        summary: `${g.length} AccessDenied errors for ${p} across ${distinct(g, (r) => str(r, 'eventName'))} APIs`,
        features: { denied: g.length, distinctApis: distinct(g, (r) => str(r, 'eventName')), threshold: deniedThreshold },
      }));
    }
  }
  if (rs.length > 0) ctx.observe('cloudtrail:maxDeniedPerPrincipal', maxDenied, storm);

  // Compromised key: a principal's credentials used from a never-seen address. Each such (principal, address)
  // is watched as a session that accumulates evidence over windows — a never-seen network (/16, an ASN proxy),
  // a never-seen user agent, APIs the principal never called, privilege-escalation calls, denied calls — and
  // is raised once the evidence adds up. An address that stays unremarkable for the whole watch becomes known.
  for (const [p, g] of groupBy(rs.filter((r) => str(r, 'identityType') !== 'AWSService' && str(r, 'identityType') !== 'Root' && str(r, 'eventType') !== 'AwsServiceEvent'), (r) => r.entities.principal ?? '')) {
    const ipSet = `cloudtrail:ip:${p}`, prefixSet = `cloudtrail:prefix:${p}`, apiSet = `cloudtrail:api:${p}`, uaSet = `cloudtrail:ua:${p}`;
    const learnAll = (gi: NormalizedRecord[], ip: string) => {
      ctx.learn(ipSet, ip);
      ctx.learn(prefixSet, ip.split('.').slice(0, 2).join('.'));
      for (const r of gi) {
        ctx.learn(apiSet, str(r, 'eventName'));
        if (str(r, 'userAgent')) ctx.learn(uaSet, str(r, 'userAgent'));
      }
    };
    for (const [ip, gi] of groupBy(g, (r) => str(r, 'sourceIPAddress'))) {
      const key = `cloudtrail:${p}|${ip}`;
      const watchable = ctx.setWarm(ipSet) && /^\d+\.\d+\.\d+\.\d+$/.test(ip) && !isInternalIp(ip) && ctx.novel(ipSet, ip);
      if (!watchable) {
        learnAll(gi, ip);
        continue;
      }
      const ses = ctx.session(key);
      const prefix = ip.split('.').slice(0, 2).join('.');
      if (ctx.novel(prefixSet, prefix)) ses.points.novelPrefix = 1;
      for (const r of gi) {
        const ua = str(r, 'userAgent');
        if (ua && ctx.setWarm(uaSet) && ctx.novel(uaSet, ua)) ses.points.novelUserAgent = 1;
        const api = str(r, 'eventName');
        if (ctx.novel(apiSet, api)) ses.values[`api:${api}`] = 1;
        if (PRIV_ESC.has(api)) ses.values[`esc:${api}`] = 1;
        if (isAccessDenied(r)) ses.points.denied = 1;
        ses.values.events = (ses.values.events ?? 0) + 1;
      }
      const newApis = Object.keys(ses.values).filter((k) => k.startsWith('api:')).length;
      const esc = Object.keys(ses.values).filter((k) => k.startsWith('esc:')).map((k) => k.slice(4));
      const evidence = (ses.points.novelPrefix ?? 0) + (ses.points.novelUserAgent ?? 0) + (ses.points.denied ?? 0) + (newApis >= 3 ? 1 : 0) + (esc.length > 0 ? 2 : 0);
      if (evidence >= 3) {
        ses.flagged = true;
        const escRecords = gi.filter((r) => PRIV_ESC.has(str(r, 'eventName')));
        out.push(candidateFrom(escRecords.length ? escRecords : gi, {
          kind: 'cloudtrail-compromised-key', primary: gi[0]!.entities.accessKey ? 'accessKey' : 'principal',
          entities: { principal: p, ip, ...(gi[0]!.entities.accessKey ? { accessKey: gi[0]!.entities.accessKey } : {}) },
          count: gi.length, score: Math.min(0.99, 0.35 + 0.1 * evidence), method: 'signature:key-novel-origin',
          summary: `${p} used from never-seen ${ip}${ses.points.novelPrefix ? ' (new network)' : ''}${ses.points.novelUserAgent ? ' with a new user agent' : ''}: ${newApis} new APIs, privilege escalation: ${esc.slice(0, 5).join(', ') || 'none yet'}`,
          features: { novelIp: 1, novelPrefix: ses.points.novelPrefix ?? 0, novelUserAgent: ses.points.novelUserAgent ?? 0, newApis, privilegeEscalationApis: esc.length, denied: ses.points.denied ?? 0, events: ses.values.events ?? 0 },
        }));
      } else if (!ses.flagged && ctx.window.end - ses.first > ctx.sessionMs) {
        // Watched long enough without adding up: a new but legitimate address of this principal.
        ctx.endSession(key);
        learnAll(gi, ip);
      }
    }
  }
}

// ─── Lambda ───────────────────────────────────────────────────────────────────────────────────────────
function lambda(ctx: SignatureContext, out: Candidate[], known: string[]): void {
  const rs = ctx.records.lambda ?? [];
  const byFn = groupBy(rs, (r) => r.entities.function ?? r.logGroup ?? '');
  for (const fn of new Set([...known, ...byFn.keys()])) {
    const g = byFn.get(fn) ?? [];
    const ent = { function: fn };
    // One timed-out invocation can log both shapes: count distinct request ids.
    const timeouts = g.filter(lambdaTimedOut);
    const timedOutIds = new Set(timeouts.map((r) => str(r, 'requestId') || r.id));
    const invocations = Math.max(g.filter((r) => str(r, 'lineType') === 'report').length, timedOutIds.size);
    const tKey = `lambda:timeouts:${fn}`;
    const tThr = ctx.threshold(tKey, { floor: 3, ratio: 3, z: 6, minSd: 0.5 });
    const tFired = timedOutIds.size >= tThr && timedOutIds.size >= 0.1 * invocations;
    if (tFired) {
      out.push(candidateFrom(timeouts, {
        kind: 'lambda-timeout-storm', primary: 'function', entities: ent, count: timedOutIds.size,
        score: scoreOver(timedOutIds.size, tThr), method: 'signature:lambda-timeouts',
        summary: `${timedOutIds.size} of ${invocations} invocations of ${fn} timed out`,
        features: { timeouts: timedOutIds.size, invocations, threshold: tThr },
      }));
    }
    ctx.observe(tKey, timedOutIds.size, tFired);

    const errors = g.filter(lambdaError);
    const eKey = `lambda:errors:${fn}`;
    const eThr = ctx.threshold(eKey, { floor: 5, ratio: 4, z: 6 });
    const eFired = ctx.warm(eKey) && errors.length >= eThr && errors.length >= 0.1 * Math.max(invocations, 1);
    if (eFired) {
      out.push(candidateFrom(errors, {
        kind: 'lambda-error-spike', primary: 'function', entities: ent,
        score: scoreOver(errors.length, eThr), method: 'signature:lambda-error-spike',
        summary: `${errors.length} errors in ${fn} (threshold ${eThr.toFixed(1)} from its baseline)`,
        features: { errors: errors.length, invocations, threshold: eThr },
      }));
    }
    ctx.observe(eKey, errors.length, eFired);

    const mem = g.filter((r) => (str(r, 'lineType') === 'report' && num(r, 'memorySizeMb') > 0 && num(r, 'maxMemoryUsedMb') >= num(r, 'memorySizeMb'))
      || /Runtime\.OutOfMemory|JavaScript heap out of memory|MemoryError|signal: killed/.test(r.message));
    const mKey = `lambda:memory:${fn}`;
    const mThr = ctx.threshold(mKey, { floor: 2, ratio: 3, z: 6, minSd: 0.5 });
    const mFired = mem.length >= mThr;
    if (mFired) {
      out.push(candidateFrom(mem, {
        kind: 'lambda-memory-exhaustion', primary: 'function', entities: ent,
        score: scoreOver(mem.length, mThr), method: 'signature:lambda-memory',
        summary: `${mem.length} invocations of ${fn} used all their memory`,
        features: { exhausted: mem.length, threshold: mThr },
      }));
    }
    ctx.observe(mKey, mem.length, mFired);
  }
}

// ─── S3 server access logs ────────────────────────────────────────────────────────────────────────────
function s3(ctx: SignatureContext, out: Candidate[], known: string[]): void {
  const rs = ctx.records.s3access ?? [];
  const byBucket = groupBy(rs, (r) => r.entities.bucket ?? str(r, 'bucket'));
  for (const bucket of new Set([...known, ...byBucket.keys()])) {
    const g = byBucket.get(bucket) ?? [];
    const who = (ev: NormalizedRecord[]): Entities => {
      const t = top(groupBy(ev, (r) => str(r, 'remoteIp')));
      const p = top(groupBy(ev, (r) => r.entities.principal ?? ''));
      return { bucket, ...(t ? { ip: t[0] } : {}), ...(p ? { principal: p[0] } : {}) };
    };
    const checks: { kind: '-' | 's3-mass-delete' | 's3-403-burst' | 's3-unusual-get-volume'; key: string; ev: NormalizedRecord[]; value: number; opts: ThresholdOptions; needWarm: boolean; what: string }[] = [];
    const dels = g.filter(isS3Delete);
    checks.push({ kind: 's3-mass-delete', key: `s3:deletes:${bucket}`, ev: dels, value: dels.length, opts: { floor: 50, ratio: 5, z: 8 }, needWarm: false, what: 'delete operations' });
    const forb = g.filter((r) => num(r, 'httpStatus') === 403);
    checks.push({ kind: 's3-403-burst', key: `s3:forbidden:${bucket}`, ev: forb, value: forb.length, opts: { floor: 25, ratio: 5, z: 8 }, needWarm: false, what: '403 responses' });
    const gets = g.filter((r) => isS3Get(r) && num(r, 'httpStatus') < 400);
    checks.push({ kind: 's3-unusual-get-volume', key: `s3:gets:${bucket}`, ev: gets, value: gets.length, opts: { floor: 100, ratio: 5, z: 8 }, needWarm: true, what: 'GETs' });
    const bytes = gets.reduce((a, r) => a + num(r, 'bytesSent'), 0);
    checks.push({ kind: 's3-unusual-get-volume', key: `s3:getBytes:${bucket}`, ev: gets, value: bytes, opts: { floor: 200e6, ratio: 8, z: 8, minSd: 1e6 }, needWarm: true, what: 'bytes sent' });
    let getFired = false;
    for (const c of checks) {
      const thr = ctx.threshold(c.key, c.opts);
      let fired = c.value >= thr && (!c.needWarm || ctx.warm(c.key));
      if (fired && c.kind === 's3-unusual-get-volume') {
        if (getFired) fired = false; // one GET-volume candidate per bucket and window
        getFired = true;
      }
      if (fired && c.kind !== '-') {
        out.push(candidateFrom(c.ev, {
          kind: c.kind, primary: 'bucket', entities: who(c.ev),
          score: scoreOver(c.value, thr), method: `signature:${c.kind}`,
          summary: `${c.value.toFixed(0)} ${c.what} on ${bucket} in one window (threshold ${thr.toFixed(0)})`,
          features: { value: c.value, threshold: thr },
        }));
      }
      ctx.observe(c.key, c.value, c.value >= thr);
    }
  }
}

// ─── The RDS → app → ECS cascade's links ──────────────────────────────────────────────────────────────
/**
 * One link of the cascade per entity: hits of a message class (by meaning, see message-classes.ts) against the
 * entity's learned level. Below the threshold, a class this entity never showed before still counts as weak
 * evidence even as one line: alone it is no finding, but root cause analysis promotes it when the trouble lines
 * up along the declared dependencies (seeds/004's whole incident is three lines, one second apart).
 */
function link(
  ctx: SignatureContext, out: Candidate[], g: NormalizedRecord[], hits: NormalizedRecord[],
  c: { kind: 'rds-connection-exhaustion' | 'app-db-errors' | 'ecs-task-restarts'; key: string; opts: ThresholdOptions; entities: Entities; primary: EntityType; method: string; summary: string; features: Record<string, number> },
): void {
  const thr = ctx.threshold(c.key, c.opts);
  const fired = hits.length >= thr;
  const weak = !fired && hits.length > 0 && !ctx.seen(c.key);
  if (fired || weak) {
    out.push({
      ...candidateFrom(hits, {
        kind: c.kind, primary: c.primary, entities: c.entities,
        score: fired ? scoreOver(hits.length, thr) : 0.5, method: c.method,
        summary: weak ? `${c.summary} (first of its kind on this ${c.primary})` : c.summary,
        features: { ...c.features, threshold: thr },
      }),
      ...(weak ? { needsCorroboration: true } : {}),
    });
  }
  if (g.length > 0 || ctx.warm(c.key)) ctx.observe(c.key, hits.length, fired || weak);
}

function cascade(ctx: SignatureContext, out: Candidate[], known: { databases: string[]; services: string[] }): void {
  const rds = ctx.records.rds ?? [];
  const byDb = groupBy(rds, (r) => r.entities.database ?? '');
  for (const db of new Set([...known.databases, ...byDb.keys()])) {
    const g = byDb.get(db) ?? [];
    const hits = g.filter(isRdsConnectionExhaustion);
    link(ctx, out, g, hits, {
      kind: 'rds-connection-exhaustion', key: `rds:exhaustion:${db}`, opts: { floor: 3, ratio: 3, z: 6, minSd: 0.5 }, entities: { database: db }, primary: 'database',
      method: 'signature:rds-too-many-clients', summary: `${hits.length} connection-slot refusals on ${db}`, features: { refusals: hits.length },
    });
  }

  const app = ctx.records.app ?? [];
  const bySvc = groupBy(app, (r) => r.entities.service ?? '');
  for (const svc of new Set([...known.services, ...bySvc.keys()])) {
    const g = bySvc.get(svc) ?? [];
    const hits = g.filter(isAppDbError);
    link(ctx, out, g, hits, {
      kind: 'app-db-errors', key: `app:dbErrors:${svc}`, opts: { floor: 5, ratio: 4, z: 6 }, entities: { service: svc }, primary: 'service',
      method: 'signature:app-db-errors', summary: `${hits.length} database connection errors in ${svc} (${distinct(hits, (r) => str(r, 'exception'))} exception types)`,
      features: { dbErrors: hits.length, lines: g.length },
    });
  }

  // ECS lines name a service, or — in a cluster's Container Insights group — only the cluster.
  const ecs = ctx.records.ecs ?? [];
  const ecsKey = (r: NormalizedRecord): string => (r.entities.service ?? str(r, 'serviceName')) || (r.entities.cluster ? `cluster:${r.entities.cluster}` : '');
  const byEcs = groupBy(ecs, ecsKey);
  for (const k of new Set([...known.services, ...byEcs.keys()])) {
    const g = byEcs.get(k) ?? [];
    const hits = g.filter(isEcsRestartSignal);
    const perf = g.filter((r) => str(r, 'eventType') === 'performance' && num(r, 'desiredTaskCount') > 0 && num(r, 'runningTaskCount') < num(r, 'desiredTaskCount'));
    const cluster = k.startsWith('cluster:') ? k.slice(8) : undefined;
    link(ctx, out, g, hits, {
      kind: 'ecs-task-restarts', key: `ecs:restarts:${k}`, opts: { floor: 3, ratio: 3, z: 6, minSd: 0.5 },
      entities: cluster ? { cluster } : { service: k }, primary: cluster ? 'cluster' : 'service',
      method: 'signature:ecs-unhealthy-tasks', summary: `${hits.length} task stops / failed health checks in ${cluster ? `cluster ${cluster}` : `service ${k}`}`,
      features: { restartSignals: hits.length, degradedSamples: perf.length },
    });
  }
}

export interface KnownEntities {
  functions: string[];
  buckets: string[];
  databases: string[];
  services: string[];
}

/** Runs every signature over one window. */
export function runSignatures(ctx: SignatureContext, known: KnownEntities): Candidate[] {
  const out: Candidate[] = [];
  waf(ctx, out);
  vpc(ctx, out);
  ec2(ctx, out);
  cloudtrail(ctx, out);
  lambda(ctx, out, known.functions);
  s3(ctx, out, known.buckets);
  cascade(ctx, out, known);
  eksSignatures(ctx, out);
  return out;
}
