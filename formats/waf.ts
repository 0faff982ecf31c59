import { FormatError } from '../core/index.ts';
import type { Entities } from '../core/index.ts';
import type { FormatSpec, LineOrigin, NormalizedRecord } from './types.ts';

/**
 * AWS WAF (v2) web ACL log: one JSON object per request, fields in the order AWS writes them
 * (developer guide, "Log fields for web ACL traffic" and "Log examples"):
 *
 *   timestamp, formatVersion, webaclId, terminatingRuleId, terminatingRuleType, action,
 *   terminatingRuleMatchDetails, httpSourceName, httpSourceId, ruleGroupList, rateBasedRuleList,
 *   nonTerminatingMatchingRules, requestHeadersInserted, responseCodeSent, httpRequest{clientIp, country,
 *   headers, uri, args, httpVersion, httpMethod, requestId}, labels, captchaResponse, challengeResponse
 *
 * Older records (and AWS's own SQLi example) omit requestHeadersInserted/responseCodeSent and labels;
 * parse accepts that, serialize writes what the record has.
 */
export const WAF_ACTIONS = ['ALLOW', 'BLOCK', 'CAPTCHA', 'CHALLENGE'] as const;
export type WafAction = (typeof WAF_ACTIONS)[number];
export const WAF_TERMINATING_RULE_TYPES = ['REGULAR', 'RATE_BASED', 'GROUP', 'MANAGED_RULE_GROUP'] as const;
export type WafTerminatingRuleType = (typeof WAF_TERMINATING_RULE_TYPES)[number];
/** `-` is what AWS writes when the request's origin type is unknown (as in AWS's own SQLi example). */
export const WAF_HTTP_SOURCES = ['ALB', 'APIGW', 'CF', 'APPSYNC', 'COGNITOIDP', 'APPRUNNER', 'VERIFIED_ACCESS', '-'] as const;

export interface WafMatchDetail {
  conditionType: string; // SQL_INJECTION | XSS | …
  sensitivityLevel?: string;
  location: string;
  matchedData: string[];
  matchedFieldName?: string;
}

export interface WafRuleRef {
  ruleId: string;
  action: string; // BLOCK | COUNT | CAPTCHA | CHALLENGE | EXCLUDED_AS_COUNT …
  ruleMatchDetails?: WafMatchDetail[] | null;
  overriddenAction?: string;
}

export interface WafRuleGroupEntry {
  ruleGroupId: string;
  terminatingRule: WafRuleRef | null;
  nonTerminatingMatchingRules: WafRuleRef[];
  excludedRules: { exclusionType: string; ruleId: string; ruleMatchDetails?: WafMatchDetail[] | null }[] | null;
  customerConfig?: unknown;
}

export interface WafRateBasedEntry {
  rateBasedRuleId: string;
  rateBasedRuleName: string;
  limitKey: string; // IP | FORWARDED_IP | CUSTOMKEYS | CONSTANT
  maxRateAllowed: number;
  evaluationWindowSec?: string;
  limitValue?: string;
  customValues?: { key: string; name?: string; value: string }[];
}

export interface WafHeader {
  name: string;
  value: string;
}

export interface WafHttpRequest {
  clientIp: string;
  country: string;
  headers: WafHeader[];
  uri: string;
  args: string;
  httpVersion: string;
  httpMethod: string;
  requestId: string;
}

export interface WafTokenResponse {
  responseCode: number;
  solveTimestamp: number;
  failureReason?: string;
}

export interface WafRecord {
  timestamp: number;
  formatVersion: number;
  webaclId: string;
  terminatingRuleId: string;
  terminatingRuleType: string;
  action: string;
  terminatingRuleMatchDetails: WafMatchDetail[];
  httpSourceName: string;
  httpSourceId: string;
  ruleGroupList: WafRuleGroupEntry[];
  rateBasedRuleList: WafRateBasedEntry[];
  nonTerminatingMatchingRules: WafRuleRef[];
  requestHeadersInserted?: WafHeader[] | null;
  responseCodeSent?: number | null;
  httpRequest: WafHttpRequest;
  labels?: { name: string }[];
  captchaResponse?: WafTokenResponse;
  challengeResponse?: WafTokenResponse;
}

// ---------------------------------------------------------------------------------------------------------
// serialize

// eslint-disable-next-line no-control-regex -- JSON strings must escape control characters; this finds them.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029]/;

