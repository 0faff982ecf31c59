import { describe, expect, it } from 'vitest';
import { missingSdkActions, sdkTasksOf } from '../asl/sdk-command-for.ts';
import type { AslDefinition } from '../asl/types.ts';
import { validateAsl } from '../asl/validate-asl.ts';
import { DEFAULT_PLAYBOOK_CONTEXT, FRAME, PLAYBOOK_NAMES, playbookSpec } from './index.ts';

const ctx = { ...DEFAULT_PLAYBOOK_CONTEXT, auditTable: 'audit', notifyTopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' };

describe.each(PLAYBOOK_NAMES)('playbook %s', (name) => {
  const def = playbookSpec(name).build(ctx);

  it('is structurally sound: targets exist, all reachable, ends, catches lead to the failure audit, audit + notify on every way out', () => {
    expect(validateAsl(def, { failureAuditState: FRAME.recordFailure })).toEqual([]);
  });

  it('calls only aws-sdk actions that exist in the AWS SDK v3 clients', async () => {
    expect(sdkTasksOf(def).length).toBeGreaterThan(0);
    expect(await missingSdkActions(def)).toEqual([]);
  });

  it('is JSONPath and survives a JSON round trip (what CreateStateMachine receives)', () => {
    expect(JSON.parse(JSON.stringify(def))).toEqual(def);
    expect(def.QueryLanguage).toBe('JSONPath');
  });
});

describe('the moto dialect', () => {
  it('differs from the AWS one only in the case of ECS and EKS parameter names, and stays valid', () => {
    for (const name of PLAYBOOK_NAMES) {
      const aws = playbookSpec(name).build(ctx);
      const moto = playbookSpec(name).build({ ...ctx, sdkDialect: 'moto' });
      expect(validateAsl(moto, { failureAuditState: FRAME.recordFailure })).toEqual([]);
      for (const [state, s] of Object.entries(aws.States)) {
        const m = moto.States[state]!;
        if (s.Type === 'Task' && /:aws-sdk:(ecs|eks):/.test(s.Resource)) {
          expect(Object.keys((m as typeof s).Parameters ?? {})).toEqual(Object.keys(s.Parameters ?? {}).map((k) => k[0]!.toLowerCase() + k.slice(1)));
        } else expect(m).toEqual(s);
      }
    }
  });
});

describe('validateAsl catches broken definitions', () => {
  const good = playbookSpec('lambda-throttle').build(ctx);
  const clone = (): AslDefinition => JSON.parse(JSON.stringify(good)) as AslDefinition;

  it('a dangling Next', () => {
    const d = clone();
    (d.States.PutConcurrency as { Next: string }).Next = 'Nowhere';
    expect(validateAsl(d, { failureAuditState: FRAME.recordFailure }).join('\n')).toMatch(/target Nowhere does not exist/);
  });

  it('an unreachable state', () => {
    const d = clone();
    d.States.Orphan = { Type: 'Pass', End: true };
    expect(validateAsl(d, { failureAuditState: FRAME.recordFailure }).join('\n')).toMatch(/Orphan: unreachable/);
  });

  it('a Task without a catch into the failure path', () => {
    const d = clone();
    delete (d.States.PutConcurrency as { Catch?: unknown }).Catch;
    expect(validateAsl(d, { failureAuditState: FRAME.recordFailure }).join('\n')).toMatch(/needs a Catch of States.ALL/);
  });

  it('a way to the end that skips the audit record', () => {
    const d = clone();
    (d.States.PutConcurrency as { Next: string }).Next = FRAME.done;
    expect(validateAsl(d, { failureAuditState: FRAME.recordFailure }).join('\n')).toMatch(/without an audit record/);
  });

  it('a JSONPath that moto and AWS read differently', () => {
    const d = clone();
    (d.States.PutConcurrency as { Parameters: Record<string, string> }).Parameters['FunctionName.$'] = '$.params.functions[0].name';
    expect(validateAsl(d, { failureAuditState: FRAME.recordFailure }).join('\n')).toMatch(/index followed by a field/);
  });

  it('a retry storm', () => {
    const d = clone();
    (d.States.PutConcurrency as { Retry?: unknown }).Retry = [{ ErrorEquals: ['States.ALL'], MaxAttempts: 50 }];
    const problems = validateAsl(d, { failureAuditState: FRAME.recordFailure }).join('\n');
    expect(problems).toMatch(/MaxAttempts 50/);
    expect(problems).toMatch(/retrying States.ALL/);
  });

  it('a service name that is not boto3\'s and an action the SDK lacks', async () => {
    const d = clone();
    (d.States.PutConcurrency as { Resource: string }).Resource = 'arn:aws:states:::aws-sdk:lambda:putFunctionConcurrencyy';
    expect(await missingSdkActions(d)).toEqual([expect.stringMatching(/has no PutFunctionConcurrencyyCommand/)]);
    (d.States.PutConcurrency as { Resource: string }).Resource = 'arn:aws:states:::aws-sdk:elasticloadbalancing:describeTags';
    expect(validateAsl(d, { failureAuditState: FRAME.recordFailure }).join('\n')).toMatch(/not one of boto3's names/);
  });
});
