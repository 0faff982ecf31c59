import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/index.ts';
import { occurrencesBetween, parseScheduleExpression } from './schedule-expression.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
/** The next n occurrences after `from`. */
function next(expression: string, from: string, n = 3): string[] {
  const s = parseScheduleExpression(expression);
  const out: string[] = [];
  let t = at(from);
  for (let i = 0; i < n; i++) {
    const nx = s.nextAfter(t);
    if (nx === undefined) break;
    out.push(iso(nx)!);
    t = nx;
  }
  return out;
}

describe('EventBridge rate expressions', () => {
  it('fire on multiples of the period, strictly after the given time', () => {
    expect(parseScheduleExpression('rate(1 minute)').periodMs).toBe(60_000);
    expect(parseScheduleExpression('rate(5 minutes)').periodMs).toBe(300_000);
    expect(parseScheduleExpression('rate(2 hours)').periodMs).toBe(7_200_000);
    expect(parseScheduleExpression('rate(1 day)').periodMs).toBe(86_400_000);
    expect(next('rate(5 minutes)', '2026-03-04T10:07:30Z')).toEqual(['2026-03-04T10:10:00.000Z', '2026-03-04T10:15:00.000Z', '2026-03-04T10:20:00.000Z']);
    expect(next('rate(1 minute)', '2026-03-04T10:07:00Z', 1)).toEqual(['2026-03-04T10:08:00.000Z']);
  });

  it.each([
    ['rate(1 minutes)', /singular/],
    ['rate(5 minute)', /plural/],
    ['rate(0 minutes)', /1 or more/],
    ['rate(30 seconds)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['rate(five minutes)', /positive integer/],
    ['rate(1.5 hours)', /positive integer/],
    ['every 5 minutes', /rate\(\.\.\.\) or cron/],
  ])('rejects %s with what EventBridge expects', (expr, why) => {
    const err = (() => {
      try {
        parseScheduleExpression(expr);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(why);
    expect((err as ConfigError).fix).toBeTruthy();
  });
});

describe('EventBridge cron expressions', () => {
  // The examples table of the EventBridge documentation, with what each is documented to mean.
  it('10:00 UTC every day: cron(0 10 * * ? *)', () => {
    expect(next('cron(0 10 * * ? *)', '2026-03-04T10:00:00Z')).toEqual(['2026-03-05T10:00:00.000Z', '2026-03-06T10:00:00.000Z', '2026-03-07T10:00:00.000Z']);
  });
  it('12:15 UTC every day: cron(15 12 * * ? *)', () => {
    expect(next('cron(15 12 * * ? *)', '2026-03-04T12:14:59Z', 2)).toEqual(['2026-03-04T12:15:00.000Z', '2026-03-05T12:15:00.000Z']);
  });
  it('18:00 Monday to Friday: cron(0 18 ? * MON-FRI *)', () => {
    // 2026-03-06 is a Friday: the next is Monday the 9th.
    expect(next('cron(0 18 ? * MON-FRI *)', '2026-03-06T17:00:00Z')).toEqual(['2026-03-06T18:00:00.000Z', '2026-03-09T18:00:00.000Z', '2026-03-10T18:00:00.000Z']);
  });
  it('8:00 on the first day of every month: cron(0 8 1 * ? *)', () => {
    expect(next('cron(0 8 1 * ? *)', '2026-03-04T00:00:00Z', 2)).toEqual(['2026-04-01T08:00:00.000Z', '2026-05-01T08:00:00.000Z']);
  });
  it('every 15 minutes: cron(0/15 * * * ? *)', () => {
    expect(next('cron(0/15 * * * ? *)', '2026-03-04T10:07:00Z')).toEqual(['2026-03-04T10:15:00.000Z', '2026-03-04T10:30:00.000Z', '2026-03-04T10:45:00.000Z']);
  });
  it('every 10 minutes Monday to Friday: cron(0/10 * ? * MON-FRI *)', () => {
    // Saturday 2026-03-07 23:55 → Monday 00:00.
    expect(next('cron(0/10 * ? * MON-FRI *)', '2026-03-07T23:55:00Z', 2)).toEqual(['2026-03-09T00:00:00.000Z', '2026-03-09T00:10:00.000Z']);
  });
  it('every 5 minutes between 8:00 and 17:55 Monday to Friday: cron(0/5 8-17 ? * MON-FRI *)', () => {
    expect(next('cron(0/5 8-17 ? * MON-FRI *)', '2026-03-04T17:54:00Z', 2)).toEqual(['2026-03-04T17:55:00.000Z', '2026-03-05T08:00:00.000Z']);
  });
  it('9:00 on the first Monday of every month: cron(0 9 ? * 2#1 *)', () => {
    expect(next('cron(0 9 ? * 2#1 *)', '2026-03-04T00:00:00Z', 2)).toEqual(['2026-04-06T09:00:00.000Z', '2026-05-04T09:00:00.000Z']);
  });

  it('day-of-week 1-7 is SUN-SAT, with names; L, W, <day>L, a from/every step and a year', () => {
    expect(next('cron(0 12 ? * 1 *)', '2026-03-04T00:00:00Z', 1)).toEqual(['2026-03-08T12:00:00.000Z']); // Sunday
    expect(next('cron(0 12 ? * SUN *)', '2026-03-04T00:00:00Z', 1)).toEqual(['2026-03-08T12:00:00.000Z']);
    expect(next('cron(0 12 L * ? *)', '2026-02-01T00:00:00Z', 2)).toEqual(['2026-02-28T12:00:00.000Z', '2026-03-31T12:00:00.000Z']);
    expect(next('cron(0 12 15W * ? *)', '2026-03-01T00:00:00Z', 1)).toEqual(['2026-03-16T12:00:00.000Z']); // the 15th is a Sunday
    expect(next('cron(0 12 ? * 6L *)', '2026-03-01T00:00:00Z', 1)).toEqual(['2026-03-27T12:00:00.000Z']); // last Friday
    expect(next('cron(5/20 * * * ? *)', '2026-03-04T10:00:00Z')).toEqual(['2026-03-04T10:05:00.000Z', '2026-03-04T10:25:00.000Z', '2026-03-04T10:45:00.000Z']);
    expect(next('cron(0 0 1 1 ? 2027-2028)', '2026-03-04T00:00:00Z')).toEqual(['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z']);
    expect(parseScheduleExpression('cron(0 0 1 1 ? 2027)').nextAfter(at('2027-06-01T00:00:00Z'))).toBeUndefined();
    expect(parseScheduleExpression('  cron( 0  10 * * ? * ) ').kind).toBe('cron');
  });

  it.each([
    ['cron(0 10 * * * *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 10 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 10 * * ?)', /six fields/],
    ['cron(0 10 * * ? * *)', /six fields/],
    ['cron(60 10 * * ? *)', /minutes: values 0-59/],
    ['cron(0 24 * * ? *)', /hours: values 0-23/],
    ['cron(? 10 * * ? *)', /minutes: no \?/],
    ['cron(0 10 * 13 ? *)', /month: values 1-12 or JAN-DEC/],
    ['cron(0 10 ? * 8 *)', /day-of-week: values 1-7/],
    ['cron(0 10 ? * 2#6 *)', /day-of-week/],
    ['cron(0 10 * * ? 1969)', /year: values 1970-2199/],
    ['cron(0 L * * ? *)', /hours/],
    ['cron(10-5 * * * ? *)', /range low-high/],
  ])('rejects %s', (expr, why) => {
    expect(() => parseScheduleExpression(expr)).toThrow(ConfigError);
    expect(() => parseScheduleExpression(expr)).toThrow(why);
  });
});

describe('occurrencesBetween', () => {
  it('lists the occurrences in (after, upto], in order', () => {
    const s = parseScheduleExpression('rate(1 minute)');
    const start = at('2026-03-04T10:00:00Z');
    expect(occurrencesBetween(s, start, start + 3 * 60_000).map(iso)).toEqual(['2026-03-04T10:01:00.000Z', '2026-03-04T10:02:00.000Z', '2026-03-04T10:03:00.000Z']);
    expect(occurrencesBetween(s, start, start + 59_999)).toEqual([]);
    expect(occurrencesBetween(s, start, start + 10 * 60_000, 4)).toHaveLength(4);
  });
});
