import { describe, expect, it } from 'vitest';
import type { Finding, FindingAnalysis } from '../../core/index.ts';
import { createMapper } from '../observe/index.ts';
import { evaluateDrill } from './evaluate-drill.ts';
import type { ExpectedIncident } from './types.ts';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const table = createMapper('dynamodb:findings', 'firedrill', {});

function finding(id: string, over: Partial<Finding>, analysis?: Omit<FindingAnalysis, 'provider'>): Finding {
  return {
    findingId: id, kind: 'waf-http-flood', entities: { ip: '198.51.100.7' }, primary: 'ip', firstSeen: T0 + 60_000, lastSeen: T0 + 120_000,
    detectedAt: T0 + 90_000, score: 1, severity: 'high', method: 'test', summary: 'x', evidence: { sampleLines: [], features: {} },
    ...over,
    ...(analysis ? { analysis: { ...analysis, provider: 'offline' as const } } : {}),
  };
}

const flood: ExpectedIncident = {
  id: 'flood', kind: 'waf-http-flood', window: { start: T0 + 60_000, end: T0 + 300_000 }, entities: { ip: '198.51.100.7' },
  detectWithinSeconds: 60, mustDetect: true, expectedRemediation: [],
};
const cascade: ExpectedIncident = {
  id: 'cascade', kind: 'rds-app-ecs-cascade', window: { start: T0 + 60_000, end: T0 + 300_000 }, entities: { database: 'ledger-db', service: 'billing-api' },
  detectWithinSeconds: 300, mustDetect: true, expectedRootCause: 'rds:ledger-db', expectedRemediation: [],
};
const rca = (text: string, category: FindingAnalysis['category']) =>
  finding('rc', { kind: 'root-cause', entities: { database: 'ledger-db', service: 'billing-api' }, primary: 'database', chain: ['rds:ledger-db connection exhaustion', 'app:billing-api DB errors'] }, { explanation: text, category, suggestedAction: 'a' });

function score(incident: ExpectedIncident, findings: Finding[]) {
  // Through the findings table as the builtin's tap reads it: the firedrill preset maps analysis.explanation and analysis.category.
  const observations = findings.map((f) => table({ id: f.findingId, raw: f }, T0));
  return evaluateDrill({ scenarioId: 's', title: 't', seed: 1, window: { start: T0, end: T0 + 600_000 }, incidents: [incident], falsePositiveBudget: 5, observations });
}

describe('scoring explanations against the truth', () => {
  it('right: names the incident entity and an accepted class', () => {
    const card = score(flood, [finding('f', {}, { explanation: 'Request flood on address 198.51.100.7.', category: 'flood', suggestedAction: 'block' })]);
    expect(card.incidents[0]!.explanation).toMatchObject({ findingId: 'f', rootNamed: true, classCorrect: true, correct: true, failureClass: 'flood' });
    expect(card.explanations).toEqual({ detected: 1, explained: 1, rootNamed: 1, classCorrect: 1, correct: 1 });
    expect(card.passed).toBe(true);
  });

  it('wrong class, or an entity the incident is not about: scored wrong, and the drill still passes (a measure, not an expectation)', () => {
    const wrongClass = score(flood, [finding('f', {}, { explanation: 'Scanning from 198.51.100.7.', category: 'scanning', suggestedAction: 'block' })]);
    expect(wrongClass.incidents[0]!.explanation).toMatchObject({ rootNamed: true, classCorrect: false, correct: false });
    expect(wrongClass.passed).toBe(true);
    const wrongEntity = score(flood, [finding('f', {}, { explanation: 'Request flood from 198.51.100.70.', category: 'flood', suggestedAction: 'block' })]);
    expect(wrongEntity.incidents[0]!.explanation).toMatchObject({ rootNamed: false, correct: false });
  });

  it('a cascade: the root-cause finding\'s explanation must name the root tier first', () => {
    expect(score(cascade, [rca('Connection exhaustion at the root: database ledger-db; billing-api failed in turn.', 'connection-exhaustion')]).incidents[0]!.explanation).toMatchObject({ findingId: 'rc', rootNamed: true, correct: true });
    const blamesApp = score(cascade, [rca('The app billing-api exhausted its pool on ledger-db.', 'connection-exhaustion')]);
    expect(blamesApp.incidents[0]!.explanation).toMatchObject({ rootNamed: false, correct: false });
  });

  it('a detected incident without any explanation is counted as such', () => {
    const card = score(flood, [finding('f', {})]);
    expect(card.incidents[0]!.explanation).toBeUndefined();
    expect(card.explanations).toEqual({ detected: 1, explained: 0, rootNamed: 0, classCorrect: 0, correct: 0 });
  });
});
