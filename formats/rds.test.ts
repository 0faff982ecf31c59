import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError } from '../core/errors.ts';
import { parseRds, rdsFormat, serializeRds, type RdsRecord } from './rds.ts';

const origin = { logGroup: '/aws/rds/instance/firedrill-orders-db/postgresql', logStream: 'firedrill-orders-db' };

describe('rds format', () => {
  it('parses lines from the AWS documentation (one space after the severity, as the pages render it)', () => {
    // RDS user guide, pg_cron: permission errors in postgresql.log.
    const docs = [
      '2020-12-08 16:41:00 UTC::@:[30647]:ERROR: permission denied for table pgbench_accounts',
      '2020-12-08 16:41:00 UTC::@:[30647]:STATEMENT: update pgbench_accounts set abalance = abalance + 1',
      '2020-12-08 16:41:00 UTC::@:[27071]:LOG: background worker "pg_cron" (PID 30647) exited with exit code 1',
      // RDS user guide, read replicas: WAL replay.
      '2014-11-07 19:01:10 UTC::@:[11575]:LOG:  started streaming WAL from primary at 1A/D3000000 on timeline 1',
      '2014-11-07 19:01:10 UTC::@:[23180]:DEBUG:  switched WAL source from archive to stream after failure',
    ];
    for (const line of docs) {
      const r = parseRds(line);
      expect(r.clientHost).toBe('');
      expect(r.user).toBe('');
    }
    const r = parseRds(docs[0]!);
    expect(r).toMatchObject({ pid: 30647, severity: 'ERROR', text: 'permission denied for table pgbench_accounts', time: Date.UTC(2020, 11, 8, 16, 41, 0) });
  });

  it('parses client lines, including the two-space FATAL wordings', () => {
    const line = '2026-05-01 12:00:00 UTC:10.0.1.23(54321):app@orders:[12345]:FATAL:  sorry, too many clients already';
    const r = parseRds(line);
    expect(r).toEqual({ time: Date.UTC(2026, 4, 1, 12), clientHost: '10.0.1.23', clientPort: 54321, user: 'app', database: 'orders', pid: 12345, severity: 'FATAL', text: 'sorry, too many clients already' });
    expect(serializeRds(r)).toBe(line);
    const n = rdsFormat.normalize(r, origin);
    expect(n.entities).toEqual({ database: 'firedrill-orders-db' });
    expect(n.fields).toMatchObject({ clientHost: '10.0.1.23', user: 'app', database: 'orders', severity: 'FATAL' });
  });

  it('parses [local] and IPv6 clients', () => {
    expect(parseRds('2026-05-01 12:00:00 UTC:[local]:rdsadmin@rdsadmin:[77]:LOG:  connection authorized: user=rdsadmin database=rdsadmin').clientHost).toBe('[local]');
    const v6 = parseRds('2026-05-01 12:00:00 UTC:::1(5432):app@orders:[77]:LOG:  connection received: host=::1 port=5432');
    expect(v6).toMatchObject({ clientHost: '::1', clientPort: 5432, user: 'app', database: 'orders' });
  });

  it('rejects other lines with a FormatError', () => {
    expect(() => parseRds('plain line with FATAL: too many connections')).toThrow(FormatError);
    expect(() => parseRds('2026-05-01 12:00:00 UTC::@:[1]:BOGUS:  x')).toThrow(FormatError);
  });

  it('round-trips any record', () => {
    const rec = fc.record<RdsRecord>({
      time: fc.integer({ min: 0, max: 4_000_000_000 }).map((s) => s * 1000),
      clientHost: fc.constantFrom('', '10.0.11.5', '[local]'),
      clientPort: fc.constant(null),
      user: fc.constantFrom('', 'app', 'rdsadmin'),
      database: fc.constantFrom('', 'orders'),
      pid: fc.integer({ min: 1, max: 4_194_304 }),
      severity: fc.constantFrom('LOG', 'ERROR', 'FATAL', 'STATEMENT', 'DETAIL'),
      text: fc.string({ minLength: 1 }).filter((s) => !s.startsWith(' ')),
    }).map((r) => (r.clientHost === '10.0.11.5' ? { ...r, clientPort: 40000 } : r));
    fc.assert(fc.property(rec, (r) => {
      expect(parseRds(serializeRds(r))).toEqual(r);
    }));
  });
});
