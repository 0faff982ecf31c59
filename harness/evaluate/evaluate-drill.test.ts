import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.ts';
import { createMapper } from '../observe/index.ts';
import { evaluateDrill } from './evaluate-drill.ts';
import type { EvaluationInput, ExpectedIncident } from './types.ts';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

function finding(over: Partial<Finding>): Finding {
  return {
    findingId: over.findingId ?? 'f1', kind: over.kind ?? 'waf-http-flood', entities: over.entities ?? { ip: '198.51.100.7' }, primary: 'ip',
    firstSeen: over.firstSeen ?? T0 + 60_000, lastSeen: over.lastSeen ?? T0 + 120_000, detectedAt: over.detectedAt ?? T0 + 90_000,
    score: 1, severity: 'high', method: 'test', summary: over.summary ?? 'flood', evidence: { sampleLines: [], features: {} }, chain: over.chain,
  };
}

const flood: ExpectedIncident = {
  id: 'flood', kind: 'waf-http-flood', window: { start: T0 + 60_000, end: T0 + 300_000 }, entities: { ip: '198.51.100.7' },
  detectWithinSeconds: 60, mustDetect: true, expectedRemediation: [{ outcome: 'waf-ip-blocked', params: { ip: '198.51.100.7' } }],
};

const table = createMapper('dynamodb:findings', 'firedrill', {});

/**
 * Every case runs twice: with Finding objects handed in, and with the same findings as the builtin's findings
 * table stores them (pk/sk/updatedAt added), read as observations through the `firedrill` preset.
 */
const ways = {
  'Finding objects': (over: Partial<EvaluationInput>) => over,
  'findings-table items through the firedrill preset': ({ findings, ...over }: Partial<EvaluationInput>): Partial<EvaluationInput> => ({
    ...over,
    observations: (findings ?? []).map((f) => table({ id: `finding#${f.findingId}`, raw: { pk: `finding#${f.findingId}`, sk: 'finding', updatedAt: T0, ...f } }, T0)),
  }),
};