/** A JSON string literal; the common case (nothing to escape) skips JSON.stringify. */
function str(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * Frozen sub-structures (a client's header list, a rule-group outcome, a label set) are reused across
 * millions of records by the generators; their JSON text is cached by identity. Only frozen objects are
 * cached, so a caller that mutates its arrays always gets fresh text.
 */
const fragmentCache = new WeakMap<object, string>();
function cached(value: object): string {
  let s = fragmentCache.get(value);
  if (s === undefined) {
    s = JSON.stringify(value);
    if (Object.isFrozen(value)) fragmentCache.set(value, s);
  }
  return s;
}

function headersJson(headers: WafHeader[]): string {
  if (Object.isFrozen(headers)) {
    const hit = fragmentCache.get(headers);
    if (hit !== undefined) return hit;
  }
  let s = '[';
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (i > 0) s += ',';
    s += `{"name":${str(h.name)},"value":${str(h.value)}}`;
  }
  s += ']';
  if (Object.isFrozen(headers)) fragmentCache.set(headers, s);
  return s;
}

function arrayJson(a: readonly object[]): string {
  return a.length === 0 ? '[]' : cached(a);
}

/** One WAF log record as AWS writes it (compact JSON, AWS field order). */
export function serializeWaf(r: WafRecord): string {
  const q = r.httpRequest;
  let s =
    `{"timestamp":${r.timestamp},"formatVersion":${r.formatVersion},"webaclId":${str(r.webaclId)}` +
    `,"terminatingRuleId":${str(r.terminatingRuleId)},"terminatingRuleType":${str(r.terminatingRuleType)}` +
    `,"action":${str(r.action)},"terminatingRuleMatchDetails":${arrayJson(r.terminatingRuleMatchDetails)}` +
    `,"httpSourceName":${str(r.httpSourceName)},"httpSourceId":${str(r.httpSourceId)}` +
    `,"ruleGroupList":${arrayJson(r.ruleGroupList)},"rateBasedRuleList":${arrayJson(r.rateBasedRuleList)}` +
    `,"nonTerminatingMatchingRules":${arrayJson(r.nonTerminatingMatchingRules)}`;
  if (r.requestHeadersInserted !== undefined) {
    s += `,"requestHeadersInserted":${r.requestHeadersInserted === null ? 'null' : headersJson(r.requestHeadersInserted)}`;
  }
  if (r.responseCodeSent !== undefined) s += `,"responseCodeSent":${r.responseCodeSent === null ? 'null' : r.responseCodeSent}`;
  s +=
    `,"httpRequest":{"clientIp":${str(q.clientIp)},"country":${str(q.country)},"headers":${headersJson(q.headers)}` +
    `,"uri":${str(q.uri)},"args":${str(q.args)},"httpVersion":${str(q.httpVersion)},"httpMethod":${str(q.httpMethod)}` +
    `,"requestId":${str(q.requestId)}}`;
  if (r.labels !== undefined) s += `,"labels":${r.labels.length === 0 ? '[]' : cached(r.labels)}`;
  if (r.captchaResponse !== undefined) s += `,"captchaResponse":${JSON.stringify(r.captchaResponse)}`;
  if (r.challengeResponse !== undefined) s += `,"challengeResponse":${JSON.stringify(r.challengeResponse)}`;
  return s + '}';
}

// ---------------------------------------------------------------------------------------------------------
// parse

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (field missing)';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function need<T>(ok: boolean, field: string, expected: string, seen: unknown, value: T): T {
  if (!ok) throw new FormatError(`WAF log: bad field ${field}`, { expected, seen: describe(seen) });
  return value;
}

function reqString(o: Record<string, Json>, k: string, path = k): string {
  const v = o[k];
  return need(typeof v === 'string', path, 'a string', v, v as string);
}

