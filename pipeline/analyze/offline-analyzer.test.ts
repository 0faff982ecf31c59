import { describe, expect, it } from 'vitest';
import { createOfflineAnalyzer } from './analyzer.ts';
import { failureClassOf } from './failure-semantics.ts';
import { cascadeFinding, leakedKeyFinding, newPatternFinding } from './test-findings.ts';

describe('failureClassOf reads meaning, not one phrasing', () => {
  it.each([
    ['FATAL:  sorry, too many clients already', 'connection-exhaustion'],
    ["ERROR 1040 (08004): Too many connections", 'connection-exhaustion'],
    ['HikariPool-1 - Connection is not available, request timed out after 30000ms (maximum pool size reached)', 'connection-exhaustion'],
    ['psycopg2.OperationalError: could not connect to server: Connection refused', 'dependency-unreachable'],
    ['Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:…)', 'health-check-failure'],
    ['Liveness probe failed: HTTP probe failed with statuscode: 503', 'health-check-failure'],
    ['java.lang.OutOfMemoryError: Java heap space', 'out-of-memory'],
    ['Out of memory: Killed process 4312 (java)', 'out-of-memory'],
    ["OSError: [Errno 28] No space left on device: '/var/log/app.log'", 'disk-full'],
    ['ThrottlingException: Rate exceeded', 'throttling'],
    ['Task timed out after 30.03 seconds', 'timeout'],
    ['Back-off restarting failed container', 'crash-loop'],
    ['Failed password for invalid user admin from 203.0.113.5 port 52311 ssh2', 'brute-force'],
    ['User: arn:aws:iam::111122223333:user/x is not authorized to perform: s3:GetObject', 'access-denied'],
  ])('%s → %s', (text, k) => {
    expect(failureClassOf(text)).toBe(k);
  });

  it('a line that says nothing of a failure reads as none', () => {
    expect(failureClassOf('GET /api/orders 200 12ms')).toBeUndefined();
  });
});

describe('the offline analyzer', () => {
  const offline = createOfflineAnalyzer();

  it('names the chain root and its class for a cascade, and says how it spread', async () => {
    const a = await offline.analyze(cascadeFinding());
    expect(a).toMatchObject({ provider: 'offline', category: 'connection-exhaustion', rootEntity: 'ledger-db' });
    expect(a.explanation).toContain('database ledger-db');
    expect(a.explanation).toContain('ecs:billing-api task restarts');
    expect(a.suggestedAction).toContain('ledger-db');
  });

  it('names the leaked key in clear (restored locally) and never the password', async () => {
    const a = await offline.analyze(leakedKeyFinding());
    expect(a.category).toBe('credential-compromise');
    expect(a.rootEntity).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(a.suggestedAction).toContain('Deactivate access key AKIAIOSFODNN7EXAMPLE');
    expect(JSON.stringify(a)).not.toContain('hunter22');
  });

  it('a generic new-pattern finding is classed by what its template says', async () => {
    const oom = await offline.analyze(newPatternFinding('java.lang.OutOfMemoryError: Java heap space', 'java.lang.OutOfMemoryError: Java heap space'));
    expect(oom.category).toBe('out-of-memory');
    const noise = await offline.analyze(newPatternFinding('cache warmed in <NUM> ms', 'cache warmed in 412 ms'));
    expect(noise.category).toBe('unknown');
  });

  it('is deterministic', async () => {
    expect(await offline.analyze(cascadeFinding())).toEqual(await offline.analyze(cascadeFinding()));
  });
});