describe.each(Object.entries(ways))('evaluateDrill, %s', (_way, through) => {
  function input(over: Partial<EvaluationInput>): EvaluationInput {
    return { scenarioId: 's', title: 't', seed: 1, window: { start: T0, end: T0 + 600_000 }, incidents: [flood], falsePositiveBudget: 0, ...through(over) };
  }

  describe('evaluateDrill', () => {
    it('counts a matching finding as a detection with its event-time delay', () => {
      const card = evaluateDrill(input({
        findings: [finding({})],
        remediation: [{ incidentId: 'flood', planned: true, executed: true, outcomes: [{ outcome: 'waf-ip-blocked', expected: '198.51.100.7/32', observed: '198.51.100.7/32', ok: true }], timeToRemediateSeconds: 2 }],
      }));
      expect(card.incidents[0]).toMatchObject({ detected: true, timeToDetectSeconds: 30, detectedInTime: true, passed: true });
      expect(card).toMatchObject({ passed: true, recall: 1, precision: 1, f1: 1, falsePositives: 0 });
    });

    it('fails an undetected incident and says why', () => {
      const card = evaluateDrill(input({ findings: [finding({ entities: { ip: '203.0.113.9' } })] }));
      expect(card.passed).toBe(false);
      expect(card.recall).toBe(0);
      expect(card.falsePositives).toBe(1);
      expect(card.failures.join('\n')).toMatch(/not detected: no waf-http-flood finding about ip 198\.51\.100\.7/);
      expect(card.failures.join('\n')).toMatch(/remediation waf-ip-blocked not verified: no remediation ran/);
    });

    it('fails a detection that came too late', () => {
      const card = evaluateDrill(input({ findings: [finding({ detectedAt: T0 + 60_000 + 200_000 })] }));
      expect(card.incidents[0]!.detectedInTime).toBe(false);
      expect(card.failures[0]).toMatch(/waf-http-flood detected after 200 s, expected within 60 s/);
    });

    it('judges the root cause of a cascade by the head of the chain', () => {
      const cascade: ExpectedIncident = {
        id: 'c', kind: 'rds-app-ecs-cascade', window: { start: T0, end: T0 + 300_000 }, entities: { database: 'orders-db', service: 'checkout' },
        detectWithinSeconds: 120, mustDetect: true, expectedRootCause: 'rds:orders-db', expectedRemediation: [],
      };
      const right = finding({ kind: 'root-cause', entities: { database: 'orders-db' }, chain: ['rds:orders-db connection exhaustion', 'app:checkout DB errors'], detectedAt: T0 + 50_000 });
      const wrong = finding({ kind: 'root-cause', entities: { service: 'checkout' }, chain: ['app:checkout DB errors', 'ecs:checkout task restarts'], detectedAt: T0 + 50_000 });
      expect(evaluateDrill(input({ incidents: [cascade], findings: [right] })).incidents[0]!.rootCauseCorrect).toBe(true);
      const bad = evaluateDrill(input({ incidents: [cascade], findings: [wrong] }));
      expect(bad.incidents[0]!.rootCauseCorrect).toBe(false);
      expect(bad.passed).toBe(false);
    });

    it('does not count symptom findings of a cascade as false positives', () => {
      const cascade: ExpectedIncident = {
        id: 'c', kind: 'rds-app-ecs-cascade', window: { start: T0, end: T0 + 300_000 }, entities: { database: 'orders-db', service: 'checkout' },
        detectWithinSeconds: 120, mustDetect: true, expectedRemediation: [],
      };
      const card = evaluateDrill(input({ incidents: [cascade], findings: [
        finding({ findingId: 'a', kind: 'app-db-errors', entities: { service: 'checkout' }, detectedAt: T0 + 40_000 }),
        finding({ findingId: 'r', kind: 'root-cause', entities: { database: 'orders-db' }, chain: ['rds:orders-db connection exhaustion'], detectedAt: T0 + 50_000 }),
      ] }));
      expect(card.falsePositives).toBe(0);
      expect(card.precision).toBe(1);
    });

    it('holds a quiet drill to its false-positive budget', () => {
      const quiet = { incidents: [], falsePositiveBudget: 1 };
      expect(evaluateDrill(input({ ...quiet, findings: [finding({})] })).passed).toBe(true);
      expect(evaluateDrill(input({ ...quiet, findings: [finding({ findingId: 'a' }), finding({ findingId: 'b' })] })).passed).toBe(false);
    });

    it('fails when the delivery ledger does not balance', () => {
      const card = evaluateDrill(input({ incidents: [], findings: [], ledger: { balanced: false, totals: {} } }));
      expect(card.failures).toContain('the delivery ledger does not balance: events were lost or double-counted');
    });
  });

  describe('evaluateDrill with several attackers', () => {
    it('counts another member of a multi-IP incident as explained, not as a false positive', () => {
      const inc: ExpectedIncident = { ...flood, entities: { ip: '198.51.100.7', webAcl: 'acl-1' }, detections: [{ kind: 'waf-http-flood', withinSeconds: 60, entityType: 'ip' }], expectedRemediation: [] };
      const card = evaluateDrill(input({ incidents: [inc], findings: [
        finding({ findingId: 'a', entities: { ip: '198.51.100.7', webAcl: 'acl-1' } }),
        finding({ findingId: 'b', entities: { ip: '198.51.100.8', webAcl: 'acl-1' } }),
      ] }));
      expect(card.falsePositives).toBe(0);
      expect(card.incidents[0]!.detected).toBe(true);
    });

    it('still requires the named entity for the detection itself', () => {
      const inc: ExpectedIncident = { ...flood, entities: { ip: '198.51.100.7', webAcl: 'acl-1' }, detections: [{ kind: 'waf-http-flood', withinSeconds: 60, entityType: 'ip' }], expectedRemediation: [] };
      const card = evaluateDrill(input({ incidents: [inc], findings: [finding({ findingId: 'b', entities: { ip: '198.51.100.8', webAcl: 'acl-1' } })] }));
      expect(card.incidents[0]!.detected).toBe(false);
      expect(card.falsePositives).toBe(0);
    });
  });

  describe('on a target that lacks a service', () => {
    const freeLocalStack = { target: 'LocalStack 2026.3.0 (community)', missing: (['ecs', 'rds', 'wafv2'] as const).map((service) => ({ service, reason: 'not in the free edition' })) };
    const isolate: ExpectedIncident = { ...flood, expectedRemediation: [{ outcome: 'waf-ip-blocked', params: { ip: '198.51.100.7' } }, { outcome: 'nacl-deny-entry', params: { ip: '198.51.100.7' } }] };

    it('reports a remediation needing it as unsupported on this target, neither passed nor failed', () => {
      const card = evaluateDrill(input({ findings: [finding({})], capabilities: freeLocalStack }));
      expect(card.passed).toBe(true);
      expect(card.failures).toEqual([]);
      expect(card.unsupported).toEqual(['flood: unsupported on this target: remediation waf-ip-blocked needs wafv2 (not in the free edition)']);
      expect(card.incidents[0]!.remediation).toMatchObject({ expected: 0, verified: false, unsupported: [{ outcome: 'waf-ip-blocked' }] });
      expect(card.target?.services.filter((s) => !s.supported).map((s) => s.service)).toEqual(['ecs', 'rds', 'wafv2']);
    });

    it('still fails what it can run: the same drill with no remediation at all fails the NACL outcome, not the WAF one', () => {
      const card = evaluateDrill(input({ incidents: [isolate], findings: [finding({})], capabilities: freeLocalStack }));
      expect(card.passed).toBe(false);
      expect(card.failures).toEqual(['flood: remediation nacl-deny-entry not verified: no remediation ran']);
      expect(card.unsupported).toHaveLength(1);
      expect(card.incidents[0]!.remediation).toMatchObject({ expected: 1, verified: false });
    });

    it('runs every expectation on a target that has every service (moto, AWS, a Pro LocalStack)', () => {
      const card = evaluateDrill(input({ findings: [finding({})], capabilities: { target: 'moto', missing: [] } }));
      expect(card.unsupported).toEqual([]);
      expect(card.failures).toEqual(['flood: remediation waf-ip-blocked not verified: no remediation ran']);
    });

    it('scores no detection when the pipeline itself cannot run, and says which service is missing', () => {
      const card = evaluateDrill(input({ findings: [], capabilities: { target: 't', missing: [{ service: 'firehose', reason: 'absent' }] } }));
      expect(card.failures).toEqual([]);
      expect(card.unsupported).toEqual([
        'flood: unsupported on this target: detecting waf-http-flood about ip 198.51.100.7 needs firehose (absent)',
        'flood: unsupported on this target: remediation waf-ip-blocked needs firehose (absent)',
      ]);
      expect(card.recall).toBe(1);
    });
  });
});
