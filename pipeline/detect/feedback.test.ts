import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/index.ts';
import type { Candidate } from './candidate.ts';
import { feedbackEntryFor, suppressedByFeedback } from './feedback.ts';

const surge: Finding = {
  findingId: 'f1', kind: 'log-pattern-frequency', entities: { service: 'checkout' }, primary: 'service', firstSeen: 0, lastSeen: 1, detectedAt: 1,
  score: 0.7, severity: 'low', method: 'template:pattern-frequency@app', summary: 's', evidence: { sampleLines: [], features: {} },
  patterns: ['DELETE /api/cart/items/<NUM> <NUM> <*> <*>', 'GET /health <NUM>'],
};
const cand = (over: Partial<Candidate>): Candidate => ({
  kind: 'log-pattern-frequency', primary: 'service', entities: { service: 'checkout' }, score: 0.7, method: 'template:pattern-frequency@app', summary: 's',
  firstSeen: 0, lastSeen: 1, count: 100, sampleLines: [], features: {}, pattern: 'GET /health <NUM>', ...over,
});

describe('feedback', () => {
  const benign = [feedbackEntryFor(surge, 'false-positive', 1000, 'deploy')];

  it('the entry says what the finding was about, not only its id', () => {
    expect(benign[0]).toEqual({ findingId: 'f1', verdict: 'false-positive', at: 1000, note: 'deploy', kind: 'log-pattern-frequency', entityType: 'service', entity: 'checkout', patterns: surge.patterns });
  });

  it('suppresses the same kind, entity and pattern', () => {
    expect(suppressedByFeedback(cand({}), benign)).toBe(true);
  });

  it.each([
    ['another pattern on the same entity', { pattern: 'ERROR payment declined <*>' }],
    ['the same pattern on another entity', { entities: { service: 'billing' } }],
    ['another kind on the same entity', { kind: 'log-new-pattern' as const }],
  ])('keeps %s', (_n, over) => {
    expect(suppressedByFeedback(cand(over), benign)).toBe(false);
  });

  it('a verdict on a signature finding (no patterns) covers that kind on that entity only', () => {
    const scan: Finding = { ...surge, findingId: 'f2', kind: 'vpc-port-scan', primary: 'ip', entities: { ip: '198.51.100.4' }, patterns: undefined };
    const fb = [feedbackEntryFor(scan, 'false-positive', 1)];
    expect(suppressedByFeedback(cand({ kind: 'vpc-port-scan', primary: 'ip', entities: { ip: '198.51.100.4' }, pattern: undefined }), fb)).toBe(true);
    expect(suppressedByFeedback(cand({ kind: 'vpc-port-scan', primary: 'ip', entities: { ip: '198.51.100.5' }, pattern: undefined }), fb)).toBe(false);
  });

  it('a later true-positive on the same thing lifts the suppression; an earlier one does not', () => {
    expect(suppressedByFeedback(cand({}), [...benign, feedbackEntryFor(surge, 'true-positive', 2000)])).toBe(false);
    expect(suppressedByFeedback(cand({}), [feedbackEntryFor(surge, 'true-positive', 500), ...benign])).toBe(true);
  });
});
