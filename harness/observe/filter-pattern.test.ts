import { describe, expect, it } from 'vitest';
import { compileFilterPattern, motoAppliesPattern } from './filter-pattern.ts';

describe('CloudWatch Logs filter patterns (unstructured), applied client-side', () => {
  const m = (pattern: string, message: string) => compileFilterPattern(pattern)!(message);
  it('matches every term, any ?term, no -term, quoted phrases, case-sensitively', () => {
    expect(m('', 'anything')).toBe(true);
    expect(m('ERROR Exception', '[ERROR] java.lang.Exception: x')).toBe(true);
    expect(m('ERROR Exception', '[ERROR] timeout')).toBe(false);
    expect(m('?ERROR ?WARN', 'WARN disk at 91%')).toBe(true);
    expect(m('?ERROR ?WARN', 'INFO ok')).toBe(false);
    expect(m('ERROR -DEBUG', 'ERROR in DEBUG mode')).toBe(false);
    expect(m('"RCA: root"', 'RCA: root cause is rds')).toBe(true);
    expect(m('"RCA: root"', 'RCA root')).toBe(false);
    expect(m('error', 'ERROR upper case only')).toBe(false);
    expect(m('%RCA: (rds|db)%', 'RCA: rds exhausted')).toBe(true);
  });
  it('leaves JSON and space-delimited patterns to the service', () => {
    expect(compileFilterPattern('{ $.level = "ERROR" }')).toBeUndefined();
    expect(compileFilterPattern('[ip, user, ...]')).toBeUndefined();
  });
  it('knows which patterns moto 5.2 applies itself', () => {
    expect(['', 'RCA', 'ERROR Exception', '"exact phrase"'].map(motoAppliesPattern)).toEqual([true, true, true, true]);
    expect(['?ERROR ?WARN', 'ERROR -DEBUG', '{ $.level = "ERROR" }', '[a, b]', '%RCA%'].map(motoAppliesPattern)).toEqual([false, false, false, false, false]);
  });
});
