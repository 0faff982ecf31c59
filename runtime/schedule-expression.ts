import { Cron } from 'croner';
import { ConfigError } from '../core/index.ts';

/**
 * An EventBridge schedule expression, parsed: `rate(value unit)` or `cron(min hour day-of-month month day-of-week
 * year)`, always in UTC (EventBridge rules have no time zone).
 */
export interface ScheduleExpression {
  /** The expression as written. */
  readonly expression: string;
  readonly kind: 'rate' | 'cron';
  /** For rate(): the period in ms. */
  readonly periodMs?: number;
  /** The first occurrence strictly after `afterMs` (epoch ms), or undefined when the schedule never fires again. */
  nextAfter(afterMs: number): number | undefined;
}

const MINUTE = 60_000;
const UNITS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };

const FIX = 'write rate(<n> minute|minutes|hour|hours|day|days) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>) as EventBridge does, e.g. rate(5 minutes) or cron(0/5 * * * ? *)';

function invalid(expression: string, expected: string, seen: string, fix = FIX): ConfigError {
  return new ConfigError(`invalid schedule expression ${JSON.stringify(expression)}`, { expected, seen, fix });
}

/**
 * Parses and validates an EventBridge schedule expression.
 *
 * rate(): occurrences fall on multiples of the period since the epoch (EventBridge starts counting when the rule is
 * created; aligned ticks make the same schedule fire at the same event times in every drill, on minute and window
 * boundaries).
 *
 * cron(): EventBridge's six fields with its rules — exactly one of day-of-month and day-of-week is `?`, day-of-week
 * 1-7 is SUN-SAT, `L`, `W` and `#` where EventBridge allows them, year 1970-2199. The fields are checked here (so
 * the error says what EventBridge would say) and the occurrences are computed by croner: maintained, no
 * dependencies, and it has Quartz weekday numbering, the year field and L/W/# (node-cron, already used by `load`,
 * has none of those; aws-cron-parser reads AWS's dialect but validates nothing and was last released in 2024).
 */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const text = expression.trim();
  const rate = /^rate\((.*)\)$/s.exec(text);
  if (rate) return parseRate(expression, rate[1]!.trim());
  const cron = /^cron\((.*)\)$/s.exec(text);
  if (cron) return parseCron(expression, cron[1]!.trim());
  throw invalid(expression, 'rate(...) or cron(...)', text || '(empty)');
}

function parseRate(expression: string, body: string): ScheduleExpression {
  const m = /^(\d+)\s+([a-z]+)$/.exec(body);
  if (!m) throw invalid(expression, 'rate(<positive integer> <unit>)', `rate(${body})`);
  const value = Number(m[1]);
  const word = m[2]!;
  const singular = word.endsWith('s') ? word.slice(0, -1) : word;
  const unit = UNITS[singular];
  if (!unit) throw invalid(expression, 'a unit of minute(s), hour(s) or day(s)', word);
  if (value < 1) throw invalid(expression, 'a value of 1 or more', String(value));
  // EventBridge: "If the value is equal to 1, then the unit must be singular … greater than 1, plural".
  if ((value === 1) !== (word === singular)) {
    throw invalid(expression, value === 1 ? `rate(1 ${singular})` : `rate(${value} ${singular}s)`, `rate(${body})`, 'use the singular unit for 1 and the plural for more, as EventBridge requires');
  }
  const periodMs = value * unit;
  return {
    expression,
    kind: 'rate',
    periodMs,
    nextAfter: (afterMs) => (Math.floor(afterMs / periodMs) + 1) * periodMs,
  };
}

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Characters beyond digits , - * / that this field accepts. */
  extra: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const FIELDS: readonly FieldRule[] = [
  { name: 'minutes', min: 0, max: 59, extra: '' },
  { name: 'hours', min: 0, max: 23, extra: '' },
  { name: 'day-of-month', min: 1, max: 31, extra: '?LW' },
  { name: 'month', min: 1, max: 12, names: MONTHS, extra: '' },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, extra: '?L#' },
  { name: 'year', min: 1970, max: 2199, extra: '' },
];

