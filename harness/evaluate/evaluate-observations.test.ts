import { describe, expect, it } from 'vitest';
import type { Observation } from '../observe/index.ts';
import { renderScorecard } from '../reports/index.ts';
import { evaluateDrill } from './evaluate-drill.ts';
import type { EvaluationInput, ExpectedIncident } from './types.ts';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const W0 = Date.UTC(2026, 10, 21, 9, 0, 0);

const brute: ExpectedIncident = {
  id: 'brute', kind: 'ec2-ssh-bruteforce', window: { start: T0 + 60_000, end: T0 + 300_000 }, entities: { ip: '203.0.113.50', instance: 'i-0web1' },
  detectWithinSeconds: 120, mustDetect: true, expectedRemediation: [], wallStart: W0,
};

function obs(id: string, over: Partial<Observation>): Observation {
  return { tap: 'dynamodb:alerts', id, observedAt: W0 + 10_000, entities: [], text: '', raw: {}, ...over };
}

function input(over: Partial<EvaluationInput>): EvaluationInput {
  return { scenarioId: 's', title: 't', seed: 1, window: { start: T0, end: T0 + 600_000 }, incidents: [brute], falsePositiveBudget: 0, matching: { wallEnd: W0 + 120_000 }, ...over };
}

describe('scoring observations of a SUT with its own finding shape', () => {
  it('a SUT that states no time and maps nothing is scored in wall time on what it wrote', () => {
    const card = evaluateDrill(input({ observations: [obs('a', { raw: { pk: 'alert#203.0.113.50', reason: 'ssh failures', count: 40 }, arrivedAt: W0 + 7_500 })] }));
    expect(card.incidents[0]).toMatchObject({ detected: true, timeToDetectSeconds: null, wallTimeToDetectSeconds: 7.5, detectedInTime: true, matchingFindingIds: ['a'], matchingKinds: [] });
    expect(card).toMatchObject({ passed: true, precision: 1, recall: 1, unlabelled: false, falsePositives: 0 });
    expect(card.findings[0]).toMatchObject({ findingId: 'a', tap: 'dynamodb:alerts', explains: ['brute'], detects: ['brute'] });
  });

  it('counts several findings of one incident once; the earliest gives both times to detect', () => {
    const card = evaluateDrill(input({ observations: [
      obs('late', { raw: { ip: '203.0.113.50' }, claimedTime: T0 + 180_000, observedAt: W0 + 20_000 }),
      obs('early', { raw: { ip: '203.0.113.50' }, claimedTime: T0 + 120_000, observedAt: W0 + 12_000 }),
    ] }));
    expect(card.incidents[0]).toMatchObject({ detected: true, timeToDetectSeconds: 60, wallTimeToDetectSeconds: 12, matchingFindingIds: ['early', 'late'] });
    expect(card.precision).toBe(1);
  });

  it('judges the deadline in wall time when the finding states no event time, and says so', () => {
    const card = evaluateDrill(input({ observations: [obs('slow', { raw: { ip: '203.0.113.50' }, observedAt: W0 + 200_000 })], matching: { wallEnd: W0 + 300_000 } }));
    expect(card.incidents[0]!.detectedInTime).toBe(false);
    expect(card.failures[0]).toBe('brute: ec2-ssh-bruteforce detected after 200 s of wall time (the finding states no event time), expected within 120 s of onset');
  });

  it('a finding after the drill’s end, or about something else, is a false positive', () => {
    const card = evaluateDrill(input({ observations: [
      obs('after', { raw: { ip: '203.0.113.50' }, observedAt: W0 + 130_000 }),
      obs('other', { raw: { ip: '203.0.113.5' }, observedAt: W0 + 10_000 }),
    ] }));
    expect(card.incidents[0]!.detected).toBe(false);
    expect(card.falsePositiveFindings.map((f) => f.findingId)).toEqual(['after', 'other']);
    expect(card.falsePositiveFindings[0]).toMatchObject({ tap: 'dynamodb:alerts', kind: 'finding', observedAt: W0 + 130_000 });
    expect(card.precision).toBe(0);
  });

  it('takes the root cause from any matching finding with a chain when kinds are not mapped', () => {
    const cascade: ExpectedIncident = {
      id: 'c', kind: 'rds-app-ecs-cascade', window: { start: T0, end: T0 + 300_000 }, entities: { database: 'mydb', service: 'checkout' },
      detectWithinSeconds: 300, mustDetect: true, expectedRootCause: 'rds:mydb', expectedRemediation: [],
    };
    const card = evaluateDrill(input({ incidents: [cascade], observations: [obs('rca', { text: 'RCA: database mydb exhausted connections', rootCause: ['Database mydb: connection exhaustion', 'checkout errors'], claimedTime: T0 + 100_000 })] }));
    expect(card.incidents[0]).toMatchObject({ detected: true, rootCauseCorrect: true, rootCauseObserved: ['Database mydb: connection exhaustion', 'checkout errors'] });
  });

  it('without labels claims no precision or recall', () => {
    const card = evaluateDrill(input({ incidents: [{ ...brute, entities: {} }], observations: [obs('x', { claimedTime: T0 + 90_000 })] }));
    expect(card).toMatchObject({ unlabelled: true, precision: null, recall: null, f1: null });
  });

  it('with no truth at all calls no finding false: no budget fails, no pass is shown', () => {
    const card = evaluateDrill(input({ incidents: [], unlabelled: true, observations: [obs('x', { claimedTime: T0 + 90_000 })] }));
    expect(card).toMatchObject({ unlabelled: true, precision: null, recall: null, failures: [], findingsTotal: 1 });
    const text = renderScorecard(card, false);
    expect(text.split('\n')[0]).toMatch(/^◌ s /);
    expect(text).toContain('false positives n/a · findings 1');
  });
});