function reqArray(o: Record<string, Json>, k: string): Json[] {
  const v = o[k];
  return need(Array.isArray(v), k, 'an array', v, v as Json[]);
}

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one WAF log record; FormatError says which field was wrong, what was expected and seen. */
export function parseWaf(line: string): WafRecord {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (err) {
    throw new FormatError('WAF log: not JSON', { expected: 'one JSON object per line', seen: describe(line), cause: err });
  }
  if (!isObject(o)) throw new FormatError('WAF log: not a JSON object', { expected: 'a JSON object', seen: describe(o) });
  const ts = o['timestamp'];
  need(typeof ts === 'number' && Number.isInteger(ts) && ts > 1e12 && ts < 1e13, 'timestamp', 'epoch milliseconds (13 digits)', ts, 0);
  const fv = o['formatVersion'];
  need(fv === 1, 'formatVersion', '1', fv, 0);
  const webaclId = reqString(o, 'webaclId');
  need(/^arn:aws[a-z-]*:wafv2:/.test(webaclId), 'webaclId', 'a wafv2 web ACL ARN', webaclId, 0);
  const action = reqString(o, 'action');
  need((WAF_ACTIONS as readonly string[]).includes(action), 'action', WAF_ACTIONS.join(' | '), action, 0);
  const ruleType = reqString(o, 'terminatingRuleType');
  need((WAF_TERMINATING_RULE_TYPES as readonly string[]).includes(ruleType), 'terminatingRuleType', WAF_TERMINATING_RULE_TYPES.join(' | '), ruleType, 0);
  reqString(o, 'terminatingRuleId');
  reqArray(o, 'terminatingRuleMatchDetails');
  reqString(o, 'httpSourceName');
  reqString(o, 'httpSourceId');
  reqArray(o, 'ruleGroupList');
  reqArray(o, 'rateBasedRuleList');
  reqArray(o, 'nonTerminatingMatchingRules');
  const q = o['httpRequest'];
  need(isObject(q), 'httpRequest', 'an object', q, 0);
  const req = q as Record<string, Json>;
  reqString(req, 'clientIp', 'httpRequest.clientIp');
  const country = reqString(req, 'country', 'httpRequest.country');
  need(/^([A-Z]{2}|-)$/.test(country), 'httpRequest.country', 'an ISO 3166-1 alpha-2 code or "-"', country, 0);
  const headers = req['headers'];
  need(
    Array.isArray(headers) && headers.every((h) => isObject(h) && typeof h['name'] === 'string' && typeof h['value'] === 'string'),
    'httpRequest.headers',
    'an array of {name, value} strings',
    headers,
    0,
  );
  for (const k of ['uri', 'args', 'httpVersion', 'httpMethod', 'requestId']) reqString(req, k, `httpRequest.${k}`);
  const labels = o['labels'];
  if (labels !== undefined) {
    need(Array.isArray(labels) && labels.every((l) => isObject(l) && typeof l['name'] === 'string'), 'labels', 'an array of {name}', labels, 0);
  }
  return o as unknown as WafRecord;
}

// ---------------------------------------------------------------------------------------------------------
// normalize

function header(r: WafRecord, name: string): string | null {
  const lower = name.toLowerCase();
  for (const h of r.httpRequest.headers) if (h.name.toLowerCase() === lower) return h.value;
  return null;
}

/** Flat fields per docs/CONTRACTS.md (waf). */
export function normalizeWaf(r: WafRecord, _origin?: LineOrigin): Pick<NormalizedRecord, 'time' | 'entities' | 'fields'> {
  const q = r.httpRequest;
  let conditionType: string | null = r.terminatingRuleMatchDetails[0]?.conditionType ?? null;
  let countMatches = 0;
  for (const m of r.nonTerminatingMatchingRules) if (m.action === 'COUNT') countMatches++;
  const groupIds: string[] = [];
  for (const g of r.ruleGroupList) {
    groupIds.push(g.ruleGroupId);
    for (const m of g.nonTerminatingMatchingRules ?? []) if (m.action === 'COUNT') countMatches++;
    for (const x of g.excludedRules ?? []) if (x.exclusionType === 'EXCLUDED_AS_COUNT') countMatches++;
    if (conditionType === null && g.terminatingRule?.ruleMatchDetails?.[0]) conditionType = g.terminatingRule.ruleMatchDetails[0].conditionType;
  }
  const entities: Entities = { ip: q.clientIp, webAcl: r.webaclId };
  if (q.country !== '-') entities.country = q.country;
  return {
    time: r.timestamp,
    entities,
    fields: {
      action: r.action,
      terminatingRuleId: r.terminatingRuleId,
      terminatingRuleType: r.terminatingRuleType,
      httpSourceName: r.httpSourceName,
      httpSourceId: r.httpSourceId,
      clientIp: q.clientIp,
      country: q.country,
      uri: q.uri,
      args: q.args,
      httpMethod: q.httpMethod,
      httpVersion: q.httpVersion,
      userAgent: header(r, 'user-agent'),
      host: header(r, 'host'),
      ruleGroupIds: groupIds.join(','),
      labels: (r.labels ?? []).map((l) => l.name).join(','),
      conditionType,
      rateBased: r.terminatingRuleType === 'RATE_BASED' || r.rateBasedRuleList.length > 0,
      countMatches,
      // CAPTCHA / Challenge outcomes: the response code WAF sent (405 challenge page …) and why a token failed.
      responseCodeSent: r.responseCodeSent ?? null,
      tokenFailureReason: r.captchaResponse?.failureReason ?? r.challengeResponse?.failureReason ?? null,
    },
  };
}

export const wafFormat: FormatSpec<WafRecord> = {
  source: 'waf',
  title: 'WAF web ACL log',
  serialize: serializeWaf,
  parse: (line) => parseWaf(line),
  normalize: normalizeWaf,
};