function parseCron(expression: string, body: string): ScheduleExpression {
  const parts = body.split(/\s+/).filter(Boolean);
  if (parts.length !== 6) {
    throw invalid(expression, 'six fields: minutes hours day-of-month month day-of-week year', `${parts.length} field(s): ${body || '(none)'}`);
  }
  const [dom, dow] = [parts[2]!, parts[4]!];
  if ((dom === '?') === (dow === '?')) {
    throw invalid(
      expression,
      'a ? in exactly one of day-of-month and day-of-week',
      `day-of-month ${dom}, day-of-week ${dow}`,
      'EventBridge cannot combine the two day fields: put ? in the one you do not use, e.g. cron(0 12 * * ? *) or cron(0 12 ? * MON-FRI *)',
    );
  }
  const translated = parts.map((p, i) => translateField(expression, p, FIELDS[i]!));
  let cron: Cron;
  try {
    // Seconds are always 0 (EventBridge has minute precision); 7-part mode reads the year; ? is a plain wildcard here
    // because the check above already enforced what it means.
    cron = new Cron(`0 ${translated.join(' ')}`, { timezone: 'Etc/UTC', paused: true, mode: '7-part', alternativeWeekdays: true });
  } catch (err) {
    throw invalid(expression, 'a cron expression EventBridge accepts', err instanceof Error ? err.message : String(err));
  }
  return {
    expression,
    kind: 'cron',
    nextAfter: (afterMs) => cron.nextRun(new Date(afterMs))?.getTime(),
  };
}

/** Checks one field against EventBridge's grammar and writes it the way croner reads it. */
function translateField(expression: string, raw: string, rule: FieldRule): string {
  const field = raw.toUpperCase();
  const bad = (why: string) => invalid(expression, `${rule.name}: ${why}`, raw);
  if (field === '?') {
    if (!rule.extra.includes('?')) throw bad('no ? (only the day fields take it)');
    return '*';
  }
  if (field === '*') return '*';
  if (rule.name === 'day-of-month') {
    if (field === 'L') return 'L';
    const w = /^(\d+)W$/.exec(field);
    if (w) return `${number(w[1]!, rule, bad)}W`;
  }
  if (rule.name === 'day-of-week') {
    // EventBridge: L alone is the last day of the week (Saturday); <day>L the last such day of the month.
    if (field === 'L') return '7';
    const last = /^([A-Z]+|\d)L$/.exec(field);
    if (last) return `${number(last[1]!, rule, bad)}#L`;
    const nth = /^([A-Z]+|\d)#([1-5])$/.exec(field);
    if (nth) return `${number(nth[1]!, rule, bad)}#${nth[2]}`;
  }
  return field
    .split(',')
    .map((item) => {
      const step = /^(\*|[A-Z0-9]+(?:-[A-Z0-9]+)?)\/(\d+)$/.exec(item);
      if (step) {
        const by = Number(step[2]);
        if (by < 1) throw bad('a step of 1 or more');
        // EventBridge's `a/b` (from a, every b) is croner's `a-max/b`.
        const base = step[1] === '*' ? '*' : step[1]!.includes('-') ? range(step[1]!, rule, bad) : `${number(step[1]!, rule, bad)}-${rule.max}`;
        return `${base}/${by}`;
      }
      if (/^[A-Z0-9]+-[A-Z0-9]+$/.test(item)) return range(item, rule, bad);
      return String(number(item, rule, bad));
    })
    .join(',');
}

function range(item: string, rule: FieldRule, bad: (why: string) => ConfigError): string {
  const [a, b] = item.split('-') as [string, string];
  const from = number(a, rule, bad);
  const to = number(b, rule, bad);
  if (from > to) throw bad(`a range low-high, not ${item}`);
  return `${from}-${to}`;
}

function number(token: string, rule: FieldRule, bad: (why: string) => ConfigError): number {
  const named = rule.names?.indexOf(token as never) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(value) || value < rule.min || value > rule.max) {
    throw bad(`values ${rule.min}-${rule.max}${rule.names ? ` or ${rule.names[0]}-${rule.names.at(-1)}` : ''}${rule.extra.replace('?', '').length ? ` (and ${[...rule.extra].join(' ')})` : ''}, not ${token}`);
  }
  return value;
}

/**
 * The occurrences of a schedule in (afterMs, uptoMs], in order. `limit` guards against an expression and a span that
 * would make millions (a drill spans hours; rate(1 minute) over a day is 1,440).
 */
export function occurrencesBetween(schedule: ScheduleExpression, afterMs: number, uptoMs: number, limit = 100_000): number[] {
  const out: number[] = [];
  for (let t = schedule.nextAfter(afterMs); t !== undefined && t <= uptoMs; t = schedule.nextAfter(t)) {
    out.push(t);
    if (out.length >= limit) break;
  }
  return out;
}
