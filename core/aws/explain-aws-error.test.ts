import { describe, expect, it } from 'vitest';
import { asAwsAccessError, AwsAccessError, explainAwsError } from './explain-aws-error.ts';

const err = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('explainAwsError: AWS failures in AWS terms, with the fix', () => {
  it('tells missing, expired and rejected credentials apart', () => {
    expect(explainAwsError(err('CredentialsProviderError', 'Could not load credentials from any providers'), 'bootstrap')?.fix).toMatch(/AWS_PROFILE|sso login/);
    expect(explainAwsError(err('ExpiredToken', 'The security token included in the request is expired'), 'x')?.summary).toMatch(/expired/);
    expect(explainAwsError(err('InvalidClientTokenId', 'The security token included in the request is invalid.'), 'x')?.fix).toMatch(/test\/test/);
  });

  it('names the action a permission error is about', () => {
    const x = explainAwsError(err('AccessDenied', 'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:111122223333:instance/*'), 'EC2 instance web-1');
    expect(x?.summary).toBe('permission denied for EC2 instance web-1');
    expect(x?.fix).toContain('ec2:RunInstances');
  });

  it('says when the region is missing or not enabled', () => {
    expect(explainAwsError(new Error('Region is missing'), 'x')?.fix).toMatch(/AWS_REGION/);
    expect(explainAwsError(err('OptInRequired', 'You are not subscribed to this service'), 'x')?.summary).toMatch(/region is not enabled/);
  });

  it('leaves genuine service errors alone', () => {
    const e = err('ResourceInUseException', 'Table already exists');
    expect(explainAwsError(e, 'x')).toBeUndefined();
    expect(asAwsAccessError(e, 'x')).toBe(e);
    expect(asAwsAccessError(err('AccessDeniedException', 'denied'), 'x')).toBeInstanceOf(AwsAccessError);
  });
});
