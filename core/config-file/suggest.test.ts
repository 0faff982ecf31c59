import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './suggest.ts';

describe('suggestions', () => {
  it('measures edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('suggests close values and stays quiet otherwise', () => {
    expect(closest('waf-http-flod', ['waf-http-flood', 'waf-geo-anomaly'])).toBe('waf-http-flood');
    expect(closest('intensty', ['intensity', 'id'])).toBe('intensity');
    expect(closest('banana', ['waf', 'vpcflow'])).toBeUndefined();
    expect(closest('lambda', ['lambda-timeout-storm', 'waf-http-flood'])).toBe('lambda-timeout-storm');
  });
});
