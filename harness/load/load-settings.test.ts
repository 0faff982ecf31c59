import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.ts';
import type { IncidentKind } from '../../core/vocabulary.ts';
import { parseLoadSettings, scheduleIntervalMs, type RawLoadOptions } from './load-settings.ts';

const KINDS: IncidentKind[] = ['waf-http-flood', 'vpc-port-scan'];
const parse = (raw: RawLoadOptions) => parseLoadSettings(raw, KINDS);

/** The ConfigError a call throws, so the message can be checked part by part. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('parseLoadSettings', () => {
  it('defaults: every minute, one-minute slices, random anomalies, run until stopped', () => {
    expect(parse({})).toEqual({ schedule: '* * * * *', sliceMs: 60_000, anomalies: 'random', incidents: [], probability: 0.25, ticks: undefined });
  });

  it('the default slice is the period of the schedule, seconds field included', () => {
    expect(parse({ schedule: '*/2 * * * * *' }).sliceMs).toBe(2_000);
    expect(parse({ schedule: '*/15 * * * *' }).sliceMs).toBe(15 * 60_000);
    expect(scheduleIntervalMs('0 * * * *')).toBe(3_600_000);
    expect(parse({ schedule: '*/2 * * * * *', slice: '5m' }).sliceMs).toBe(300_000);
  });

  it('enforce takes kinds repeated or comma-separated, without duplicates', () => {
    expect(parse({ anomalies: 'enforce', incident: ['waf-http-flood,vpc-port-scan', 'waf-http-flood'], ticks: '2' })).toMatchObject({ anomalies: 'enforce', incidents: ['waf-http-flood', 'vpc-port-scan'], ticks: 2 });
  });

  it('an invalid cron expression says what a cron expression looks like', () => {
    const e = configError(() => parse({ schedule: '61 * * * *' }));
    expect(e.message).toContain('invalid --schedule');
    expect(e.seen).toContain('61');
    expect(e.expected).toContain('5 fields');
    expect(e.fix).toContain('* * * * *');
    expect(configError(() => parse({ schedule: 'every minute' })).seen).toMatch(/2 field/);
  });

  it('an unknown incident kind lists the known ones and suggests the closest', () => {
    const e = configError(() => parse({ anomalies: 'enforce', incident: ['waf-htp-flood'] }));
    expect(e.seen).toBe('waf-htp-flood');
    expect(e.expected).toContain('vpc-port-scan');
    expect(e.fix).toContain('waf-http-flood');
  });

  it('a bad or out-of-range slice, mode, probability or tick count is refused with the fix', () => {
    expect(configError(() => parse({ slice: '10x' })).expected).toContain('duration');
    expect(configError(() => parse({ slice: '500ms' })).expected).toContain('between 1s and 1d');
    expect(configError(() => parse({ slice: '2d' })).seen).toBe('2d');
    expect(configError(() => parse({ anomalies: 'always' })).expected).toBe('random | enforce | none');
    expect(configError(() => parse({ probability: '1.5' })).expected).toContain('0 to 1');
    expect(configError(() => parse({ ticks: '0' })).expected).toContain('1 or more');
    expect(configError(() => parse({ ticks: '2.5' })).seen).toBe('2.5');
  });

  it('enforce needs a kind, none refuses one', () => {
    expect(configError(() => parse({ anomalies: 'enforce' })).fix).toContain('--incident waf-http-flood');
    expect(configError(() => parse({ anomalies: 'none', incident: ['vpc-port-scan'] })).seen).toContain('vpc-port-scan');
  });
});
