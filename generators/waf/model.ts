import type { Rng } from '../../core/index.ts';
import type { WafHeader, WafMatchDetail, WafRecord, WafRuleGroupEntry, WafRateBasedEntry, WafRuleRef, WafTokenResponse } from '../../formats/index.ts';
import type { Destination, EntityPools } from '../types.ts';
import { AliasSampler, zipfWeights } from '../common/sampler.ts';
import { ASNS } from '../common/data/asns.ts';
import { BAD_BOT_USER_AGENTS, BROWSER_USER_AGENTS } from '../common/data/user-agents.ts';
import { ACCEPT_LANGUAGE, ALB_ROUTES, APIGW_ROUTES, CF_ROUTES, GOOD_BOTS, MANAGED_GROUPS, RULES, type RouteSpec } from './data.ts';

/**
 * Everything about the web ACL that does not change per request, computed once per pools: front doors,
 * routes, per-client header lists and every rule outcome as frozen JSON-cacheable fragments. Per request
 * the generators only pick indexes and build two small objects.
 */

export interface Route {
  method: string;
  prefix: string;
  suffix: string;
  idMin: number;
  idMax: number;
  args: readonly string[];
}

export interface FrontDoor {
  name: 'ALB' | 'APIGW' | 'CF';
  id: string;
  host: string;
  routes: Route[];
  routeSampler: AliasSampler;
  index: number;
}

export interface Outcome {
  terminatingRuleId: string;
  terminatingRuleType: string;
  action: string;
  terminatingRuleMatchDetails: WafMatchDetail[];
  ruleGroupList: WafRuleGroupEntry[];
  rateBasedRuleList: WafRateBasedEntry[];
  nonTerminatingMatchingRules: WafRuleRef[];
  labels: readonly string[];
  captchaResponse?: WafTokenResponse;
  challengeResponse?: WafTokenResponse;
  /** Frozen label arrays per country (the geo-match rule labels every request with its country). */
  byCountry: Map<string, { name: string }[]>;
}

export interface Client {
  ip: string;
  country: string;
}

