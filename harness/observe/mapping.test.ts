import { describe, expect, it } from 'vitest';
import { createMapper, expressionProblem } from './mapping.ts';

const T = Date.UTC(2026, 10, 20, 12, 5, 0);

describe('mapping a SUT’s finding to an observation', () => {
  it('without a mapping keeps the raw finding, its compact JSON as text, no entities, no kind', () => {
    const o = createMapper('sqs:q', 'none', {})({ id: 'm-1', raw: { reason: 'odd', n: 1 }, arrivedAt: T }, T + 5);
    expect(o).toEqual({ tap: 'sqs:q', id: 'm-1', observedAt: T + 5, arrivedAt: T, entities: [], text: '{"reason":"odd","n":1}', raw: { reason: 'odd', n: 1 } });
  });

  it('reads times as epoch ms, epoch seconds or ISO 8601, and names what it cannot read', () => {
    const m = createMapper('t', 'none', { claimedTime: 'a', firstSeen: 'b', lastSeen: 'c' });
    expect(m({ id: 'x', raw: { a: T, b: T / 1000, c: new Date(T).toISOString() } }, 0)).toMatchObject({ claimedTime: T, firstSeen: T, lastSeen: T });
    const bad = m({ id: 'x', raw: { a: 'yesterday' } }, 0);
    expect(bad.claimedTime).toBeUndefined();
    expect(bad.mapErrors).toEqual(['claimedTime (a): "yesterday" is not a time (epoch ms, epoch s or ISO 8601)']);
  });

  it('takes entities from a list, an object’s values or nested lists; a root cause from a string or a list', () => {
    const m = createMapper('t', 'none', { entities: '[who, where]', rootCause: 'why' });
    expect(m({ id: 'x', raw: { who: { ip: '1.2.3.4', user: 'alice' }, where: ['i-1', ['i-2', null]], why: 'db down' } }, 0)).toMatchObject({ entities: ['1.2.3.4', 'alice', 'i-1', 'i-2'], rootCause: ['db down'] });
  });

  it('lets a tap’s own expressions override the preset’s', () => {
    const finding = { findingId: 'f1', kind: 'waf-http-flood', entities: { ip: '198.51.100.7' }, detectedAt: T, firstSeen: T - 60_000, lastSeen: T, summary: 'flood', chain: ['waf:acl flood'] };
    expect(createMapper('t', 'firedrill', {})({ id: 'k', raw: finding }, 0)).toMatchObject({ id: 'f1', kind: 'waf-http-flood', entities: ['198.51.100.7'], claimedTime: T, firstSeen: T - 60_000, lastSeen: T, text: 'flood', rootCause: ['waf:acl flood'] });
    expect(createMapper('t', 'firedrill', { text: "join(' ', [kind, summary])" })({ id: 'k', raw: finding }, 0).text).toBe('waf-http-flood flood');
  });

  it('reads ASFF (a GuardDuty-shaped finding): detection time, evidence span, resources, network and key, type, title and description', () => {
    const asff = {
      SchemaVersion: '2018-10-08', Id: 'arn:aws:guardduty:us-east-1:111122223333:detector/d1/finding/f1', ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
      GeneratorId: 'arn:aws:guardduty:us-east-1:111122223333:detector/d1', AwsAccountId: '111122223333', Types: ['TTPs/Initial Access/UnauthorizedAccess:IAMUser-MaliciousIPCaller'],
      FirstObservedAt: '2026-11-20T11:58:00.000Z', LastObservedAt: '2026-11-20T12:04:00.000Z', CreatedAt: '2026-11-20T12:05:00.000Z', UpdatedAt: '2026-11-20T12:05:00.000Z',
      Severity: { Label: 'MEDIUM', Normalized: 50 }, Title: 'API GetObject was invoked from a known malicious IP address.', Description: 'An API was used to access a bucket from 198.51.100.23.',
      Network: { Direction: 'IN', SourceIpV4: '198.51.100.23' },
      Resources: [{ Type: 'AwsIamAccessKey', Id: 'AWS::IAM::AccessKey:AKIAIOSFODNN7EXAMPLE', Details: { AwsIamAccessKey: { PrincipalName: 'ci-deployer', UserName: 'ci-deployer' } } }, { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::orders-data' }],
    };
    const o = createMapper('securityhub', 'asff', {})({ id: 'raw', raw: asff }, 0);
    expect(o).toMatchObject({
      id: asff.Id, kind: 'TTPs/Initial Access/UnauthorizedAccess:IAMUser-MaliciousIPCaller', claimedTime: T, firstSeen: T - 420_000, lastSeen: T - 60_000,
      entities: ['AWS::IAM::AccessKey:AKIAIOSFODNN7EXAMPLE', 'arn:aws:s3:::orders-data', 'ci-deployer', '198.51.100.23'],
      text: 'API GetObject was invoked from a known malicious IP address. — An API was used to access a bucket from 198.51.100.23.',
    });
    expect(o.mapErrors).toBeUndefined();
  });

  it('checks expressions up front: syntax and unknown functions', () => {
    expect(expressionProblem('[ip, host]')).toBeUndefined();
    expect(expressionProblem('detail.[')).toMatch(/Syntax error|Expected|invalid/i);
    expect(expressionProblem('no_such_fn(a)')).toMatch(/Unknown function/);
  });
});
