import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError } from '../core/errors.ts';
import { appFormat, parseApp, pythonJsonDumps, serializeApp } from './app.ts';

const origin = { logGroup: '/ecs/checkout', logStream: 'ecs/checkout/0123456789abcdef0123456789abcdef' };

describe('app format', () => {
  it('parses a plain request line and its request fields', () => {
    const line = '2026-05-01 12:00:00,123 INFO [checkout.api] GET /api/cart 200 12ms user=alice';
    const r = parseApp(line);
    expect(r).toMatchObject({ kind: 'plain', time: Date.UTC(2026, 4, 1, 12, 0, 0, 123), level: 'INFO', logger: 'checkout.api' });
    expect(serializeApp(r)).toBe(line);
    const n = appFormat.normalize(r, origin);
    expect(n.entities).toEqual({ service: 'checkout' });
    expect(n.fields).toMatchObject({ level: 'INFO', json: false, exception: null, durationMs: 12, httpStatus: 200, path: '/api/cart' });
  });

  it('keeps a traceback in one event and names the exception', () => {
    const line = [
      '2026-05-01 12:00:01,004 ERROR [checkout.db] database error on GET /api/orders',
      'Traceback (most recent call last):',
      '  File "/app/checkout/db.py", line 41, in get_conn',
      '    return engine.connect()',
      'psycopg2.OperationalError: connection to server at "db" (10.0.11.20), port 5432 failed: FATAL:  sorry, too many clients already',
    ].join('\n');
    const r = parseApp(line);
    expect(r.kind === 'plain' && r.traceback.length).toBe(4);
    expect(serializeApp(r)).toBe(line);
    expect(appFormat.normalize(r, origin).fields.exception).toBe('psycopg2.OperationalError');
    const qp = parseApp('2026-05-01 12:00:01,004 ERROR [checkout.db] pool\nTraceback (most recent call last):\nsqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00');
    expect(appFormat.normalize(qp, origin).fields.exception).toBe('sqlalchemy.exc.TimeoutError');
  });

  it('parses structlog JSON written the way Python json.dumps writes it', () => {
    const fields = { event: 'request', level: 'info', logger: 'checkout.api', timestamp: '2026-05-01T12:00:00.123456Z', method: 'GET', path: '/api/cart', status: 200, duration_ms: 12.5, user: 'bob' };
    const line = pythonJsonDumps(fields);
    expect(line).toBe('{"event": "request", "level": "info", "logger": "checkout.api", "timestamp": "2026-05-01T12:00:00.123456Z", "method": "GET", "path": "/api/cart", "status": 200, "duration_ms": 12.5, "user": "bob"}');
    const r = parseApp(line);
    expect(r.time).toBe(Date.UTC(2026, 4, 1, 12, 0, 0, 123));
    expect(serializeApp(r)).toBe(line);
    expect(appFormat.normalize(r, origin).fields).toMatchObject({ level: 'INFO', json: true, httpStatus: 200, durationMs: 12.5, path: '/api/cart', text: 'request' });
  });

  it('reads lines of other shapes as they are, and refuses a line that is not of its declared shape', () => {
    // Without a declaration nothing of text is refused: free text is the plain shape.
    expect(parseApp('hello')).toMatchObject({ kind: 'line', shape: 'plain', text: 'hello', level: null, time: null });
    expect(parseApp('{"event": "x"}')).toMatchObject({ kind: 'line', shape: 'json', text: 'x' });
    expect(parseApp('{not json')).toMatchObject({ kind: 'line', shape: 'plain', text: '{not json' });
    for (const line of ['hello', '{"event": "x"}', '{not json']) expect(serializeApp(parseApp(line))).toBe(line);
    // A declared shape is a promise: a line that breaks it is refused (the normalizer keeps it as a generic record).
    expect(() => parseApp('hello', { hint: { shape: 'json' } })).toThrow(FormatError);
    expect(() => parseApp('hello', { hint: { shape: 'json' } })).toThrow(/declared shape json/);
    expect(() => parseApp('2025-12-28 10:00:01 ERROR x', { hint: { shape: 'log4j' } })).toThrow(FormatError);
    expect(() => parseApp('x', { hint: { shape: 'yaml' } })).toThrow(/unknown shape/);
  });
});

describe('pythonJsonDumps', () => {
  it('escapes non-ASCII as json.dumps(ensure_ascii=True) does', () => {
    expect(pythonJsonDumps({ user: 'zoë', n: 1, ok: true, none: null })).toBe('{"user": "zo\\u00eb", "n": 1, "ok": true, "none": null}');
  });
});

describe('app lines of any shape', () => {
  const text = fc.string({ maxLength: 200 }).map((t) => t.replace(/[\p{Cc}]/gu, (c) => (c === '\n' || c === '\t' ? c : ' ')));
  it('parse every text line without a declaration, and write it back byte for byte (property)', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), (line, ts) => {
        const origin = { logGroup: '/ecs/svc', timestamp: ts };
        const r = parseApp(line, origin);
        expect(serializeApp(r)).toBe(line);
        const n = appFormat.normalize(r, origin);
        expect(Number.isFinite(n.time)).toBe(true);
        expect(typeof n.fields.text).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });

  it("round-trip the generators' records through serialize and parse (property)", () => {
    const level = fc.constantFrom('DEBUG' as const, 'INFO' as const, 'WARNING' as const, 'ERROR' as const, 'CRITICAL' as const);
    const word = fc.stringMatching(/^[A-Za-z0-9_./:=-]{1,20}$/);
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), level, word, fc.array(word, { minLength: 1, maxLength: 6 }), (time, lv, logger, words) => {
        const rec = { kind: 'plain' as const, time, level: lv, logger, text: words.join(' '), traceback: [] };
        expect(parseApp(serializeApp(rec))).toEqual(rec);
      }),
    );
  });
});
