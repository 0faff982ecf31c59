import type { Finding } from '../../core/index.ts';

/**
 * Findings as the detector writes them, for the analyzer's unit tests. Names are deliberately not the estate's
 * (`ledger-db`, `billing-api`): the analyzer must read whatever the logs name.
 */
const T0 = Date.parse('2026-03-02T10:00:00Z');

export function cascadeFinding(): Finding {
  return {
    findingId: 'f-rc-1',
    kind: 'root-cause',
    entities: { database: 'ledger-db', service: 'billing-api' },
    primary: 'database',
    firstSeen: T0,
    lastSeen: T0 + 240_000,
    detectedAt: T0 + 300_000,
    score: 0.93,
    severity: 'critical',
    method: 'rca',
    summary: 'root cause rds:ledger-db connection exhaustion explains 2 findings',
    evidence: {
      sampleLines: [
        '2026-03-02 10:00:41 UTC:10.0.3.7(51234):billing@ledger:[4242]:FATAL:  sorry, too many clients already',
        'psycopg2.OperationalError: connection to server at "ledger-db.c9x.eu-west-1.rds.amazonaws.com" (10.0.3.7), port 5432 failed: FATAL:  sorry, too many clients already',
      ],
      features: { count: 412 },
    },
    chain: ['rds:ledger-db connection exhaustion', 'app:billing-api DB errors', 'ecs:billing-api task restarts'],
    explains: ['f-a', 'f-b'],
  };
}

export function leakedKeyFinding(): Finding {
  return {
    findingId: 'f-key-1',
    kind: 'cloudtrail-compromised-key',
    entities: { accessKey: 'AKIAIOSFODNN7EXAMPLE', principal: 'arn:aws:iam::111122223333:user/ci-deployer', ip: '198.51.100.23' },
    primary: 'accessKey',
    firstSeen: T0,
    lastSeen: T0 + 60_000,
    detectedAt: T0 + 60_000,
    score: 0.9,
    severity: 'high',
    method: 'signature:compromised-key',
    summary: 'access key AKIAIOSFODNN7EXAMPLE used from a never-seen network 198.51.100.23 (14 calls)',
    evidence: {
      sampleLines: [
        '{"eventName":"ListBuckets","userIdentity":{"accessKeyId":"AKIAIOSFODNN7EXAMPLE"},"sourceIPAddress":"198.51.100.23","requestParameters":{"password":"hunter22"}}',
      ],
      features: { calls: 14 },
    },
  };
}

export function newPatternFinding(pattern: string, line: string): Finding {
  return {
    findingId: 'f-np-1',
    kind: 'log-new-pattern',
    entities: { service: 'billing-api' },
    primary: 'service',
    firstSeen: T0,
    lastSeen: T0 + 60_000,
    detectedAt: T0 + 60_000,
    score: 0.6,
    severity: 'low',
    method: 'template:new-pattern@app',
    summary: `new log pattern in app (30×): ${line}`,
    evidence: { sampleLines: [line], features: { count: 30 } },
    patterns: [pattern],
  };
}