export interface WafContext {
  pools: EntityPools;
  webaclId: string;
  dest: Destination;
  doors: FrontDoor[];
  doorSampler: AliasSampler;
  clientSampler: AliasSampler;
  /** Country of an address the pools know (clients, noise), for addresses drawn from ASN prefixes. */
  countryOf(ip: string): string;
  headers(client: Client, clientKey: number, door: FrontDoor, ua: string, post: boolean): WafHeader[];
  /** Headers of pool client `ci` (browser UA by address), from an array cache: the background's hot path. */
  clientHeaders(ci: number, door: FrontDoor, post: boolean): WafHeader[];
  outcomes: ReturnType<typeof buildOutcomes>;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** FNV-1a: a stable hash of a string, so a client's traits follow from its address, not from draw order. */
export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function browserUaOf(ip: string): string {
  return BROWSER_USER_AGENTS[hashString(ip) % BROWSER_USER_AGENTS.length]!;
}
export function badBotUaOf(ip: string): string {
  return BAD_BOT_USER_AGENTS[hashString(ip) % BAD_BOT_USER_AGENTS.length]!;
}

function compileRoutes(specs: readonly RouteSpec[]): { routes: Route[]; sampler: AliasSampler } {
  const routes = specs.map((r) => {
    const at = r.uri.indexOf('{id}');
    return {
      method: r.method,
      prefix: at < 0 ? r.uri : r.uri.slice(0, at),
      suffix: at < 0 ? '' : r.uri.slice(at + 4),
      idMin: r.idRange?.[0] ?? 0,
      idMax: at < 0 ? -1 : (r.idRange?.[1] ?? 0),
      args: r.args ?? [''],
    };
  });
  return { routes, sampler: new AliasSampler(specs.map((r) => r.weight)) };
}

/** The URI of one request to a route. */
export function routeUri(rng: Rng, route: Route): string {
  return route.idMax < 0 ? route.prefix : `${route.prefix}${route.idMin + Math.floor(rng.next() * (route.idMax - route.idMin + 1))}${route.suffix}`;
}

export function routeArgs(rng: Rng, route: Route): string {
  return route.args.length === 1 ? route.args[0]! : route.args[Math.floor(rng.next() * route.args.length)]!;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEXCH = '0123456789abcdef';
/** Two characters per table entry: ids are built 12 bits (base64) or 8 bits (hex) per concatenation. */
const B64_PAIRS = Array.from({ length: 4096 }, (_v, i) => B64[i >> 6]! + B64[i & 63]!);
const HEX_PAIRS = Array.from({ length: 256 }, (_v, i) => HEXCH[i >> 4]! + HEXCH[i & 15]!);

/** n base64url characters (n even), four per rng draw (24 of its 32 bits). */
export function b64(rng: Rng, n: number): string {
  let s = '';
  while (s.length < n) {
    const x = (rng.next() * 16777216) | 0;
    s += B64_PAIRS[x >> 12]!;
    if (s.length < n) s += B64_PAIRS[x & 4095]!;
  }
  return s;
}

/** n hex characters (n even), eight per rng draw. */
export function hexFast(rng: Rng, n: number): string {
  let s = '';
  while (s.length < n) {
    const x = (rng.next() * 4294967296) >>> 0;
    s += HEX_PAIRS[x >>> 24]! + HEX_PAIRS[(x >>> 16) & 255]!;
    if (s.length < n) s += HEX_PAIRS[(x >>> 8) & 255]! + HEX_PAIRS[x & 255]!;
  }
  return s;
}

/** The request id each front door logs: ALB trace root, API Gateway's 16-char id, CloudFront's 56-char id. */
export function requestId(rng: Rng, door: FrontDoor['name'] | '-', t: number): string {
  if (door === 'ALB') return `1-${Math.floor(t / 1000).toString(16)}-${hexFast(rng, 24)}`;
  if (door === 'APIGW') return `${b64(rng, 14)}${B64[(rng.next() * 64) | 0]}=`;
  return `${b64(rng, 54)}==`;
}

function group(i: number, terminatingRule: WafRuleRef | null, nonTerminating: WafRuleRef[] = []): WafRuleGroupEntry {
  return { ruleGroupId: MANAGED_GROUPS[i]!.id, terminatingRule, nonTerminatingMatchingRules: nonTerminating, excludedRules: null, customerConfig: null };
}

function buildOutcomes(pools: EntityPools, webaclName: string) {
  const { accountId, region } = pools.estate;
  const allGroups = MANAGED_GROUPS.map((_g, i) => group(i, null));
  const mk = (o: Omit<Outcome, 'byCountry'>): Outcome => deepFreeze({ ...o, byCountry: new Map() }) as Outcome;
  const allow = (extra: Partial<Omit<Outcome, 'byCountry'>> = {}): Outcome =>
    mk({
      terminatingRuleId: 'Default_Action',
      terminatingRuleType: 'REGULAR',
      action: 'ALLOW',
      terminatingRuleMatchDetails: [],
      ruleGroupList: allGroups,
      rateBasedRuleList: [],
      nonTerminatingMatchingRules: [],
      labels: [],
      ...extra,
    });
  /** A managed group terminates: groups before it evaluated without match, later ones never run. */
  const managedBlock = (gi: number, ruleId: string, label: string, details: WafMatchDetail[] | null = null, action = 'BLOCK', extra: Partial<Omit<Outcome, 'byCountry'>> = {}): Outcome =>
    mk({
      terminatingRuleId: MANAGED_GROUPS[gi]!.ruleName,
      terminatingRuleType: 'MANAGED_RULE_GROUP',
      action,
      terminatingRuleMatchDetails: [],
      ruleGroupList: [...allGroups.slice(0, gi), group(gi, { ruleId, action, ruleMatchDetails: details })],
      rateBasedRuleList: [],
      nonTerminatingMatchingRules: [],
      labels: [`awswaf:managed:aws:${MANAGED_GROUPS[gi]!.labelNs}:${label}`],
      ...extra,
    });
  const countLogin: WafRuleRef = { ruleId: RULES.countLogin.name, action: 'COUNT', ruleMatchDetails: [] };
  const bot = (category: string, name?: string, verified = false) => [
    `awswaf:managed:aws:bot-control:bot:category:${category}`,
    ...(name ? [`awswaf:managed:aws:bot-control:bot:name:${name}`] : []),
    ...(verified ? ['awswaf:managed:aws:bot-control:bot:verified'] : ['awswaf:managed:aws:bot-control:signal:non_browser_user_agent']),
  ];
  const rateEntry: WafRateBasedEntry = {
    rateBasedRuleId: `arn:aws:wafv2:${region}:${accountId}:regional/ratebasedrule/${webaclName}/${RULES.rateLimit.name}`,
    rateBasedRuleName: RULES.rateLimit.name,
    limitKey: 'IP',
    maxRateAllowed: RULES.rateLimit.limit,
    evaluationWindowSec: String(RULES.rateLimit.windowSec),
  };
  const tokenMissing = (code: number): WafTokenResponse => ({ responseCode: code, solveTimestamp: 0, failureReason: 'TOKEN_MISSING' });
  const sqli = (location: string, matched: readonly string[]): WafMatchDetail[] => [{ conditionType: 'SQL_INJECTION', sensitivityLevel: 'LOW', location, matchedData: [...matched] }];
  const xss = (location: string, matched: readonly string[]): WafMatchDetail[] => [{ conditionType: 'XSS', location, matchedData: [...matched] }];

  return {
    allow: allow(),
    allowCountLogin: allow({ nonTerminatingMatchingRules: [countLogin] }),
    allowCountSizeBody: allow({
      ruleGroupList: allGroups.map((g, i) => (i === 1 ? group(1, null, [{ ruleId: 'SizeRestrictions_BODY', action: 'COUNT', overriddenAction: 'BLOCK' }]) : g)),
      labels: ['awswaf:managed:aws:core-rule-set:SizeRestrictions_Body'],
    }),
    goodBot: Object.fromEntries(
      ['googlebot', 'bingbot'].map((n) => [n, allow({ labels: bot('search_engine', n, true) })]),
    ) as Record<string, Outcome>,
    blockIpReputation: managedBlock(0, 'AWSManagedIPReputationList', 'AWSManagedIPReputationList'),
    blockNoUserAgent: managedBlock(1, 'NoUserAgent_HEADER', 'NoUserAgent_Header'),
    blockRestrictedExt: managedBlock(1, 'RestrictedExtensions_URIPATH', 'RestrictedExtensions_URIPath'),
    blockGenericLfi: managedBlock(1, 'GenericLFI_URIPATH', 'GenericLFI_URIPath'),
    blockBadInputs: managedBlock(2, 'ExploitablePaths_URIPATH', 'ExploitablePaths_URIPath'),
    blockSqli: (matched: readonly string[]) => managedBlock(3, 'SQLi_QUERYARGUMENTS', 'SQLi_QueryArguments', sqli('QUERY_STRING', matched)),
    blockSqliBody: (matched: readonly string[]) => managedBlock(3, 'SQLi_BODY', 'SQLi_Body', sqli('BODY', matched)),
    blockXss: (matched: readonly string[]) => managedBlock(1, 'CrossSiteScripting_QUERYARGUMENTS', 'CrossSiteScripting_QueryArguments', xss('QUERY_STRING', matched)),
    blockBotHttpLibrary: managedBlock(4, 'CategoryHttpLibrary', 'bot:category:http_library', null, 'BLOCK', {
      labels: bot('http_library'),
    }),
    blockBotScraping: managedBlock(4, 'CategoryScrapingFramework', 'bot:category:scraping_framework', null, 'BLOCK', {
      labels: bot('scraping_framework'),
    }),
    challengeBot: managedBlock(4, 'TGT_VolumetricIpTokenAbsent', 'targeted:aggregate:volumetric:ip:token_absent', null, 'CHALLENGE', {
      challengeResponse: tokenMissing(202),
    }),
    captchaLogin: mk({
      terminatingRuleId: 'CaptchaLoginFromNewDevices',
      terminatingRuleType: 'REGULAR',
      action: 'CAPTCHA',
      terminatingRuleMatchDetails: [],
      ruleGroupList: allGroups,
      rateBasedRuleList: [],
      nonTerminatingMatchingRules: [countLogin],
      labels: [],
      captchaResponse: tokenMissing(405),
    }),
    blockGeo: mk({
      terminatingRuleId: RULES.geoBlock.name,
      terminatingRuleType: 'REGULAR',
      action: 'BLOCK',
      terminatingRuleMatchDetails: [],
      ruleGroupList: [],
      rateBasedRuleList: [],
      nonTerminatingMatchingRules: [],
      labels: [],
    }),
    blockRate: mk({
      terminatingRuleId: RULES.rateLimit.name,
      terminatingRuleType: 'RATE_BASED',
      action: 'BLOCK',
      terminatingRuleMatchDetails: [],
      ruleGroupList: [],
      rateBasedRuleList: [rateEntry],
      nonTerminatingMatchingRules: [],
      labels: [],
    }),
  };
}

const contexts = new WeakMap<EntityPools, WafContext>();

/** The web ACL context of a set of pools (built once; background and incidents share it). */
export function wafContext(pools: EntityPools): WafContext {
  const hit = contexts.get(pools);
  if (hit) return hit;
  const { estate } = pools;
  // Ids of the ACL's front doors are facts of the estate: derived from its ids, not from any stream's rng.
  const h = (s: string) => hashString(`${estate.waf.webAclId}/${s}`).toString(16).padStart(8, '0');
  const albRoutes = compileRoutes(ALB_ROUTES);
  const apiRoutes = compileRoutes(APIGW_ROUTES);
  const cfRoutes = compileRoutes(CF_ROUTES);
  const apiId = `${h('api')}${h('api2')}`.replace(/[^a-z0-9]/g, 'x').slice(0, 10);
  const doors: FrontDoor[] = [
    { name: 'ALB', id: `${estate.accountId}-app/${estate.ecs.serviceName}-alb/${h('alb')}${h('alb2')}`, host: `${estate.ecs.serviceName}.example.com`, routes: albRoutes.routes, routeSampler: albRoutes.sampler, index: 0 },
    { name: 'APIGW', id: `${estate.accountId}:${apiId}:prod`, host: `${apiId}.execute-api.${estate.region}.amazonaws.com`, routes: apiRoutes.routes, routeSampler: apiRoutes.sampler, index: 1 },
    { name: 'CF', id: `E${(h('cf') + h('cf2')).toUpperCase().slice(0, 13)}`, host: `static.example.com`, routes: cfRoutes.routes, routeSampler: cfRoutes.sampler, index: 2 },
  ];
  const countryByIp = new Map<string, string>();
  for (const c of pools.clients) countryByIp.set(c.ip, c.country);
  const asnByPrefix = new Map<string, string>();
  for (const a of ASNS) for (const p of a.prefixes) asnByPrefix.set(p, a.country);
  for (const b of GOOD_BOTS) asnByPrefix.set(b.prefix.split('.').slice(0, 2).join('.'), 'US');
  const countryOf = (ip: string) => {
    const known = countryByIp.get(ip);
    if (known) return known;
    const two = ip.slice(0, ip.indexOf('.', ip.indexOf('.') + 1));
    return asnByPrefix.get(two) ?? 'US';
  };
  const headerCache = new Map<string, WafHeader[]>();
  const poolHeaders: (WafHeader[] | undefined)[] = new Array(pools.clients.length * 6).fill(undefined);
  const ctx: WafContext = {
    pools,
    webaclId: estate.waf.webAclArn,
    dest: Object.freeze({ kind: 'firehose', deliveryStream: estate.deliveryStreams.waf }),
    doors,
    doorSampler: new AliasSampler([55, 10, 35]),
    clientSampler: new AliasSampler(zipfWeights(pools.clients.length, 0.9)),
    countryOf,
    headers(client, clientKey, door, ua, post) {
      // Keyed by client index when it has one (pool clients), else by address: a client's headers never vary.
      const key = `${clientKey >= 0 ? clientKey : client.ip}|${door.index}|${post ? 1 : 0}|${ua.length}`;
      let hs = headerCache.get(key);
      if (!hs) {
        hs = [
          { name: 'Host', value: door.host },
          { name: 'User-Agent', value: ua },
          { name: 'Accept', value: door.name === 'APIGW' ? 'application/json' : door.name === 'CF' ? 'image/avif,image/webp,*/*' : 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
          { name: 'Accept-Encoding', value: 'gzip, deflate, br' },
          { name: 'Accept-Language', value: ACCEPT_LANGUAGE[client.country] ?? 'en-US,en;q=0.5' },
        ];
        if (post) hs.push({ name: 'Content-Type', value: door.name === 'APIGW' ? 'application/json' : 'application/x-www-form-urlencoded' });
        deepFreeze(hs);
        // Bounded: attackers with thousands of fresh addresses must not grow memory without limit.
        if (headerCache.size > 50_000) headerCache.clear();
        headerCache.set(key, hs);
      }
      return hs;
    },
    clientHeaders(ci, door, post) {
      const slot = ci * 6 + door.index * 2 + (post ? 1 : 0);
      let hs = poolHeaders[slot];
      if (hs === undefined) {
        const client = pools.clients[ci]!;
        hs = poolHeaders[slot] = ctx.headers(client, ci, door, browserUaOf(client.ip), post);
      }
      return hs;
    },
    outcomes: buildOutcomes(pools, estate.waf.webAclName),
  };
  contexts.set(pools, ctx);
  return ctx;
}

function labelsFor(outcome: Outcome, country: string): { name: string }[] {
  let l = outcome.byCountry.get(country);
  if (!l) {
    l = [...outcome.labels.map((name) => ({ name })), ...(country === '-' ? [] : [{ name: `awswaf:clientip:geo:country:${country}` }])];
    deepFreeze(l);
    outcome.byCountry.set(country, l);
  }
  return l;
}

/** Assembles a record; every array in it is a shared frozen fragment, so serializing it is mostly concatenation. */
export function buildRecord(
  ctx: WafContext,
  t: number,
  source: { name: string; id: string },
  client: Client,
  headers: WafHeader[],
  method: string,
  uri: string,
  args: string,
  outcome: Outcome,
  reqId: string,
  httpVersion = 'HTTP/1.1',
): WafRecord {
  const r: WafRecord = {
    timestamp: t,
    formatVersion: 1,
    webaclId: ctx.webaclId,
    terminatingRuleId: outcome.terminatingRuleId,
    terminatingRuleType: outcome.terminatingRuleType,
    action: outcome.action,
    terminatingRuleMatchDetails: outcome.terminatingRuleMatchDetails,
    httpSourceName: source.name,
    httpSourceId: source.id,
    ruleGroupList: outcome.ruleGroupList,
    rateBasedRuleList: outcome.rateBasedRuleList,
    nonTerminatingMatchingRules: outcome.nonTerminatingMatchingRules,
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: { clientIp: client.ip, country: client.country, headers, uri, args, httpVersion, httpMethod: method, requestId: reqId },
    labels: labelsFor(outcome, client.country),
  };
  if (outcome.captchaResponse) r.captchaResponse = outcome.captchaResponse;
  if (outcome.challengeResponse) r.challengeResponse = outcome.challengeResponse;
  return r;
}
