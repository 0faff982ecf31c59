import { describe, expect, it } from 'vitest';
import { normalizeWaf, parseWaf, serializeWaf, wafFormat } from './waf.ts';

/** AWS WAF developer guide, "Log examples": a request blocked by an SQLi match rule (verbatim). */
const AWS_SQLI =
  '{"timestamp":1576280412771,"formatVersion":1,"webaclId":"arn:aws:wafv2:ap-southeast-2:111122223333:regional/webacl/STMTest/1EXAMPLE-2ARN-3ARN-4ARN-123456EXAMPLE","terminatingRuleId":"STMTest_SQLi_XSS","terminatingRuleType":"REGULAR","action":"BLOCK","terminatingRuleMatchDetails":[{"conditionType":"SQL_INJECTION","sensitivityLevel":"HIGH","location":"HEADER","matchedData":["10","AND","1"]}],"httpSourceName":"-","httpSourceId":"-","ruleGroupList":[],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"httpRequest":{"clientIp":"1.1.1.1","country":"AU","headers":[{"name":"Host","value":"localhost:1989"},{"name":"User-Agent","value":"curl/7.61.1"},{"name":"Accept","value":"*/*"},{"name":"x-stm-test","value":"10 AND 1=1"}],"uri":"/myUri","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"rid"},"labels":[{"name":"value"}]}';

/**
 * Same page, "Rate-based rule 1: Log entry for request blocked by rate-based rule". The guide elides
 * webaclId and rateBasedRuleId as `...`; they are filled with ARNs of the documented shape here.
 */
const AWS_RATE_BASED = JSON.stringify({
  timestamp: 1683355579981,
  formatVersion: 1,
  webaclId: 'arn:aws:wafv2:eu-west-3:111122223333:regional/webacl/RateBasedRuleTestKoipOneKeyModulePV2/0aa3c8ea-3c9e-4c1f-ae4c-a4c4bd09fb3e',
  terminatingRuleId: 'RateBasedRule',
  terminatingRuleType: 'RATE_BASED',
  action: 'BLOCK',
  terminatingRuleMatchDetails: [],
  httpSourceName: 'APIGW',
  httpSourceId: 'EXAMPLE11:rjvegx5guh:CanaryTest',
  ruleGroupList: [],
  rateBasedRuleList: [
    {
      rateBasedRuleId: 'arn:aws:wafv2:eu-west-3:111122223333:regional/ratebasedstatement/RateBasedRuleTestKoipOneKeyModulePV2/0aa3c8ea/RateBasedRule/1',
      rateBasedRuleName: 'RateBasedRule',
      limitKey: 'CUSTOMKEYS',
      maxRateAllowed: 100,
      evaluationWindowSec: '120',
      customValues: [{ key: 'HEADER', name: 'dogname', value: 'ella' }],
    },
  ],
  nonTerminatingMatchingRules: [],
  requestHeadersInserted: null,
  responseCodeSent: null,
  httpRequest: {
    clientIp: '52.46.82.45',
    country: 'FR',
    headers: [
      { name: 'X-Forwarded-For', value: '52.46.82.45' },
      { name: 'X-Forwarded-Proto', value: 'https' },
      { name: 'X-Forwarded-Port', value: '443' },
      { name: 'Host', value: 'rjvegx5guh.execute-api.eu-west-3.amazonaws.com' },
      { name: 'X-Amzn-Trace-Id', value: 'Root=1-645566cf-7cb058b04d9bb3ee01dc4036' },
      { name: 'dogname', value: 'ella' },
      { name: 'User-Agent', value: 'RateBasedRuleTestKoipOneKeyModulePV2' },
      { name: 'Accept-Encoding', value: 'gzip,deflate' },
    ],
    uri: '/CanaryTest',
    args: '',
    httpVersion: 'HTTP/1.1',
    httpMethod: 'GET',
    requestId: 'Ed0AiHF_CGYF-DA=',
  },
});

