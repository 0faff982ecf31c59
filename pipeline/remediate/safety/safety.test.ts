import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../core/errors.ts';
import { assertAccountAllowed, AccountNotAllowedError } from './account-guard.ts';
import { cascadeVerdict, dependenciesOf, findingNode } from './cascade.ts';
import { breakerVerdict } from './circuit-breaker.ts';
import { DEFAULT_SAFETY, safetyConfigFromEnv } from './safety-config.ts';

describe('safety config', () => {
  it('is safe by default and reads the environment', () => {
    expect(safetyConfigFromEnv({})).toEqual(DEFAULT_SAFETY);
    const cfg = safetyConfigFromEnv({ FIREDRILL_DRY_RUN: 'yes', FIREDRILL_TARGET: 'aws', FIREDRILL_AWS_ACCOUNT_ALLOWLIST: '111122223333, 444455556666', FIREDRILL_MAX_ACTIONS_PER_RESOURCE_PER_HOUR: '5' });
    expect(cfg).toMatchObject({ mode: 'dry-run', target: 'aws', accountAllowlist: ['111122223333', '444455556666'], maxActionsPerResource: 5 });
    expect(safetyConfigFromEnv({ FIREDRILL_DRY_RUN: '1' }, { mode: 'live' }).mode).toBe('live');
  });

  it('rejects what it cannot read, saying what it expected', () => {
    expect(() => safetyConfigFromEnv({ FIREDRILL_AWS_ACCOUNT_ALLOWLIST: '1234' })).toThrow(ConfigError);
    expect(() => safetyConfigFromEnv({ FIREDRILL_TARGET: 'prod' })).toThrow(/expected: aws or emulator/);
    expect(() => safetyConfigFromEnv({ FIREDRILL_MAX_ACTIONS_PER_RESOURCE_PER_HOUR: '0' })).toThrow(ConfigError);
    expect(() => safetyConfigFromEnv({ FIREDRILL_DRY_RUN: 'maybe' })).toThrow(ConfigError);
  });
});

describe('account guard', () => {
  const sts = (account: string) => ({ send: async () => ({ Account: account }) }) as never;
  it('does nothing on the emulator, and on AWS allows only listed accounts', async () => {
    await expect(assertAccountAllowed(sts('999999999999'), { target: 'emulator', accountAllowlist: [] })).resolves.toBeUndefined();
    await expect(assertAccountAllowed(sts('111122223333'), { target: 'aws', accountAllowlist: ['111122223333'] })).resolves.toBe('111122223333');
    await expect(assertAccountAllowed(sts('999999999999'), { target: 'aws', accountAllowlist: ['111122223333'] })).rejects.toThrow(AccountNotAllowedError);
    await expect(assertAccountAllowed(sts('999999999999'), { target: 'aws', accountAllowlist: [] })).rejects.toThrow(/an empty allowlist/);
  });
});

describe('circuit breaker', () => {
  it('opens when any resource reached the limit', () => {
    expect(breakerVerdict({ a: 1, b: 0 }, 2)).toEqual({ open: false, counts: { a: 1, b: 0 }, tripped: [] });
    expect(breakerVerdict({ a: 2, b: 0 }, 2)).toMatchObject({ open: true, tripped: ['a'] });
  });
});

describe('cascade rule', () => {
  const edges = [
    { from: 'ecs:checkout', to: 'app:checkout' },
    { from: 'app:checkout', to: 'rds:orders' },
  ];
  it('places findings on the dependency graph and walks it', () => {
    expect(findingNode({ kind: 'ecs-task-restarts', entities: { service: 'checkout' }, primary: 'service' })).toBe('ecs:checkout');
    expect(findingNode({ kind: 'root-cause', entities: { database: 'orders', service: 'checkout' }, primary: 'database' })).toBe('rds:orders');
    expect(dependenciesOf('ecs:checkout', edges)).toEqual(['app:checkout', 'rds:orders']);
    expect(dependenciesOf('rds:orders', edges)).toEqual([]);
  });

  it('suppresses what a root cause with a playbook explains, and symptoms whose dependency is being fixed', () => {
    const none = { explainedBy: [], dependencyRemediations: [] };
    expect(cascadeVerdict({ kind: 'ecs-task-restarts' }, none, ['ecs-task-restarts'])).toEqual({ suppress: false });
    expect(cascadeVerdict({ kind: 'rds-connection-exhaustion' }, { ...none, explainedBy: [{ rootCauseId: 'r1', playbook: 'rds-raise-max-connections' }] }, [])).toMatchObject({ suppress: true, coveredBy: 'r1' });
    // A root cause without a playbook does not take the finding's own remediation away.
    expect(cascadeVerdict({ kind: 'lambda-timeout-storm' }, { ...none, explainedBy: [{ rootCauseId: 'r2' }] }, [])).toEqual({ suppress: false });
    const dep = { node: 'rds:orders', playbook: 'rds-raise-max-connections', incidentId: 'i1', at: 't' };
    expect(cascadeVerdict({ kind: 'ecs-task-restarts' }, { ...none, dependencyRemediations: [dep] }, ['ecs-task-restarts'])).toMatchObject({ suppress: true, coveredBy: 'i1' });
    // Not a symptom: a remediated dependency does not silence it.
    expect(cascadeVerdict({ kind: 'lambda-timeout-storm' }, { ...none, dependencyRemediations: [dep] }, ['ecs-task-restarts'])).toEqual({ suppress: false });
    expect(cascadeVerdict({ kind: 'root-cause' }, { ...none, explainedBy: [{ rootCauseId: 'r', playbook: 'p' }] }, [])).toEqual({ suppress: false });
  });
});
