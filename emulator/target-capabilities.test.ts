import { describe, expect, it } from 'vitest';
import { capabilitiesFromHealth } from './target-capabilities.ts';

/** The services LocalStack 2026.3.0 (localstack-core from PyPI, no token) listed in its health answer here. */
const FREE = Object.fromEntries(
  ['acm', 'cloudwatch', 'dynamodb', 'ec2', 'events', 'firehose', 'iam', 'kinesis', 'lambda', 'logs', 's3', 'scheduler', 'sns', 'sqs', 'ssm', 'stepfunctions', 'sts'].map((s) => [s, 'available']),
);

describe('capabilitiesFromHealth', () => {
  it('takes every service the free edition does not list as missing, saying how to get it', () => {
    const caps = capabilitiesFromHealth({ services: FREE, edition: 'unknown', version: '2026.3.0' });
    expect(caps.target).toBe('LocalStack 2026.3.0 (community)');
    expect(caps.missing.map((m) => m.service)).toEqual(['ecs', 'rds', 'wafv2', 'eks']);
    expect(caps.missing[0]!.reason).toBe("not in LocalStack 2026.3.0's free edition; a Pro edition (LOCALSTACK_AUTH_TOKEN) has it");
  });

  it('lets a Pro edition that lists ECS, RDS, WAFv2 and EKS run them', () => {
    const caps = capabilitiesFromHealth({ services: { ...FREE, ecs: 'available', rds: 'running', wafv2: 'available', eks: 'available' }, edition: 'pro', version: '4.14.0' });
    expect(caps).toEqual({ target: 'LocalStack 4.14.0 (pro)', missing: [] });
  });

  it('counts a listed service in error or disabled as missing, with the state it reported', () => {
    const caps = capabilitiesFromHealth({ services: { ...FREE, dynamodb: 'error', ecs: 'available', rds: 'available', wafv2: 'disabled', eks: 'available' }, version: '2026.3.0' });
    expect(caps.missing).toEqual([
      { service: 'dynamodb', reason: 'LocalStack 2026.3.0 reports dynamodb as error' },
      { service: 'wafv2', reason: 'LocalStack 2026.3.0 reports wafv2 as disabled' },
    ]);
  });
});