/** A managed-rule-group BLOCK as logged in the wild (ALB source; several groups evaluated). */
const MANAGED_GROUP_BLOCK =
  '{"timestamp":1684825816966,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:123456789012:regional/webacl/cloudmonitoring-waf/8acf338d-9594-449d-b99a-f4e88a4cbac5","terminatingRuleId":"AWS-AWSManagedRulesAnonymousIpList","terminatingRuleType":"MANAGED_RULE_GROUP","action":"BLOCK","terminatingRuleMatchDetails":[],"httpSourceName":"ALB","httpSourceId":"123456789012-app/alb/1e3b6eac51c9c245","ruleGroupList":[{"ruleGroupId":"AWS#AWSManagedRulesCommonRuleSet","terminatingRule":null,"nonTerminatingMatchingRules":[],"excludedRules":null,"customerConfig":null},{"ruleGroupId":"AWS#AWSManagedRulesAnonymousIpList","terminatingRule":{"ruleId":"HostingProviderIPList","action":"BLOCK","ruleMatchDetails":null},"nonTerminatingMatchingRules":[],"excludedRules":null,"customerConfig":null}],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"requestHeadersInserted":null,"responseCodeSent":null,"httpRequest":{"clientIp":"185.254.196.186","country":"US","headers":[{"name":"Host","value":"52.54.199.152"}],"uri":"/","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"1-646c6bd8-03a7a0a9379cdbb8200c6b1b"},"labels":[{"name":"awswaf:managed:aws:anonymous-ip-list:HostingProviderIPList"}]}';

describe('WAF log format', () => {
  it('parses AWS-documented and real records and serializes them back byte for byte', () => {
    for (const line of [AWS_SQLI, AWS_RATE_BASED, MANAGED_GROUP_BLOCK]) {
      expect(serializeWaf(parseWaf(line))).toBe(line);
    }
  });
  it('keeps AWS field order', () => {
    expect(Object.keys(JSON.parse(serializeWaf(parseWaf(AWS_RATE_BASED))))).toEqual([
      'timestamp', 'formatVersion', 'webaclId', 'terminatingRuleId', 'terminatingRuleType', 'action', 'terminatingRuleMatchDetails',
      'httpSourceName', 'httpSourceId', 'ruleGroupList', 'rateBasedRuleList', 'nonTerminatingMatchingRules', 'requestHeadersInserted',
      'responseCodeSent', 'httpRequest',
    ]);
  });
  it('normalizes to the contract fields', () => {
    const sqli = normalizeWaf(parseWaf(AWS_SQLI));
    expect(sqli.time).toBe(1576280412771);
    expect(sqli.entities).toEqual({ ip: '1.1.1.1', webAcl: expect.stringContaining(':regional/webacl/STMTest/'), country: 'AU' });
    expect(sqli.fields).toMatchObject({ action: 'BLOCK', conditionType: 'SQL_INJECTION', httpSourceName: '-', userAgent: 'curl/7.61.1', host: 'localhost:1989', rateBased: false, countMatches: 0, labels: 'value' });
    const rate = normalizeWaf(parseWaf(AWS_RATE_BASED));
    expect(rate.fields).toMatchObject({ rateBased: true, terminatingRuleType: 'RATE_BASED', httpSourceName: 'APIGW', country: 'FR' });
    const managed = normalizeWaf(parseWaf(MANAGED_GROUP_BLOCK));
    expect(managed.fields['ruleGroupIds']).toBe('AWS#AWSManagedRulesCommonRuleSet,AWS#AWSManagedRulesAnonymousIpList');
    expect(wafFormat.source).toBe('waf');
  });
  it('rejects bad records with a message that says what was expected and seen', () => {
    expect(() => parseWaf('not json')).toThrow(/expected: one JSON object per line/);
    const bad = (patch: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(AWS_SQLI), ...patch });
    expect(() => parseWaf(bad({ timestamp: 1576280412 }))).toThrow(/timestamp[\s\S]*epoch milliseconds/);
    expect(() => parseWaf(bad({ action: 'COUNT' }))).toThrow(/ALLOW \| BLOCK \| CAPTCHA \| CHALLENGE[\s\S]*seen: +"COUNT"/);
    expect(() => parseWaf(bad({ httpRequest: { ...JSON.parse(AWS_SQLI).httpRequest, country: 'USA' } }))).toThrow(/ISO 3166/);
    expect(() => parseWaf(bad({ ruleGroupList: undefined }))).toThrow(/ruleGroupList[\s\S]*field missing/);
  });
});
