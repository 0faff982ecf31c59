import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findLevel, findTimestamp, isTextBytes, isTextLine, levelRank, parseLogfmt, readGeneric, timeOfValue } from './generic.ts';

const REF = Date.UTC(2025, 11, 28, 10, 5);

describe('readGeneric', () => {
  it('reads time, level and message from the common text layouts', () => {
    const cases: [string, number | null, string | null, string][] = [
      ['2025-12-28 10:00:01 ERROR Database connection failed', Date.UTC(2025, 11, 28, 10, 0, 1), 'ERROR', 'Database connection failed'],
      ['2025-12-28T10:00:01.250+01:00 [warn] disk 91% full', Date.UTC(2025, 11, 28, 9, 0, 1, 250), 'WARN', 'disk 91% full'],
      ['[2025-12-28 10:00:01,500] CRITICAL in app: boom', Date.UTC(2025, 11, 28, 10, 0, 1, 500), 'CRITICAL', 'in app: boom'],
      ['2025/12/28 10:00:01 listening on :8080', Date.UTC(2025, 11, 28, 10, 0, 1), null, 'listening on :8080'],
      ['Dec 28 09:59:01 ip-10-0-1-5 kernel: Out of memory', Date.UTC(2025, 11, 28, 9, 59, 1), null, 'ip-10-0-1-5 kernel: Out of memory'],
      ['127.0.0.1 - - [28/Dec/2025:10:00:00 +0100] "GET / HTTP/1.1" 500 12', Date.UTC(2025, 11, 28, 9, 0, 0), null, '127.0.0.1 - - [28/Dec/2025:10:00:00 +0100] "GET / HTTP/1.1" 500 12'],
      ['INFO: Task stopped due to failed ELB health check', null, 'INFO', 'Task stopped due to failed ELB health check'],
      ['error: could not open file', null, 'ERROR', 'could not open file'],
      ['an error occurred while resizing', null, null, 'an error occurred while resizing'],
      ['time=2025-12-28T10:00:00Z level=warn msg="disk almost full" pct=91', Date.UTC(2025, 11, 28, 10), 'WARN', 'disk almost full'],
      ['{"ts":1766916000.5,"severity":"Error","message":"boom"}', Date.UTC(2025, 11, 28, 10, 0, 0, 500), 'ERROR', 'boom'],
      ['{"level":40,"time":1766916000000,"msg":"slow"}', Date.UTC(2025, 11, 28, 10), 'WARN', 'slow'],
      ['10:00:02.123 [main] INFO  com.example.App - Hello', Date.UTC(2025, 11, 28, 10, 0, 2, 123), 'INFO', '[main] INFO  com.example.App - Hello'],
      ['just text', null, null, 'just text'],
    ];
    for (const [line, time, level, text] of cases) expect(readGeneric(line, { timestamp: REF }), line).toMatchObject({ time, level, text });
  });

  it('takes a time of day to the day nearest the reference, across midnight too', () => {
    const justAfterMidnight = Date.UTC(2025, 11, 29, 0, 0, 30);
    expect(readGeneric('23:59:58.000 [main] INFO x - y', { timestamp: justAfterMidnight }).time).toBe(Date.UTC(2025, 11, 28, 23, 59, 58));
    // Without a reference a bare time of day is not a time.
    expect(readGeneric('23:59:58.000 [main] INFO x - y').time).toBeNull();
  });

  it("takes only an event's own stamp: near the line's start and within a day of the CloudWatch time", () => {
    expect(readGeneric('2025-12-28 10:04:00 INFO released build 2021-01-01 10:00:00', { timestamp: REF }).time).toBe(Date.UTC(2025, 11, 28, 10, 4));
    expect(readGeneric('INFO: user 42 registered with the campaign that ended 2021-01-01 10:00:00', { timestamp: REF })).toMatchObject({ time: null, level: 'INFO' });
    expect(readGeneric(`${'x'.repeat(60)} 2025-12-28 10:00:00`).time).toBeNull();
    expect(readGeneric('2025-12-20 10:00:00 ERROR replayed from last week', { timestamp: REF })).toMatchObject({ time: null, level: 'ERROR', text: 'replayed from last week' });
    // Without a CloudWatch time (direct deliveries) a leading stamp is all there is.
    expect(readGeneric('2025-12-20 10:00:00 ERROR x').time).toBe(Date.UTC(2025, 11, 20, 10));
  });

  it('gives a syslog stamp the year that puts it nearest the reference', () => {
    expect(findTimestamp('Dec 31 23:59:59 h p: x', Date.UTC(2026, 0, 1, 0, 0, 5))!.time).toBe(Date.UTC(2025, 11, 31, 23, 59, 59));
  });

  it('never throws, and reads some text from any line (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.option(fc.integer({ min: 0, max: 4e12 }), { nil: undefined }), (line, ts) => {
        const g = readGeneric(line, { timestamp: ts });
        expect(typeof g.text).toBe('string');
        if (g.time !== null) expect(Number.isFinite(g.time)).toBe(true);
        if (g.level !== null) expect(levelRank(g.level)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back any ISO stamp it is given, at any offset (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.constantFrom('ERROR', 'INFO', 'WARNING'), (d, level) => {
        const iso = d.toISOString();
        expect(readGeneric(`${iso} ${level} something happened`)).toMatchObject({ time: d.getTime(), level, text: 'something happened' });
        expect(readGeneric(`${iso.replace('T', ' ').replace('Z', '')} ${level} x`).time).toBe(d.getTime());
      }),
    );
  });
});

describe('levels', () => {
  it('ranks the level words of every runtime on one scale', () => {
    expect(levelRank('WARN')).toBe(levelRank('warning'));
    expect(levelRank('ERR')).toBe(levelRank('ERROR'));
    expect(levelRank('FATAL')).toBeGreaterThan(levelRank('ERROR'));
    expect(levelRank('CRIT')).toBe(levelRank('CRITICAL'));
    expect(levelRank('hello')).toBe(-1);
    expect(findLevel('GET /ERRORS 200')).toBeUndefined();
  });
});

describe('logfmt and values', () => {
  it('parses quoted values and refuses text that is not logfmt', () => {
    expect(parseLogfmt('level=info msg="a \\"quoted\\" word" n=3 flag')).toEqual({ level: 'info', msg: 'a "quoted" word', n: '3', flag: 'true' });
    expect(parseLogfmt('user=alice logged in')).toBeUndefined();
    expect(parseLogfmt('a=1 b=2')).toBeUndefined(); // no time, level or message key
    expect(parseLogfmt('msg="unterminated level=info')).toBeUndefined();
  });

  it('reads epoch seconds, milliseconds, microseconds and ISO text', () => {
    const t = Date.UTC(2025, 11, 28, 10);
    for (const v of [t / 1000, t, t * 1000, String(t * 1000), '2025-12-28T10:00:00Z', '2025-12-28 11:00:00,000+0100']) expect(timeOfValue(v), String(v)).toBe(t);
  });
});

describe('text or binary', () => {
  it('tells text from bytes that are not', () => {
    expect(isTextLine('tab\tnewline\nansi \u001b[31mred\u001b[0m é 日本')).toBe(true);
    expect(isTextLine('nul\u0000')).toBe(false);
    expect(isTextBytes(new TextEncoder().encode('plain ✓\n'))).toBe(true);
    expect(isTextBytes(Uint8Array.from([0x61, 0xff, 0x62]))).toBe(false);
    expect(isTextBytes(Uint8Array.from([0x61, 0x01, 0x62]))).toBe(false);
  });
});
