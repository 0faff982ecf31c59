import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lambdaFormat, lambdaStreamName, parseLambda, serializeLambda, type LambdaRecord } from './lambda.ts';

const origin = { logGroup: '/aws/lambda/firedrill-thumbnailer', logStream: '2026/05/01/[$LATEST]0123456789abcdef0123456789abcdef', timestamp: Date.UTC(2026, 4, 1, 12) };

describe('lambda format', () => {
  it('parses the AWS documentation examples (Node.js logging page) and real CloudWatch events', () => {
    // Lambda developer guide, "Log and monitor Node.js Lambda functions": a cold-start invocation.
    expect(parseLambda('START RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac Version: $LATEST')).toEqual({ type: 'start', requestId: 'c793869b-ee49-115b-a5b6-4fd21e8dedac', version: '$LATEST' });
    expect(parseLambda('2019-06-07T19:11:20.562Z\tc793869b-ee49-115b-a5b6-4fd21e8dedac\tINFO\tENVIRONMENT VARIABLES\r{\r  "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST"\r}')).toMatchObject({ type: 'app', level: 'INFO', time: Date.parse('2019-06-07T19:11:20.562Z') });
    expect(parseLambda('END RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac')).toEqual({ type: 'end', requestId: 'c793869b-ee49-115b-a5b6-4fd21e8dedac' });
    expect(parseLambda('REPORT RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac\tDuration: 170.19 ms\tBilled Duration: 200 ms\tMemory Size: 128 MB\tMax Memory Used: 73 MB\tInit Duration: 143.82 ms\t')).toEqual({
      type: 'report', requestId: 'c793869b-ee49-115b-a5b6-4fd21e8dedac', durationMs: 170.19, billedMs: 200, memorySizeMb: 128, maxMemoryUsedMb: 73, initDurationMs: 143.82,
    });
    // Older runtimes: a space before the tab after Billed Duration, and the separate timeout line.
    expect(parseLambda('REPORT RequestId: fb63a8b6-599d-11e8-a437-911ac44bc0b4\tDuration: 18018.26 ms\tBilled Duration: 18000 ms \tMemory Size: 512 MB\tMax Memory Used: 82 MB\t')).toMatchObject({ durationMs: 18018.26, billedMs: 18000, memorySizeMb: 512 });
    expect(parseLambda('2023-10-20T16:28:17.840Z 4299ee26-8d1d-4ea9-bd43-77b85ed96cfe Task timed out after 31.01 seconds\n\n')).toEqual({ type: 'timeout', time: Date.parse('2023-10-20T16:28:17.840Z'), requestId: '4299ee26-8d1d-4ea9-bd43-77b85ed96cfe', seconds: 31.01 });
    // Newer runtimes: only the REPORT says it timed out.
    const t = parseLambda('REPORT RequestId: 4725a167-21a7-5731-99c2-c3d0e3dfd770\tDuration: 180000.00 ms\tBilled Duration: 180000 ms\tMemory Size: 1280 MB\tMax Memory Used: 1201 MB\tStatus: timeout\n');
    expect(t).toMatchObject({ type: 'report', status: 'timeout', durationMs: 180000 });
    expect(lambdaFormat.normalize(t, origin).fields).toMatchObject({ lineType: 'report', status: 'timeout', timedOut: true });
    const oom = parseLambda('REPORT RequestId: 4725a167-21a7-5731-99c2-c3d0e3dfd770\tDuration: 2101.33 ms\tBilled Duration: 2102 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory\n');
    expect(oom).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory', maxMemoryUsedMb: 128 });
    expect(parseLambda('RequestId: 16f8d3a2-26fc-11e8-bca6-73dbc61c39e7 Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n')).toEqual({ type: 'runtime-error', requestId: '16f8d3a2-26fc-11e8-bca6-73dbc61c39e7', text: 'Error: Runtime exited with error: signal: killed\nRuntime.ExitError' });
  });

  it('keeps a stack trace as one event and classifies it as an error', () => {
    const line = '2026-05-01T12:00:00.123Z\t0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\tERROR\tTypeError: Cannot read properties of undefined (reading \'width\')\n    at resize (file:///var/task/index.mjs:41:23)\n    at Runtime.handler (file:///var/task/index.mjs:12:11)\n';
    const r = parseLambda(line);
    expect(serializeLambda(r)).toBe(line);
    const n = lambdaFormat.normalize(r, origin);
    expect(n.entities).toEqual({ function: 'firedrill-thumbnailer' });
    expect(n.fields).toMatchObject({ lineType: 'error', level: 'ERROR', status: null, timedOut: false });
    expect(n.time).toBe(Date.parse('2026-05-01T12:00:00.123Z'));
  });

  it('takes START/END/REPORT times from the CloudWatch timestamp and fills every contract field', () => {
    const n = lambdaFormat.normalize(parseLambda('START RequestId: 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d Version: $LATEST\n'), origin);
    expect(n.time).toBe(origin.timestamp);
    expect(Object.keys(n.fields).sort()).toEqual(['billedMs', 'durationMs', 'errorType', 'initDurationMs', 'level', 'lineType', 'maxMemoryUsedMb', 'memorySizeMb', 'requestId', 'status', 'text', 'timedOut']);
  });

  it('reads what a function prints without the runtime prefix, and refuses malformed platform lines', () => {
    // print() / plain stdout is still the function's output: an app line with what can be read from it.
    const p = parseLambda('hello from plain stdout\n');
    expect(p).toMatchObject({ type: 'log', shape: 'print', time: null, requestId: null, level: null, text: 'hello from plain stdout' });
    expect(serializeLambda(p)).toBe('hello from plain stdout\n');
    expect(lambdaFormat.normalize(p, origin)).toMatchObject({ time: origin.timestamp, fields: { lineType: 'app', text: 'hello from plain stdout' } });
    expect(lambdaFormat.normalize(parseLambda('ERROR: could not resize image 42'), origin).fields).toMatchObject({ lineType: 'error', level: 'ERROR' });
    expect(() => parseLambda('REPORT RequestId: x\tDuration: fast')).toThrow(/REPORT line is malformed/);
    expect(() => parseLambda('INIT_REPORT Init Duration: soon')).toThrow(/INIT_REPORT line is malformed/);
    expect(() => parseLambda('bytes\u0000\u0001')).toThrow(/not text/);
  });

  it('names streams YYYY/MM/DD/[$LATEST]<32 hex>', () => {
    expect(lambdaStreamName(Date.UTC(2026, 4, 1, 23), 'a'.repeat(32))).toBe(`2026/05/01/[$LATEST]${'a'.repeat(32)}`);
  });

  it('round-trips any record (property)', () => {
    const uuid = fc.uuid({ version: 4 });
    const ms2 = fc.integer({ min: 1, max: 90_000_000 }).map((n) => n / 100);
    const time = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
    const rec: fc.Arbitrary<LambdaRecord> = fc.oneof(
      fc.record({ type: fc.constant('start' as const), requestId: uuid, version: fc.constantFrom('$LATEST', '7') }),
      fc.record({ type: fc.constant('end' as const), requestId: uuid }),
      fc.record(
        { type: fc.constant('report' as const), requestId: uuid, durationMs: ms2, billedMs: fc.nat(), memorySizeMb: fc.integer({ min: 128, max: 10240 }), maxMemoryUsedMb: fc.integer({ min: 30, max: 10240 }), initDurationMs: ms2, status: fc.constantFrom('timeout' as const, 'error' as const) },
        { requiredKeys: ['type', 'requestId', 'durationMs', 'billedMs', 'memorySizeMb', 'maxMemoryUsedMb'] },
      ),
      fc.record({ type: fc.constant('app' as const), time, requestId: uuid, level: fc.constantFrom('INFO' as const, 'WARN' as const, 'ERROR' as const), text: fc.stringMatching(/^[\x20-\x7e][\x20-\x7e\n]{0,60}[\x20-\x7e]$/) }),
      fc.record({ type: fc.constant('timeout' as const), time, requestId: uuid, seconds: ms2 }),
    );
    fc.assert(fc.property(rec, (r) => {
      const line = serializeLambda(r);
      expect(line.endsWith('\n')).toBe(true);
      expect(parseLambda(line)).toEqual(r);
    }));
  });
  it('reads any text a function prints and writes it back byte for byte (property)', () => {
    const text = fc.string({ maxLength: 200 }).map((t) => t.replace(/[\p{Cc}]/gu, (c) => (c === '\n' || c === '\t' ? c : ' ')));
    fc.assert(
      fc.property(text, (line) => {
        // Malformed platform lines are refused on purpose (see above).
        fc.pre(!/^(REPORT|INIT_REPORT)\b/.test(line));
        const r = parseLambda(line, origin);
        expect(serializeLambda(r)).toBe(line);
        expect(Number.isFinite(lambdaFormat.normalize(r, origin).time)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
